// Checks the type files of tosca-types/: for every profile and every other type file (with the
// implicit profile of its version), each import resolves, no type is defined twice in one
// import closure, every derived_from parent exists in the same kind, and every type that a
// definition names (property, attribute, entry_schema, capability, requirement, relationship,
// interface, artifact, valid_*_types, members, targets) exists. Exit code 1 on any finding.
//   npx tsx tosca-types/tools/check-types.ts
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  type Closure,
  type Doc,
  type Section,
  SECTIONS,
  TYPES_DIR,
  closure,
  isMap,
  profileFor,
  readYaml,
} from './type-index';

export const PRIMITIVES = new Set([
  'string', 'integer', 'float', 'boolean', 'timestamp', 'null', 'version', 'range', 'list', 'map', 'bytes',
  'scalar-unit.size', 'scalar-unit.time', 'scalar-unit.frequency', 'scalar-unit.bitrate',
]);

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules' && name !== 'tools') out.push(...yamlFiles(p));
    } else if (/\.ya?ml$/.test(name) && name !== 'catalog.yaml') out.push(p);
  }
  return out.sort();
}

/** Root sets to check: each profile alone; each other type file on top of its profile. */
function rootSets(): string[][] {
  const sets: string[][] = [];
  for (const file of yamlFiles(TYPES_DIR)) {
    const rel = relative(TYPES_DIR, file);
    if (/^normative\/profile-/.test(rel)) sets.push([file]);
    else if (rel.startsWith('normative/')) continue;
    else {
      const doc = readYaml(file);
      const profile = profileFor(doc.tosca_definitions_version);
      sets.push(profile ? [profile, file] : [file]);
    }
  }
  return sets;
}

class Checker {
  readonly findings: string[] = [];
  constructor(private readonly c: Closure) {}

  private has(section: Section, name: unknown): boolean {
    return typeof name === 'string' && this.c.types.get(name)?.section === section;
  }
  private need(where: string, section: Section, name: unknown): void {
    if (!this.has(section, name)) this.findings.push(`${where}: unknown ${section.replace('_types', '')} type ${String(name)}`);
  }
  private dataType(where: string, name: unknown): void {
    if (typeof name === 'string' && PRIMITIVES.has(name)) return;
    this.need(where, 'data_types', name);
  }
  /** Property / attribute / input definitions. */
  private definitions(where: string, defs: unknown): void {
    if (!isMap(defs)) return;
    for (const [k, d] of Object.entries(defs)) {
      if (!isMap(d)) continue; // 1.0 shorthand `name: type` or an operation-input value
      if ('type' in d) this.dataType(`${where}.${k}`, d.type);
      const es = d.entry_schema;
      if (es !== undefined) this.dataType(`${where}.${k}.entry_schema`, isMap(es) ? es.type : es);
      const ks = d.key_schema;
      if (ks !== undefined) this.dataType(`${where}.${k}.key_schema`, isMap(ks) ? ks.type : ks);
    }
  }
  private list(where: string, section: Section | Section[], names: unknown): void {
    if (!Array.isArray(names)) return;
    const sections = Array.isArray(section) ? section : [section];
    for (const n of names) {
      if (!sections.some((s) => this.has(s, n))) this.findings.push(`${where}: unknown type ${String(n)} (${sections.join('|')})`);
    }
  }
  private interfaces(where: string, ifs: unknown): void {
    if (!isMap(ifs)) return;
    for (const [k, i] of Object.entries(ifs)) {
      if (!isMap(i)) continue;
      if ('type' in i) this.need(`${where}.interfaces.${k}`, 'interface_types', i.type);
    }
  }

  check(): void {
    for (const t of this.c.types.values()) {
      const where = `${relative(TYPES_DIR, t.file)}: ${t.name}`;
      const parent = t.def.derived_from;
      if (parent === undefined) {
        if (!/\.Root$/.test(t.name)) this.findings.push(`${where}: no derived_from`);
      } else if (!(t.section === 'data_types' && typeof parent === 'string' && PRIMITIVES.has(parent))) {
        this.need(`${where} derived_from`, t.section, parent);
      }
      this.definitions(`${where}.properties`, t.def.properties);
      this.definitions(`${where}.attributes`, t.def.attributes);
      this.definitions(`${where}.inputs`, t.def.inputs);
      this.interfaces(where, t.def.interfaces);
      this.list(`${where}.valid_source_types`, 'node_types', t.def.valid_source_types);
      this.list(`${where}.valid_target_types`, ['capability_types', 'node_types'], t.def.valid_target_types);
      this.list(`${where}.members`, 'node_types', t.def.members);
      this.list(`${where}.targets`, ['node_types', 'group_types'], t.def.targets);
      if (t.section === 'node_types') this.nodeType(where, t.def);
    }
  }

  private nodeType(where: string, def: Doc): void {
    const caps = def.capabilities;
    if (isMap(caps)) {
      for (const [k, cap] of Object.entries(caps)) {
        const type = isMap(cap) ? cap.type : cap;
        if (isMap(cap) && !('type' in cap)) continue; // refinement of an inherited capability
        this.need(`${where}.capabilities.${k}`, 'capability_types', type);
        if (isMap(cap)) {
          this.definitions(`${where}.capabilities.${k}.properties`, cap.properties);
          this.list(`${where}.capabilities.${k}.valid_source_types`, 'node_types', cap.valid_source_types);
        }
      }
    }
    if (Array.isArray(def.requirements)) {
      for (const entry of def.requirements) {
        if (!isMap(entry)) continue;
        for (const [k, r] of Object.entries(entry)) {
          const w = `${where}.requirements.${k}`;
          if (typeof r === 'string') this.need(w, 'capability_types', r);
          if (!isMap(r)) continue;
          if ('capability' in r) this.need(w, 'capability_types', r.capability);
          if ('node' in r) this.need(w, 'node_types', r.node);
          const rel = r.relationship;
          if (rel !== undefined) {
            this.need(w, 'relationship_types', isMap(rel) ? rel.type : rel);
            if (isMap(rel)) this.interfaces(w, rel.interfaces);
          }
        }
      }
    }
    const arts = def.artifacts;
    if (isMap(arts)) {
      for (const [k, a] of Object.entries(arts)) if (isMap(a) && 'type' in a) this.need(`${where}.artifacts.${k}`, 'artifact_types', a.type);
    }
  }
}

function main(): number {
  let bad = 0;
  const report: string[] = [];
  const seen = new Set<string>();
  for (const roots of rootSets()) {
    const c = closure(roots);
    const checker = new Checker(c);
    checker.check();
    const label = relative(TYPES_DIR, roots[roots.length - 1]);
    const findings = [...c.problems, ...c.duplicates.map((d) => `defined twice: ${d}`), ...checker.findings];
    const own = [...c.types.values()].filter((t) => t.file === roots[roots.length - 1]).length;
    report.push(`${findings.length === 0 ? 'ok  ' : 'FAIL'} ${label}: ${own} types here, ${c.types.size} visible`);
    for (const f of findings) {
      if (seen.has(f)) continue;
      seen.add(f);
      bad += 1;
      report.push(`     ${f}`);
    }
  }
  console.log(report.join('\n'));
  console.log(bad === 0 ? 'check-types: all clean' : `check-types: ${bad} finding(s)`);
  return bad === 0 ? 0 : 1;
}

process.exitCode = main();
export { SECTIONS };
