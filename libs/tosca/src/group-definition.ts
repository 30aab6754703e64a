// Groups (TOSCA 1.3 §3.8.5 group definition) and policies (§3.8.6 policy definition): type,
// members/targets that must name node templates (or groups, for policies), and properties
// checked against the type. Policies are a list of single-entry maps (§3.9.3.7).
import { diag } from './diagnostics';
import type { GroupModel, PolicyModel, Value } from './model';
import { collectProperties } from './node-template';
import type { RenderContext } from './render-context';
import { here, join } from './where';
import { isYMap, type YMap, type YValue } from './yaml-tree';

const GROUP_KEYS = ['type', 'description', 'metadata', 'properties', 'members', 'interfaces'];
const POLICY_KEYS = ['type', 'description', 'metadata', 'properties', 'targets', 'triggers'];

function entity(r: RenderContext, kind: 'group' | 'policy', name: string, raw: YValue, holder: YMap, path: string, keys: string[]) {
  if (!isYMap(raw)) {
    r.bag.add(diag.wrongShape(here(holder, name, path, r.file), { what: `${kind} "${name}"`, expected: 'a map', actual: typeof raw }));
    return undefined;
  }
  for (const key of Object.keys(raw)) if (!keys.includes(key)) r.bag.add(diag.unknownField(here(raw, key, join(path, key), r.file, true), { field: key, where: `${kind} "${name}"`, allowed: keys }));
  if (typeof raw.type !== 'string') {
    r.bag.add(diag.missingRequiredField(here(holder, name, path, r.file, true), { field: 'type', where: `${kind} "${name}"` }));
    return undefined;
  }
  const type = r.type(kind, raw.type);
  if (!type) {
    r.bag.add(diag.unknownType(here(raw, 'type', join(path, 'type'), r.file), { name: raw.type, kind }));
    return undefined;
  }
  return { raw, type };
}

function names(r: RenderContext, raw: YMap, key: string, path: string, allowGroups: Set<string>): string[] {
  const list = raw[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    r.bag.add(diag.wrongShape(here(raw, key, join(path, key), r.file), { what: key, expected: 'a list', actual: typeof list }));
    return [];
  }
  const out: string[] = [];
  list.forEach((m, i) => {
    if (typeof m === 'string' && (r.nodes.has(m) || allowGroups.has(m))) out.push(m);
    else r.bag.add(diag.unknownNodeTemplate(here(list, i, join(join(path, key), i), r.file), { name: String(m), from: path }));
  });
  return out;
}

function values(r: RenderContext, props: Map<string, import('./render-context').RawValue>): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [k, raw] of props) out[k] = r.evalRaw(raw, { inOutputs: false });
  return out;
}

/** Render `topology_template.groups`. */
export function renderGroups(r: RenderContext, raw: YValue | undefined): Record<string, GroupModel> {
  const out: Record<string, GroupModel> = {};
  if (!isYMap(raw)) return out;
  for (const [name, body] of Object.entries(raw)) {
    const path = `topology_template.groups.${name}`;
    const e = entity(r, 'group', name, body, raw, path, GROUP_KEYS);
    if (!e) continue;
    const props = collectProperties(r, e.type.properties, e.raw.properties, [], join(path, 'properties'), r.file, `group "${name}"`, false);
    out[name] = { name, type: e.type.node.name, types: e.type.node.lineage, members: names(r, e.raw, 'members', path, new Set()), properties: values(r, props) };
  }
  return out;
}

/** Render `topology_template.policies` (a list of single-entry maps; a map is accepted too). */
export function renderPolicies(r: RenderContext, raw: YValue | undefined, groups: Set<string>): PolicyModel[] {
  const out: PolicyModel[] = [];
  const items: Array<[string, YValue, YMap, string]> = [];
  if (Array.isArray(raw)) {
    raw.forEach((item, i) => {
      if (isYMap(item)) for (const [k, v] of Object.entries(item)) items.push([k, v, item, `topology_template.policies[${i}].${k}`]);
    });
  } else if (isYMap(raw)) for (const [k, v] of Object.entries(raw)) items.push([k, v, raw, `topology_template.policies.${k}`]);
  for (const [name, body, holder, path] of items) {
    const e = entity(r, 'policy', name, body, holder, path, POLICY_KEYS);
    if (!e) continue;
    const lenient = r.quirks.undeclaredPolicyProperties && r.derives('policy', e.type, 'tosca.policies.Placement');
    const props = collectProperties(r, e.type.properties, e.raw.properties, [], join(path, 'properties'), r.file, `policy "${name}" (${e.type.node.name})`, lenient);
    out.push({ name, type: e.type.node.name, types: e.type.node.lineage, targets: names(r, e.raw, 'targets', path, groups), properties: values(r, props) });
  }
  return out;
}
