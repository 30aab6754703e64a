// Requirement assignments in node templates (TOSCA 1.3 §3.8.2): short form `- host: server`
// and long form `{ node, capability, relationship, node_filter, occurrences }`, matched to a
// target node by name or by node type, capability type and node_filter (§3.6.5), then checked
// against the definition's occurrences.
import { readConstraints, satisfies } from './constraint-clause';
import { DiagnosticBag, diag } from './diagnostics';
import type { DeferredRequirementModel, Value } from './model';
import type { NodeState, RenderContext, ResolvedRequirement } from './render-context';
import { substitutionFor } from './substitution-nesting';
import { here, join } from './where';
import { isYMap, type YMap, type YValue } from './yaml-tree';

function capabilityOf(r: RenderContext, target: NodeState, wanted: string | undefined): string | undefined {
  if (wanted === undefined) return target.caps.has('feature') ? 'feature' : [...target.caps.keys()][0];
  if (target.caps.has(wanted)) return wanted;
  for (const [name, cap] of target.caps) if (cap.type && r.derives('capability', cap.type, wanted)) return name;
  return undefined;
}

/** node_filter (§3.6.5): property and capability-property constraints over a candidate. */
function passesFilter(r: RenderContext, candidate: NodeState, filter: YMap | undefined, file: string): boolean {
  if (!filter) return true;
  const quiet = new DiagnosticBag();
  const check = (clauses: YValue, value: Value): boolean => {
    const list = Array.isArray(clauses) ? clauses : [clauses];
    const parsed = readConstraints(list, '', file, quiet);
    return parsed.every((c) => satisfies(c, typeof value === 'number' ? 'float' : 'string', value));
  };
  const props = (entries: YValue, values: (k: string) => Value): boolean =>
    !Array.isArray(entries) ||
    entries.every((e) => !isYMap(e) || Object.entries(e).every(([k, clauses]) => check(clauses, values(k))));
  if (!props(filter.properties ?? [], (k) => { const got = r.property(candidate, k); return got.found ? got.value : null; })) return false;
  if (Array.isArray(filter.capabilities)) {
    for (const e of filter.capabilities) {
      if (!isYMap(e)) continue;
      for (const [capName, body] of Object.entries(e)) {
        const name = capabilityOf(r, candidate, capName);
        const cap = name === undefined ? undefined : candidate.caps.get(name);
        if (!cap) return false;
        const values = r.capabilityValues(candidate, cap);
        if (isYMap(body) && !props(body.properties ?? [], (k) => values.get(k) ?? null)) return false;
      }
    }
  }
  return true;
}

