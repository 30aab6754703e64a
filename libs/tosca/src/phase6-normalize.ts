// Phase 6: normalization (STYLE.md rule 6). The rendered topology gets its scaling (from the
// `scalable` capability: TOSCA 1.3 §5.5.14 tosca.capabilities.Scalable, plus INDIGO `count`
// and `removal_list`) and becomes an instance plan: `<template>_<index>` instances, the edges
// between them, topological levels, and the cycle named when there is one.
// Instance rules: a node hosted on a scaled host is replicated per host instance (its own count
// times its host's); a HostedOn edge joins each instance to its own host; other relationships
// join instance i to instance i when both sides have the same count, else every instance to
// every target instance. All steps are linear in instances plus edges.
import { diag, type DiagnosticBag } from './diagnostics';
import { isDeferred } from './intrinsic-functions';
import type { InstanceEdge, InstancePlan, NodeInstance, NodeTemplateModel, ScalingModel, ServiceTopology, Value } from './model';
import type { Rendered } from './phase5-rendering';

export interface Normalized {
  topology: ServiceTopology;
  plan: InstancePlan;
}

const HOSTED_ON = 'tosca.relationships.HostedOn';

function num(v: Value | undefined): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

function scalingOf(node: NodeTemplateModel, bag: DiagnosticBag): ScalingModel {
  const cap = node.capabilities.scalable ?? Object.values(node.capabilities).find((c) => c.types.includes('tosca.capabilities.Scalable'));
  if (!cap) return { count: 1, min: 1, max: 1, removalList: [] };
  const p = cap.properties;
  const min = num(p.min_instances) ?? 1;
  const maxRaw = p.max_instances;
  let max = maxRaw === 'UNBOUNDED' ? -1 : (num(maxRaw) ?? 1);
  const count = num(p.count) ?? num(p.default_instances) ?? min;
  // INDIGO `count` states the size outright; the normative max_instances default (1) does not cap it.
  if (num(p.count) !== undefined && max >= 0) max = Math.max(max, count);
  const removal = Array.isArray(p.removal_list) ? p.removal_list.filter((x): x is string => typeof x === 'string') : [];
  const w = { path: `topology_template.node_templates.${node.name}.capabilities.scalable`, file: node.source.file, line: node.source.line, column: node.source.column };
  if (count < 0) bag.add(diag.invalidScaling(w, { node: node.name, reason: `count ${count} is negative` }));
  else if (max >= 0 && (count > max || min > max)) bag.add(diag.invalidScaling(w, { node: node.name, reason: `count ${count} / min ${min} exceed max ${max}` }));
  // INDIGO sets `count: 0` on worker templates that scale up later: 0 lowers the minimum.
  return { count: Math.max(0, count), min: Math.min(min, Math.max(0, count)), max, removalList: removal };
}

/** Phase 6: scaling, instances, edges, levels. */
export function normalizePhase(rendered: Rendered, bag: DiagnosticBag, maxInstances = Number.POSITIVE_INFINITY): Normalized {
  const topology = rendered.topology;
  const templates = Object.values(topology.nodes);
  for (const node of templates) node.scaling = scalingOf(node, bag);

  const hostOf = new Map<string, string>();
  for (const node of templates) {
    const rel = node.requirements.find((q) => q.types.includes(HOSTED_ON));
    if (rel && topology.nodes[rel.target]) hostOf.set(node.name, rel.target);
  }
  const total = new Map<string, number>();
  const countOf = (name: string, seen: Set<string>): number => {
    const hit = total.get(name);
    if (hit !== undefined) return hit;
    const own = topology.nodes[name].scaling.count;
    const host = hostOf.get(name);
    if (host === undefined || seen.has(host)) return own;
    seen.add(name);
    const n = own * countOf(host, seen);
    total.set(name, n);
    return n;
  };
  for (const node of templates) total.set(node.name, countOf(node.name, new Set([node.name])));
  if (exceedsBounds(templates, total, hostOf, maxInstances, bag)) return { topology, plan: { nodes: [], edges: [], levels: [], outputs: {} } };

  const nodes: NodeInstance[] = [];
  for (const node of templates) {
    const n = total.get(node.name)!;
    for (let i = 0; i < n; i += 1) nodes.push({ id: `${node.name}_${i}`, template: node.name, type: node.type, index: i });
  }
  const edges: InstanceEdge[] = [];
  for (const node of templates) {
    const n = total.get(node.name)!;
    for (const rel of node.requirements) {
      const m = total.get(rel.target);
      if (m === undefined) continue;
      const edge = (i: number, j: number) => edges.push({ from: `${node.name}_${i}`, to: `${rel.target}_${j}`, relationship: rel.type, requirement: rel.requirement });
      if (rel.types.includes(HOSTED_ON) && hostOf.get(node.name) === rel.target) {
        const own = Math.max(1, node.scaling.count);
        for (let i = 0; i < n; i += 1) if (m > 0) edge(i, Math.min(m - 1, Math.floor(i / own)));
      } else if (n === m) for (let i = 0; i < n; i += 1) edge(i, i);
      else for (let i = 0; i < n; i += 1) for (let j = 0; j < m; j += 1) edge(i, j);
    }
  }
  const { levels, cycle } = layer(nodes, edges);
  const plan: InstancePlan = { nodes, edges, levels, outputs: {} };
  if (cycle) {
    plan.cycle = cycle;
    const first = topology.nodes[nodes.find((x) => x.id === cycle[0])?.template ?? ''];
    bag.add(diag.dependencyCycle({ path: 'topology_template.node_templates', file: first?.source.file ?? '', line: first?.source.line ?? 0, column: first?.source.column ?? 0 }, { cycle }));
  }
  for (const [name, out] of Object.entries(topology.outputs)) plan.outputs[name] = out.value;
  void isDeferred;
  return { topology, plan };
}

