// Turns instances into steps: one step per node instance, depending on the steps of the
// instances its requirements point to (plan edges). Removals depend on nothing.
import type { InstancePlan } from '@lib/tosca';
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

/** Steps for a plan, where `mapping` turns plan instance ids into actual ids (identity on create). */
export function buildSteps(
  plan: InstancePlan,
  kinds: Record<string, StepKind>,
  mapping: Record<string, string> = {},
  indices: Record<string, number> = {},
): NewStepRow[] {
  const actual = (id: string) => mapping[id] ?? id;
  return plan.nodes.map((n) => {
    const id = actual(n.id);
    const requirements = plan.edges
      .filter((e) => e.from === n.id)
      .map((e) => ({ requirement: e.requirement, relationship: e.relationship, target: actual(e.to) }));
    const spec: StepSpec = { instanceId: id, template: n.template, index: indices[id] ?? n.index, requirements };
    return {
      stepId: id,
      kind: kinds[id] ?? 'create',
      dependsOn: [...new Set(requirements.map((r) => r.target))],
      spec: spec as unknown as Record<string, unknown>,
    };
  });
}

export function removalSteps(instanceIds: string[]): NewStepRow[] {
  return instanceIds.map((id) => ({ stepId: `remove:${id}`, kind: 'remove', dependsOn: [], spec: { instanceId: id } }));
}
