// Requirement definitions in node types (TOSCA 1.3 §3.7.3.3 "Requirement definition"):
// `- name: CapabilityType` or `- name: { capability, node, relationship, occurrences, node_filter }`,
// where `relationship` may be a type name or `{ type, interfaces }`.
import { diag, type DiagnosticBag } from './diagnostics';
import { here, join } from './where';
import { isYMap, type YMap, type YValue } from './yaml-tree';

export interface RequirementDefinition {
  name: string;
  capability?: string;
  node?: string;
  relationship?: string;
  /** Interfaces declared on the relationship inside the requirement definition. */
  relationshipInterfaces?: YMap;
  min: number;
  /** -1 for UNBOUNDED. */
  max: number;
  nodeFilter?: YMap;
  owner: string;
  file: string;
  container: YMap;
}

const KEYS = ['capability', 'node', 'relationship', 'occurrences', 'node_filter', 'description', 'metadata'];

/** Parse `[min, max]` occurrences; returns undefined when malformed. */
export function readOccurrences(raw: YValue | undefined): { min: number; max: number } | undefined {
  if (!Array.isArray(raw) || raw.length !== 2) return undefined;
  const [lo, hi] = raw;
  if (typeof lo !== 'number' || !Number.isInteger(lo) || lo < 0) return undefined;
  if (hi === 'UNBOUNDED') return { min: lo, max: -1 };
  if (typeof hi !== 'number' || !Number.isInteger(hi) || hi < lo) return undefined;
  return { min: lo, max: hi };
}

/** Read a node type's `requirements:` list. */
export function readRequirementDefinitions(raw: YValue | undefined, path: string, owner: string, file: string, bag: DiagnosticBag): RequirementDefinition[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    bag.add(diag.wrongShape(here(raw, undefined, path, file), { what: 'requirements', expected: 'a list of single-entry maps', actual: typeof raw }));
    return [];
  }
  const out: RequirementDefinition[] = [];
  raw.forEach((item, index) => {
    const p = join(path, index);
    if (!isYMap(item) || Object.keys(item).length !== 1) {
      bag.add(diag.wrongShape(here(raw, index, p, file), { what: 'a requirement definition', expected: 'a single-entry map', actual: typeof item }));
      return;
    }
    const name = Object.keys(item)[0];
    const body = item[name];
    // 1.0 §3.6.2: occurrences default to [1, 1] (filled in after merging, see mergeRequirements).
    const def = { name, owner, file, container: item } as RequirementDefinition;
    if (typeof body === 'string') def.capability = body;
    else if (isYMap(body)) {
      def.container = body;
      for (const key of Object.keys(body)) {
        if (!KEYS.includes(key)) bag.add(diag.unknownField(here(body, key, join(p, `${name}.${key}`), file, true), { field: key, where: `requirement definition ${name}`, allowed: KEYS }));
      }
      if (typeof body.capability === 'string') def.capability = body.capability;
      if (typeof body.node === 'string') def.node = body.node;
      if (typeof body.relationship === 'string') def.relationship = body.relationship;
      else if (isYMap(body.relationship)) {
        if (typeof body.relationship.type === 'string') def.relationship = body.relationship.type;
        if (isYMap(body.relationship.interfaces)) def.relationshipInterfaces = body.relationship.interfaces;
      }
      if (body.occurrences !== undefined) {
        const occ = readOccurrences(body.occurrences);
        if (occ) Object.assign(def, occ);
        else bag.add(diag.typeMismatch(here(body, 'occurrences', join(p, `${name}.occurrences`), file), { value: body.occurrences, expected: 'occurrences range [min, max]' }));
      }
      if (isYMap(body.node_filter)) def.nodeFilter = body.node_filter;
    } else {
      bag.add(diag.wrongShape(here(item, name, p, file), { what: `requirement ${name}`, expected: 'a capability type or a map', actual: typeof body }));
      return;
    }
    out.push(def);
  });
  return out;
}

/** Children replace inherited requirements of the same name and append new ones (§3.7.3.3). */
export function mergeRequirements(parent: RequirementDefinition[], child: RequirementDefinition[], bag: DiagnosticBag): RequirementDefinition[] {
  const out = [...parent];
  for (const def of child) {
    const index = out.findIndex((d) => d.name === def.name);
    const merged = index >= 0 ? { ...out[index], ...def } : { ...def };
    if (merged.min === undefined) {
      merged.min = 1;
      merged.max = 1;
    }
    if (merged.capability === undefined) {
      bag.add(diag.missingRequiredField(here(def.container, undefined, `${def.owner}.requirements.${def.name}`, def.file), { field: 'capability', where: `requirement definition ${def.name}` }));
    }
    if (index >= 0) out[index] = merged;
    else out.push(merged);
  }
  return out;
}
