// Phase 2: namespaces (STYLE.md rule 6). Every type definition of every unit goes into one
// table per kind, under its full name, under `prefix:name` / `prefix.name` for namespace_prefix
// imports (TOSCA 1.3 §3.6.8; tosca-parser joins with a dot), and, for the implicit normative
// profile, under the short names of TOSCA 1.3 §3.1.3.1 ("Compute", "tosca:Compute").
import { diag, type DiagnosticBag } from './diagnostics';
import type { Quirks } from './options';
import type { ReadOutput, Unit } from './phase1-read';
import { checkTypeDefinitionKeys } from './type-definition';
import { here } from './where';
import { isYMap, type YMap } from './yaml-tree';

export type TypeKind = 'node' | 'relationship' | 'capability' | 'data' | 'artifact' | 'interface' | 'policy' | 'group';

export const SECTIONS: Record<TypeKind, string> = {
  node: 'node_types',
  relationship: 'relationship_types',
  capability: 'capability_types',
  data: 'data_types',
  artifact: 'artifact_types',
  interface: 'interface_types',
  policy: 'policy_types',
  group: 'group_types',
};

export const KINDS = Object.keys(SECTIONS) as TypeKind[];

/** A type definition as written, before hierarchy and inheritance. */
export interface TypeEntry {
  kind: TypeKind;
  name: string;
  def: YMap;
  unit: Unit;
  /** Template path, e.g. `node_types.tosca.nodes.indigo.Compute`. */
  path: string;
  section: YMap;
}

export interface Namespaces {
  read: ReadOutput;
  tables: Record<TypeKind, Map<string, TypeEntry>>;
  /** Every entry once, in definition order. */
  entries: TypeEntry[];
}

const SHORT = /^tosca\.(?:nodes|relationships|capabilities|datatypes|artifacts|interfaces|policies|groups)\.(.+)$/;

function sameBody(a: YMap, b: YMap): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Phase 2: build the name tables. */
export function namespacesPhase(read: ReadOutput, quirks: Quirks, bag: DiagnosticBag): Namespaces {
  const tables = Object.fromEntries(KINDS.map((k) => [k, new Map<string, TypeEntry>()])) as Record<TypeKind, Map<string, TypeEntry>>;
  const entries: TypeEntry[] = [];
  const shortNames: Array<[TypeKind, string, TypeEntry]> = [];
  // Last-segment names (`tosca:BlockStorage`) come after the exact short names (`Compute` is
  // tosca.nodes.Compute, not tosca.nodes.Abstract.Compute).
  const lastSegments: Array<[TypeKind, string, TypeEntry]> = [];
  for (const unit of read.units) {
    for (const kind of KINDS) {
      const section = unit.doc[SECTIONS[kind]];
      if (section === undefined || section === null) continue;
      if (!isYMap(section)) {
        bag.add(diag.wrongShape(here(unit.doc, SECTIONS[kind], SECTIONS[kind], unit.file), { what: SECTIONS[kind], expected: 'a map', actual: typeof section }));
        continue;
      }
      for (const [name, def] of Object.entries(section)) {
        const path = `${SECTIONS[kind]}.${name}`;
        if (!isYMap(def)) {
          if (def !== null) bag.add(diag.wrongShape(here(section, name, path, unit.file), { what: `type ${name}`, expected: 'a map', actual: typeof def }));
          continue;
        }
        const entry: TypeEntry = { kind, name, def, unit, path, section };
        checkTypeDefinitionKeys(entry, bag);
        entries.push(entry);
        const table = tables[kind];
        for (const prefix of unit.prefixes) {
          const names = prefix === '' ? [name] : [`${prefix}:${name}`, `${prefix}.${name}`];
          for (const n of names) {
            const prior = table.get(n);
            if (prior && prior.def !== def && !sameBody(prior.def, def)) {
              const w = here(section, name, path, unit.file, true);
              if (!quirks.typeRedefinition) bag.add(diag.unknownField(w, { field: name, where: `${SECTIONS[kind]} (type defined twice)`, allowed: [] }));
              else bag.add(diag.duplicateType(w, { name: n, first: prior.unit.file }));
            }
            table.set(n, entry);
          }
        }
        if (unit.normative) {
          const m = SHORT.exec(name);
          if (m) {
            // 1.2+ §3.1.3.1 short names (`Compute`, and with the `tosca` namespace prefix written
            // `tosca:Compute` or `tosca.Compute`); also the last segment (`tosca:BlockStorage` for
            // tosca.nodes.Storage.BlockStorage). A full name always wins over a short one.
            shortNames.push([kind, m[1], entry], [kind, `tosca:${m[1]}`, entry], [kind, `tosca.${m[1]}`, entry]);
            const last = m[1].split('.').pop()!;
            if (last !== m[1]) lastSegments.push([kind, last, entry], [kind, `tosca:${last}`, entry], [kind, `tosca.${last}`, entry]);
          }
        }
      }
    }
  }
  // Short names never hide a full name that some file defines.
  for (const [kind, short, entry] of [...shortNames, ...lastSegments]) if (!tables[kind].has(short)) tables[kind].set(short, entry);
  return { read, tables, entries };
}
