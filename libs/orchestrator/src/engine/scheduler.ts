// Which steps may start: a step is ready as soon as every step it depends on is done, not when
// its whole level is (the SQL in the store's claimReadySteps is the same rule, applied atomically).
import type { StepStatus } from '../store.port';

export interface StepState {
  stepId: string;
  dependsOn: string[];
  status: StepStatus;
}

export function readySteps(steps: StepState[]): string[] {
  const done = new Set(steps.filter((s) => s.status === 'done').map((s) => s.stepId));
  return steps.filter((s) => s.status === 'pending' && s.dependsOn.every((d) => done.has(d))).map((s) => s.stepId);
}

export type WorkflowState = 'running' | 'done' | 'failed';

/** Failed as soon as one step failed; done when every step is; else running. */
export function workflowState(steps: StepState[]): WorkflowState {
  if (steps.some((s) => s.status === 'failed')) return 'failed';
  return steps.every((s) => s.status === 'done' || s.status === 'cancelled') ? 'done' : 'running';
}

/** The longest chain of dependencies, in steps (the critical path's length in hops). */
export function criticalPathLength(steps: StepState[]): number {
  const byId = new Map(steps.map((s) => [s.stepId, s]));
  const memo = new Map<string, number>();
  const depth = (id: string, seen: Set<string>): number => {
    const cached = memo.get(id);
    if (cached !== undefined) return cached;
    if (seen.has(id)) throw new TypeError(`dependency cycle through ${id}`);
    seen.add(id);
    const deps = byId.get(id)?.dependsOn ?? [];
    const d = 1 + Math.max(0, ...deps.map((x) => depth(x, seen)));
    seen.delete(id);
    memo.set(id, d);
    return d;
  };
  return Math.max(0, ...steps.map((s) => depth(s.stepId, new Set())));
}
