// The safety net that makes the queue disposable: every worker sweeps in-progress deployments
// and re-enqueues (with the same deterministic job ids) whatever the store says should be
// running. A job lost with a Redis restart, or a step whose worker died, is picked up again; an
// overall deadline that passed fails the workflow, a provider's that passed ends its attempt.
// Enqueueing a job that exists is a no-op.
import type { DeploymentRow, StepRow } from '../store.port';
import { enqueueJob, jobIds } from '../workflow/job-policy';
import { enqueueFinish, enqueueStep, type EngineContext } from './engine.context';
import { workflowState } from './scheduler';
import { failDeployment } from './workflow-end';

const STALE_MS = 5_000;

export async function reconcileOnce(ctx: EngineContext): Promise<void> {
  const ids = await ctx.store.listDeploymentIdsByStatus(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS'], 500);
  const now = ctx.clock().getTime();
  for (const id of ids) {
    const row = await ctx.store.getDeployment(id);
    if (!row || now - row.updatedAt.getTime() < STALE_MS / 5) continue;
    const g = row.generation;
    if (row.status === 'DELETE_IN_PROGRESS') {
      if (now - row.updatedAt.getTime() > STALE_MS) {
        await enqueueJob(ctx, 'deployment.undeploy', { deploymentId: id, generation: g, force: false }, jobIds.undeploy(id, g), true);
      }
      continue;
    }
    if (row.deadlineAt && now > row.deadlineAt.getTime()) {
      await failDeployment(ctx, row, 'Timeout: Maximum execution time exceeded.');
      continue;
    }
    const steps = await ctx.store.getSteps(id, g);
    // Steps are written with their generation, before start made the shared cloud objects: while
    // every step is still pending, start has not finished, and it is start that must run again.
    if (steps.length === 0 || !row.providerName || steps.every((s) => s.status === 'pending')) {
      if (now - row.updatedAt.getTime() > STALE_MS) {
        await enqueueJob(ctx, 'deployment.start', { deploymentId: id, generation: g }, jobIds.start(id, g), true);
      }
      continue;
    }
    if (await cutOffProviderAttempt(ctx, row, steps, now)) continue;
    const state = workflowState(steps);
    if (state !== 'running') {
      await enqueueFinish(ctx, id, g, true);
      continue;
    }
    for (const step of steps) {
      if ((step.status === 'queued' || step.status === 'running') && now - step.updatedAt.getTime() > STALE_MS) {
        await enqueueStep(ctx, id, g, step.stepId, true);
      }
    }
    // A crash between "step done" and "claim" leaves ready steps pending with nobody to claim them.
    const ready = await ctx.store.claimReadySteps(id, g, ctx.limits.deploymentStepWindow);
    for (const step of ready) await enqueueStep(ctx, id, g, step.stepId);
  }
}

/**
 * providerTimeoutMins: a create attempt on one provider that outlived it fails its open steps
 * with the reason, and finish then cleans the attempt and moves to the next provider, as after
 * any failed step. Checked here rather than only when a step starts: a step may be waiting for
 * a server that never boots. Running steps see the failure at their next check and stop.
 */
async function cutOffProviderAttempt(ctx: EngineContext, row: DeploymentRow, steps: StepRow[], now: number): Promise<boolean> {
  const started = row.attempts.at(-1)?.startedAt;
  if (row.status !== 'CREATE_IN_PROGRESS' || !row.providerTimeoutMins || !started || now <= Date.parse(started) + row.providerTimeoutMins * 60_000) return false;
  const underWay = steps.filter((s) => s.status === 'queued' || s.status === 'running');
  if (underWay.length === 0) return false;
  const reason = `provider timeout during deployment (${row.providerTimeoutMins} min)`;
  // The steps under way fail with the reason; those that never started are merely cancelled.
  const failure = { code: 'provider_timeout' as const, retryable: false, message: reason };
  for (const step of underWay) await ctx.store.transitionStep(row.id, row.generation, step.stepId, [step.status], 'failed', { failure });
  for (const step of steps.filter((s) => s.status === 'pending')) await ctx.store.transitionStep(row.id, row.generation, step.stepId, ['pending'], 'cancelled');
  await enqueueFinish(ctx, row.id, row.generation, true);
  return true;
}

/** Runs reconcileOnce every `intervalMs` until stopped; errors are logged, never thrown. */
export function startReconciler(ctx: EngineContext, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => reconcileOnce(ctx)).catch((error: unknown) => ctx.logger.warn('reconcile failed', { error: String(error) }));
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
