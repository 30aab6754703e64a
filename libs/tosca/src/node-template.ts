// Node templates (TOSCA 1.3 §3.8.3 "Node Template"): keys, type, property assignments
// (§3.8.1 + defaults from §3.6.10), capability assignments (§3.8.1.2). Rendering of the
// operations and artifacts lives in operation-assignment.ts.
import { diag } from './diagnostics';
import type { PropertyDefinition } from './property-definition';
import type { CapabilityState, NodeState, RawValue, RenderContext } from './render-context';
import { substitutionFor } from './substitution-nesting';
import { here, join } from './where';
import { isYMap, type YMap, type YValue } from './yaml-tree';

const KEYS = ['type', 'description', 'metadata', 'directives', 'properties', 'attributes', 'requirements', 'capabilities', 'interfaces', 'artifacts', 'node_filter', 'copy'];

/** A refinement map (`{default: x}` or `{type: ...}`) rather than a value, in a node type's capability definition. */
function refinedDefault(v: YValue): { isRefinement: boolean; value?: YValue } {
  if (isYMap(v) && ('default' in v || typeof v.type === 'string' || 'required' in v || 'constraints' in v)) {
    return 'default' in v ? { isRefinement: true, value: v.default } : { isRefinement: true };
  }
  return { isRefinement: false, value: v };
}

/** Collect assigned values over defaults; reports unknown and missing required properties. */
export function collectProperties(
  r: RenderContext,
  defs: Map<string, PropertyDefinition>,
  assigned: YValue | undefined,
  inherited: Array<[string, RawValue]>,
  path: string,
  file: string,
  owner: string,
  allowUndeclared: boolean,
  requiredOwedElsewhere = false,
): Map<string, RawValue> {
  const out = new Map<string, RawValue>();
  for (const [name, def] of defs) if (def.hasDefault) out.set(name, { value: def.default as YValue, container: def.container, key: 'default', path: join(path, name), file: def.file, def });
  for (const [name, raw] of inherited) out.set(name, { ...raw, def: defs.get(name) });
  if (isYMap(assigned)) {
    for (const [name, value] of Object.entries(assigned)) {
      const def = defs.get(name);
      const p = join(path, name);
      if (!def) {
        const w = here(assigned, name, p, file, true);
        if (allowUndeclared) r.bag.add(diag.quirkApplied(w, { quirk: 'undeclared-properties', detail: `${owner} has no property "${name}"; the value is kept` }));
        else {
          r.bag.add(diag.unknownProperty(w, { name, owner }));
          continue;
        }
      }
      out.set(name, { value, container: assigned, key: name, path: p, file, def });
    }
  } else if (assigned !== undefined && assigned !== null) {
    r.bag.add(diag.wrongShape(here(assigned, undefined, path, file), { what: 'properties', expected: 'a map', actual: typeof assigned }));
  }
  for (const [name, def] of defs) {
    if (def.required && !out.has(name) && !requiredOwedElsewhere) {
      r.bag.add(diag.missingRequiredProperty(here(assigned ?? undefined, undefined, path, file, false, def.owner), { name, owner }));
    }
  }
  return out;
}

