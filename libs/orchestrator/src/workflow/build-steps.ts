// Turns instances into steps: one step per node instance, depending on the steps of the
// instances its requirements point to (plan edges). Removals run the other way round: an
// instance goes after the removed instances that stand on it, so their stop/delete operations
// still find their host.
import type { InstancePlan, OperationModel, ServiceTopology } from '@lib/tosca';
import type { NewStepRow } from '../store.port';

export type StepKind = 'create' | 'reconfigure' | 'remove';

export interface InstanceRequirement {
  requirement: string;
  relationship: string;
  target: string;
}

export interface StepSpec {
  instanceId: string;
  template: string;
  index: number;
  requirements: InstanceRequirement[];
}

/** Each instance's requirements, in edge order, from a plan's edges (ids through `actual`). */
export function requirementsByInstance(plan: InstancePlan, actual: (id: string) => string = (id) => id): Map<string, InstanceRequirement[]> {
  const byInstance = new Map<string, InstanceRequirement[]>();
  for (const e of plan.edges) {
    const from = actual(e.from);
    let list = byInstance.get(from);
    if (!list) byInstance.set(from, (list = []));
    list.push({ requirement: e.requirement, relationship: e.relationship, target: actual(e.to) });
  }
  return byInstance;
}

/** Steps for a plan, where `mapping` turns plan instance ids into actual ids (identity on create). */
export function buildSteps(
  plan: InstancePlan,
  kinds: Record<string, StepKind>,
  mapping: Record<string, string> = {},
  indices: Record<string, number> = {},
): NewStepRow[] {
  const actual = (id: string) => mapping[id] ?? id;
  const byInstance = requirementsByInstance(plan, actual);
  return plan.nodes.map((n) => {
    const id = actual(n.id);
    const requirements = byInstance.get(id) ?? [];
    const spec: StepSpec = { instanceId: id, template: n.template, index: indices[id] ?? n.index, requirements };
    return {
      stepId: id,
      kind: kinds[id] ?? 'create',
      dependsOn: [...new Set(requirements.map((r) => r.target))],
      spec: spec as unknown as Record<string, unknown>,
    };
  });
}

/** A removal: the instance as the previous plan knew it, and its teardown operations. */
export interface RemovalSpec extends StepSpec {
  /** Standard `stop` then `delete` (TOSCA §5.8.4), those with an implementation. */
  teardown: OperationModel[];
}

const TEARDOWN = ['stop', 'delete'];

/** Removal steps; `previous` is the plan being replaced (actual instance ids), for order and operations. */
export function removalSteps(instanceIds: string[], previous?: { topology: ServiceTopology; plan: InstancePlan }): NewStepRow[] {
  const removed = new Set(instanceIds);
  return instanceIds.map((id) => {
    const planned = previous?.plan.nodes.find((n) => n.id === id);
    const edges = previous?.plan.edges ?? [];
    const node = planned ? previous?.topology.nodes[planned.template] : undefined;
    const teardown = TEARDOWN.flatMap((name) => (node?.operations ?? []).filter((op) => op.name === name && op.implementation));
    const spec: RemovalSpec = {
      instanceId: id,
      template: planned?.template ?? '',
      index: planned?.index ?? 0,
      requirements: edges.filter((e) => e.from === id).map((e) => ({ requirement: e.requirement, relationship: e.relationship, target: e.to })),
      teardown,
    };
    const standingOnIt = edges.filter((e) => e.to === id && removed.has(e.from)).map((e) => `remove:${e.from}`);
    return { stepId: `remove:${id}`, kind: 'remove', dependsOn: [...new Set(standingOnIt)], spec: spec as unknown as Record<string, unknown> };
  });
}