/** Resolve the requirement assignments of one node (targets, capabilities, relationship types). */
export function resolveRequirements(r: RenderContext, node: NodeState, relationshipTemplates: YMap): void {
  const type = node.type;
  const raw = node.raw.requirements;
  if (!type || raw === undefined || raw === null) return;
  const path = join(node.path, 'requirements');
  if (!Array.isArray(raw)) {
    r.bag.add(diag.wrongShape(here(node.raw, 'requirements', path, node.file), { what: 'requirements', expected: 'a list of single-entry maps', actual: typeof raw }));
    return;
  }
  raw.forEach((item, index) => {
    const p = join(path, index);
    if (!isYMap(item) || Object.keys(item).length !== 1) {
      r.bag.add(diag.wrongShape(here(raw, index, p, node.file), { what: 'a requirement assignment', expected: 'a single-entry map', actual: typeof item }));
      return;
    }
    const name = Object.keys(item)[0];
    const body = item[name];
    const w = here(item, name, join(p, name), node.file, true);
    const def = type.requirements.find((d) => d.name === name);
    if (!def) {
      r.bag.add(diag.unknownRequirement(w, { name, owner: `node type "${type.node.name}"` }));
      return;
    }
    const req: ResolvedRequirement = { name, def, container: item, key: name, path: join(p, name), relBodyPath: join(join(p, name), 'relationship') };
    const long = isYMap(body) ? body : undefined;
    const nodeRef = typeof body === 'string' ? body : typeof long?.node === 'string' ? long.node : undefined;
    const capRef = typeof long?.capability === 'string' ? long.capability : def.capability;
    // Relationship: a template name, a type name, or an inline `{type, properties, interfaces}`.
    const relRaw = long?.relationship;
    let relTypeName = def.relationship;
    if (typeof relRaw === 'string') {
      const tpl = relationshipTemplates[relRaw];
      if (isYMap(tpl)) {
        req.relBody = tpl;
        req.relBodyPath = `topology_template.relationship_templates.${relRaw}`;
        relTypeName = typeof tpl.type === 'string' ? tpl.type : undefined;
      } else if (r.type('relationship', relRaw)) relTypeName = relRaw;
      else r.bag.add(diag.unknownRelationshipTemplate(here(long, 'relationship', req.relBodyPath, node.file), { name: relRaw }));
    } else if (isYMap(relRaw)) {
      req.relBody = relRaw;
      if (typeof relRaw.type === 'string') relTypeName = relRaw.type;
      else if (relTypeName === undefined) r.bag.add(diag.missingRequiredField(here(long, 'relationship', req.relBodyPath, node.file), { field: 'type', where: `relationship of requirement "${name}" in "${node.name}"` }));
    }
    const relType = r.type('relationship', relTypeName ?? 'tosca.relationships.DependsOn');
    if (relTypeName !== undefined && !relType) r.bag.add(diag.unknownType(here(long ?? item, long ? 'relationship' : name, req.relBodyPath, node.file), { name: relTypeName, kind: 'relationship' }));
    if (relType) req.relationship = relType;
    const filter = isYMap(long?.node_filter) ? long.node_filter : def.nodeFilter;
    // Target by name, else by type: the first template that fits node type, capability and filter.
    let candidates: NodeState[];
    if (nodeRef !== undefined && r.nodes.has(nodeRef)) candidates = [r.nodes.get(nodeRef)!];
    else if (nodeRef !== undefined && !r.type('node', nodeRef)) {
      r.bag.add(diag.unknownNodeTemplate(here(long ?? item, long ? 'node' : name, req.path, node.file), { name: nodeRef, from: `"${node.name}"` }));
      node.reqs.push(req);
      return;
    } else {
      const nodeType = nodeRef ?? def.node;
      candidates = [...r.nodes.values()].filter(
        (n) => n !== node && n.type !== undefined && (nodeType === undefined || r.derives('node', n.type, nodeType)) && capabilityOf(r, n, capRef) !== undefined && passesFilter(r, n, filter, node.file),
      );
    }
    const target = candidates[0];
    if (!target && nodeRef === undefined && isYMap(long?.node_filter)) {
      // §3.8.2: a node_filter alone describes an abstract target "that TOSCA orchestrators will
      // use to select a type-compatible target node ... at runtime": with no template matching it
      // here, the selection is left to the orchestrator, not an error.
      r.bag.add(diag.requirementDeferred(w, { name, node: node.name, capability: capRef ?? 'a capability', reason: 'no node template matches its node_filter' }));
      req.deferred = { requirement: name, capability: capRef ?? '', nodeFilter: toValue(long.node_filter) };
      if (def.node !== undefined) req.deferred.node = def.node;
      if (relType) req.deferred.relationship = relType.node.name;
      node.reqs.push(req);
      return;
    }
    if (!target) {
      r.bag.add(diag.requirementUnresolved(w, { name, node: node.name, reason: `no node template offers ${capRef ?? 'a capability'}${nodeRef ? ` of type ${nodeRef}` : ''}` }));
      node.reqs.push(req);
      return;
    }
    const capName = capabilityOf(r, target, capRef);
    if (capName === undefined) {
      r.bag.add(diag.requirementUnresolved(w, { name, node: node.name, reason: `node template "${target.name}" has no capability ${capRef}` }));
      node.reqs.push(req);
      return;
    }
    req.target = target.name;
    req.capability = capName;
    node.reqs.push(req);
  });
}