function capabilityStates(r: RenderContext, node: NodeState): Map<string, CapabilityState> {
  const caps = new Map<string, CapabilityState>();
  const type = node.type!;
  const assignedAll = node.raw.capabilities;
  const path = join(node.path, 'capabilities');
  if (assignedAll !== undefined && !isYMap(assignedAll)) {
    r.bag.add(diag.wrongShape(here(node.raw, 'capabilities', path, node.file), { what: 'capabilities', expected: 'a map', actual: typeof assignedAll }));
  }
  const assignedMap: YMap = isYMap(assignedAll) ? assignedAll : {};
  if (r.quirks.nodeLevelScalable && isYMap(node.raw.scalable) && !('scalable' in assignedMap)) {
    r.bag.add(diag.quirkApplied(here(node.raw, 'scalable', join(node.path, 'scalable'), node.file, true), { quirk: 'node-level-scalable', detail: `"${node.name}" sets scalable at node level; read as capabilities.scalable` }));
  }
  for (const name of Object.keys(assignedMap)) {
    if (!type.capabilities.has(name)) r.bag.add(diag.unknownCapability(here(assignedMap, name, join(path, name), node.file, true), { name, owner: `node type "${type.node.name}"` }));
  }
  const substitution = substitutionFor(r, type.node.name);
  for (const [name, def] of type.capabilities) {
    const capType = def.type ? r.type('capability', def.type) : undefined;
    if (def.type && !capType) r.bag.add(diag.unknownType(here(def.container, 'type', `${type.node.entry.path}.capabilities.${name}`, def.file), { name: def.type, kind: 'capability' }));
    let assigned = assignedMap[name];
    if (name === 'scalable' && assigned === undefined && r.quirks.nodeLevelScalable && isYMap(node.raw.scalable)) assigned = node.raw.scalable;
    const p = join(path, name);
    const inherited: Array<[string, RawValue]> = [];
    for (const [k, v] of Object.entries(def.properties)) {
      const ref = refinedDefault(v);
      if (ref.value !== undefined || !ref.isRefinement) {
        inherited.push([k, { value: ref.value ?? null, container: ref.isRefinement ? v : def.propertiesContainer, key: ref.isRefinement ? 'default' : k, path: join(join(p, 'properties'), k), file: def.file }]);
      }
    }
    const assignedProps = isYMap(assigned) ? assigned.properties : undefined;
    // A capability mapped into an imported topology gets its values in there (nested substitution).
    const realisedInside = substitution?.capabilities.has(name) ?? false;
    const raw = capType
      ? collectProperties(r, capType.properties, assignedProps, inherited, join(p, 'properties'), node.file, `capability "${name}" of "${node.name}"`, false, realisedInside)
      : new Map<string, RawValue>();
    caps.set(name, { name, def, type: capType, raw, attributes: isYMap(assigned) && isYMap(assigned.attributes) ? assigned.attributes : {} });
  }
  return caps;
}

/** Create the state of one node template (type, properties, capabilities; requirements later). */
export function createNodeState(r: RenderContext, name: string, raw: YValue, section: YMap, path: string): NodeState | undefined {
  const file = r.file;
  if (!isYMap(raw)) {
    r.bag.add(diag.wrongShape(here(section, name, path, file), { what: `node template "${name}"`, expected: 'a map', actual: typeof raw }));
    return undefined;
  }
  // 1.3 §3.8.3 `copy`: the named template's definition, overridden key by key by this one.
  if (typeof raw.copy === 'string') {
    const source = section[raw.copy];
    if (isYMap(source) && source !== raw && source.copy === undefined) raw = { ...source, ...raw };
    else r.bag.add(diag.unknownNodeTemplate(here(raw, 'copy', join(path, 'copy'), file), { name: raw.copy, from: `"${name}" (copy)` }));
  }
  const allowed = r.quirks.nodeLevelScalable ? [...KEYS, 'scalable'] : KEYS;
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) r.bag.add(diag.unknownField(here(raw, key, join(path, key), file, true), { field: key, where: `node template "${name}"`, allowed: KEYS }));
  }
  const state: NodeState = { name, raw, path, file, props: new Map(), values: new Map(), busy: new Set(), caps: new Map(), reqs: [] };
  if (typeof raw.type !== 'string') {
    r.bag.add(diag.missingRequiredField(here(section, name, path, file, true), { field: 'type', where: `node template "${name}"` }));
    return state;
  }
  const type = r.type('node', raw.type);
  if (!type) {
    r.bag.add(diag.unknownType(here(raw, 'type', join(path, 'type'), file), { name: raw.type, kind: 'node' }));
    return state;
  }
  state.type = type;
  state.props = collectProperties(r, type.properties, raw.properties, [], join(path, 'properties'), file, `node template "${name}" (${type.node.name})`,
    // Narrow on purpose: only INDIGO node types get the leniency (QUIRKS.md undeclared-properties).
    r.quirks.undeclaredProperties && type.node.lineage.some((t) => t.startsWith('tosca.nodes.indigo.')),
  );
  state.caps = capabilityStates(r, state);
  return state;
}
