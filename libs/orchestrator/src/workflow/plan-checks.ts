// Plan-time checks: functions run over a planned generation (its steps and every operation they
// will run) before anything is stored or created. A check returns the problems it found; any
// problem rejects the plan (PlanRejectedError, API 400) with every check's problems together.
// To add one, write a PlanCheck and put it in DEFAULT_PLAN_CHECKS (or pass it to
// createOrchestrator's `planChecks`); see libs/orchestrator/README.md.
import type { InstancePlan, OperationModel, ServiceTopology } from '@lib/tosca';
import type { PlanProblem } from '../errors';
import { plannedOperations } from '../engine/run-operations';
import type { StepKind, StepSpec } from './step-spec';

export type WorkflowKind = 'create' | 'update' | 'failover';

/** One lifecycle operation a planned step will run, with where it comes from. */
export interface PlannedOperationRef {
  stepId: string;
  kind: StepKind;
  instanceId: string;
  /** Node template name. */
  template: string;
  operation: OperationModel;
  /** `web_0 Standard.configure`, as the deployment log names it. */
  label: string;
}

export interface PlanCheckInput {
  workflow: WorkflowKind;
  topology: ServiceTopology;
  /** The plan in actual instance ids. */
  plan: InstancePlan;
  steps: readonly StepSpec[];
  operations: readonly PlannedOperationRef[];
  /** The deployment's inputs (secret ones included: a check must not echo a value). */
  parameters: Readonly<Record<string, unknown>>;
}

export interface PlanCheck {
  /** Names the check in logs and tests. */
  readonly name: string;
  check(input: PlanCheckInput): readonly PlanProblem[] | Promise<readonly PlanProblem[]>;
}

/** The checks every orchestrator runs; createOrchestrator's `planChecks` come after these. */
export const DEFAULT_PLAN_CHECKS: readonly PlanCheck[] = [];

/** Every operation the steps will run, in the order each step runs them. */
export function operationsOf(topology: ServiceTopology, steps: readonly { stepId: string; spec: StepSpec }[]): PlannedOperationRef[] {
  return steps.flatMap(({ stepId, spec }) => {
    const ref = (operation: OperationModel, label: string): PlannedOperationRef => ({ stepId, kind: spec.kind, instanceId: spec.instanceId, template: spec.template, operation, label });
    if (spec.kind === 'remove') return spec.teardown.map((op) => ref(op, `${spec.instanceId} ${op.interface}.${op.name}`));
    const node = topology.nodes[spec.template];
    if (!node) return [];
    return plannedOperations(node, spec.instanceId, spec.requirements, spec.kind === 'reconfigure').map((p) => ref(p.op, p.label));
  });
}

/** Runs every check (concurrently) and returns all their problems. */
export async function runPlanChecks(checks: readonly PlanCheck[], input: PlanCheckInput): Promise<PlanProblem[]> {
  const found = await Promise.all(checks.map(async (c) => c.check(input)));
  return found.flat();
}