/**
 * Instances and relationships counted before either is expanded (issue 8: `default_instances:
 * 1000000`, or two 1,000-instance templates joined by a dependency, 10^6 edges).
 */
function exceedsBounds(templates: NodeTemplateModel[], total: Map<string, number>, hostOf: Map<string, string>, max: number, bag: DiagnosticBag): boolean {
  const where = (node: NodeTemplateModel) => ({ path: `topology_template.node_templates.${node.name}`, file: node.source.file, line: node.source.line, column: node.source.column });
  let instances = 0;
  for (const node of templates) instances += total.get(node.name)!;
  if (instances > max) {
    const biggest = templates.reduce((a, b) => (total.get(b.name)! > total.get(a.name)! ? b : a));
    bag.add(diag.tooManyInstances(where(biggest), { node: biggest.name, count: total.get(biggest.name)!, total: instances, limit: max }));
    return true;
  }
  let edges = 0;
  for (const node of templates) {
    const n = total.get(node.name)!;
    for (const rel of node.requirements) {
      const m = total.get(rel.target);
      if (m === undefined) continue;
      edges += (rel.types.includes(HOSTED_ON) && hostOf.get(node.name) === rel.target) || n === m ? n : n * m;
      if (edges > max) {
        bag.add(diag.tooManyRelationships(where(node), { node: node.name, total: edges, limit: max }));
        return true;
      }
    }
  }
  return false;
}

/**
 * Kahn's algorithm: level n holds instances whose dependencies all sit in levels < n.
 * Instances are numbered once and the graph is kept in flat typed arrays (CSR), so the cost is
 * two id lookups per edge plus integer work, linear in instances plus edges.
 */
export function layer(nodes: NodeInstance[], edges: InstanceEdge[]): { levels: string[][]; cycle?: string[] } {
  const n = nodes.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i += 1) index.set(nodes[i].id, i);
  const from = new Int32Array(edges.length);
  const to = new Int32Array(edges.length);
  const pending = new Int32Array(n);
  const outDegree = new Int32Array(n + 1);
  let m = 0;
  for (const e of edges) {
    const a = index.get(e.from);
    const b = index.get(e.to);
    if (a === undefined || b === undefined || a === b) continue;
    from[m] = a;
    to[m] = b;
    m += 1;
    pending[a] += 1;
    outDegree[b + 1] += 1;
  }
  // dependents of b (instances that depend on b) in dependents[start[b] .. start[b + 1]).
  const start = outDegree;
  for (let i = 0; i < n; i += 1) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const dependents = new Int32Array(m);
  for (let k = 0; k < m; k += 1) dependents[fill[to[k]]++] = from[k];

  const levels: string[][] = [];
  let current: number[] = [];
  for (let i = 0; i < n; i += 1) if (pending[i] === 0) current.push(i);
  let placed = 0;
  while (current.length > 0) {
    levels.push(current.map((i) => nodes[i].id));
    placed += current.length;
    const next: number[] = [];
    for (const i of current) {
      for (let k = start[i]; k < start[i + 1]; k += 1) {
        const d = dependents[k];
        pending[d] -= 1;
        if (pending[d] === 0) next.push(d);
      }
    }
    current = next;
  }
  if (placed === n) return { levels };
  // Follow unresolved dependencies from any stuck instance until one repeats: that is a cycle.
  // One stuck dependency per stuck instance is enough to walk (linear, built only on a cycle).
  const stuckDep = new Int32Array(n).fill(-1);
  for (let k = 0; k < m; k += 1) if (pending[to[k]] > 0 && stuckDep[from[k]] < 0) stuckDep[from[k]] = to[k];
  let at = pending.findIndex((p) => p > 0);
  const order: number[] = [];
  const seenAt = new Map<number, number>();
  while (!seenAt.has(at)) {
    seenAt.set(at, order.length);
    order.push(at);
    at = stuckDep[at];
  }
  return { levels, cycle: [...order.slice(seenAt.get(at)), at].map((i) => nodes[i].id) };
}
