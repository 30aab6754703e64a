// Turns instances into steps: one step per node instance, depending on the steps of the
// instances its requirements point to (plan edges). Removals run the other way round: an
// instance goes after the removed instances that stand on it, so their stop/delete operations
// still find their host. Only the planner (planner.ts) calls these.
import type { InstancePlan, ServiceTopology } from '@lib/tosca';
import type { NewStepRow } from '../store.port';
import type { InstanceRequirement, StepKind } from './step-spec';

/** Each instance's requirements, in edge order, from a plan's edges (ids through `actual`). */
export function requirementsByInstance(plan: Pick<InstancePlan, 'edges'>, actual: (id: string) => string = (id) => id): Map<string, InstanceRequirement[]> {
  const byInstance = new Map<string, InstanceRequirement[]>();
  for (const e of plan.edges) {
    const from = actual(e.from);
    let list = byInstance.get(from);
    if (!list) byInstance.set(from, (list = []));
    list.push({ requirement: e.requirement, relationship: e.relationship, target: actual(e.to) });
  }
  return byInstance;
}

/** Steps for a plan whose ids are actual ones; `kinds` says which instances are kept (default: create). */
export function buildSteps(plan: InstancePlan, kinds: Record<string, Exclude<StepKind, 'remove'>>, indices: Record<string, number> = {}): NewStepRow[] {
  const byInstance = requirementsByInstance(plan);
  return plan.nodes.map((n) => {
    const requirements = byInstance.get(n.id) ?? [];
    const base = { instanceId: n.id, template: n.template, index: indices[n.id] ?? n.index, requirements };
    return {
      stepId: n.id,
      dependsOn: [...new Set(requirements.map((r) => r.target))],
      spec: kinds[n.id] === 'reconfigure' ? { kind: 'reconfigure', ...base } : { kind: 'create', ...base },
    };
  });
}

const TEARDOWN = ['stop', 'delete'];

/** Removal steps; `previous` is the plan being replaced (actual instance ids), for order and operations. */
export function removalSteps(instanceIds: string[], previous: { topology: ServiceTopology; plan: InstancePlan }): NewStepRow[] {
  const removed = new Set(instanceIds);
  const edges = previous.plan.edges;
  return instanceIds.map((id) => {
    const planned = previous.plan.nodes.find((n) => n.id === id);
    const node = planned ? previous.topology.nodes[planned.template] : undefined;
    const teardown = TEARDOWN.flatMap((name) => (node?.operations ?? []).filter((op) => op.name === name && op.implementation));
    const standingOnIt = edges.filter((e) => e.to === id && removed.has(e.from)).map((e) => `remove:${e.from}`);
    return {
      stepId: `remove:${id}`,
      dependsOn: [...new Set(standingOnIt)],
      spec: {
        kind: 'remove',
        instanceId: id,
        template: planned?.template ?? '',
        index: planned?.index ?? 0,
        requirements: edges.filter((e) => e.from === id).map((e) => ({ requirement: e.requirement, relationship: e.relationship, target: e.to })),
        teardown,
      },
    };
  });
}