/** Plain JSON copy of a YAML value (drops the position records). */
function toValue(v: YValue): Value {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toValue);
  const out: Record<string, Value> = {};
  for (const k of Object.keys(v)) out[k] = toValue(v[k]);
  return out;
}

/** True when `from` already depends on `to` through resolved requirements (a new edge to→from would close a cycle). */
function reaches(r: RenderContext, from: NodeState, to: NodeState): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === to) return true;
    if (seen.has(n.name)) continue;
    seen.add(n.name);
    for (const q of n.reqs) if (q.target !== undefined) stack.push(r.nodes.get(q.target)!);
  }
  return false;
}

/**
 * Occurrences of every requirement definition (§3.7.3), once every node's explicit requirements
 * are resolved, so that a dangling requirement's chosen target never closes a dependency cycle.
 */
export function checkOccurrences(r: RenderContext, node: NodeState): void {
  const type = node.type;
  if (!type) return;
  for (const def of type.requirements) {
    const count = node.reqs.filter((q) => q.name === def.name).length;
    const tooFew = count < def.min;
    const tooMany = def.max >= 0 && count > def.max;
    if (!tooFew && !tooMany) continue;
    if (tooFew && r.exposed.has(`${node.name}.${def.name}`)) continue;
    // A node realised by an imported topology has its requirements fulfilled in there.
    if (tooFew && substitutionFor(r, type.node.name)) continue;
    const w = here(node.raw, count > 0 ? 'requirements' : 'type', join(node.path, 'requirements'), node.file, false, def.owner);
    if (tooFew && count === 0 && def.name === 'host' && r.quirks.indigoUnhostedSoftware && type.node.lineage.some((t) => t.startsWith('tosca.nodes.indigo.'))) {
      r.bag.add(diag.quirkApplied(w, { quirk: 'indigo-unhosted-software', detail: `"${node.name}" has no host requirement; INDIGO places it through its other requirements` }));
      continue;
    }
    if (tooFew && count === 0) {
      // A dangling requirement (§3.8.2 "abstract" fulfilment): the compiler picks the node that
      // fits node type, capability type and node_filter, as an orchestrator would.
      // A target that already depends on this node would close a cycle, so it is passed over;
      // when only such targets fit, the choice is left to the orchestrator (as §3.8.2 allows).
      const fitting = [...r.nodes.values()].filter(
        (n) => n !== node && n.type !== undefined && (def.node === undefined || r.derives('node', n.type, def.node)) && capabilityOf(r, n, def.capability) !== undefined && passesFilter(r, n, def.nodeFilter, node.file),
      );
      const target = fitting.find((n) => !reaches(r, n, node));
      const relationship = r.type('relationship', def.relationship ?? 'tosca.relationships.DependsOn');
      if (target && relationship) {
        node.reqs.push({ name: def.name, def, target: target.name, capability: capabilityOf(r, target, def.capability), relationship, container: node.raw, key: 'type', path: join(node.path, 'requirements'), relBodyPath: join(node.path, 'requirements') });
        continue;
      }
      if (fitting.length > 0 && relationship) {
        r.bag.add(diag.requirementDeferred(w, { name: def.name, node: node.name, capability: def.capability ?? 'a capability', reason: `every template that fits it (${fitting.map((n) => n.name).join(', ')}) already depends on "${node.name}"` }));
        const deferred: DeferredRequirementModel = { requirement: def.name, capability: def.capability ?? '', relationship: relationship.node.name, nodeFilter: def.nodeFilter ? toValue(def.nodeFilter) : null };
        if (def.node !== undefined) deferred.node = def.node;
        node.reqs.push({ name: def.name, def, deferred, container: node.raw, key: 'type', path: join(node.path, 'requirements'), relBodyPath: join(node.path, 'requirements') });
        continue;
      }
    }
    r.bag.add(diag.requirementOccurrences(w, { name: def.name, node: node.name, count, min: def.min, max: def.max }));
  }
}
