// Substitution mappings (TOSCA 1.3 §3.8.13): the keys, and tosca-parser's 1.3
// `substitution_filter: { node_filter: ... }` (§3.8.13 "substitution_filter" in later drafts).
import { diag, type DiagnosticBag } from './diagnostics';
import { checkNodeFilter } from './node-filter';
import { here, join } from './where';
import { isYMap, type YValue } from './yaml-tree';
import type { RenderContext } from './render-context';

const KEYS = ['node_type', 'node', 'capabilities', 'requirements', 'properties', 'attributes', 'interfaces', 'substitution_filter'];
const FILTER_KEYS = ['node_filter'];

/** `node.requirement` pairs a substitution template exposes (left dangling on purpose). */
export function exposedRequirements(raw: YValue | undefined): Set<string> {
  const out = new Set<string>();
  if (!isYMap(raw) || !isYMap(raw.requirements)) return out;
  for (const v of Object.values(raw.requirements)) if (Array.isArray(v) && v.length === 2) out.add(`${String(v[0])}.${String(v[1])}`);
  return out;
}

/** §3.8.13.2: every required property of the substituted node type is fed by an input of the same name. */
export function checkSubstitutionInputs(raw: YValue | undefined, r: RenderContext): void {
  if (!isYMap(raw) || typeof raw.node_type !== 'string') return;
  const type = r.type('node', raw.node_type);
  if (!type) {
    r.bag.add(diag.unknownType(here(raw, 'node_type', 'topology_template.substitution_mappings.node_type', r.file), { name: raw.node_type, kind: 'node' }));
    return;
  }
  for (const [name, def] of type.properties) {
    if (def.required && !def.hasDefault && !r.inputs.has(name)) {
      r.bag.add(diag.missingSubstitutionInput(here(raw, 'node_type', 'topology_template.substitution_mappings', r.file, false, type.node.name), { name, nodeType: type.node.name }));
    }
  }
}

export function checkSubstitutionMappings(raw: YValue | undefined, file: string, bag: DiagnosticBag): void {
  if (raw === undefined || raw === null) return;
  const path = 'topology_template.substitution_mappings';
  if (!isYMap(raw)) {
    bag.add(diag.wrongShape(here(raw, undefined, path, file), { what: 'substitution_mappings', expected: 'a map', actual: typeof raw }));
    return;
  }
  for (const key of Object.keys(raw)) {
    if (!KEYS.includes(key)) bag.add(diag.unknownField(here(raw, key, join(path, key), file, true), { field: key, where: 'substitution_mappings', allowed: KEYS }));
  }
  const filter = raw.substitution_filter;
  if (filter === undefined) return;
  const fp = join(path, 'substitution_filter');
  if (!isYMap(filter)) {
    bag.add(diag.wrongShape(here(raw, 'substitution_filter', fp, file), { what: 'substitution_filter', expected: 'a map', actual: typeof filter }));
    return;
  }
  for (const key of Object.keys(filter)) {
    if (!FILTER_KEYS.includes(key)) bag.add(diag.unknownField(here(filter, key, join(fp, key), file, true), { field: key, where: 'substitution_filter', allowed: FILTER_KEYS }));
    else checkNodeFilter(filter[key], join(fp, key), file, bag);
  }
}
