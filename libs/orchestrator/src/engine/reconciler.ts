// The safety net that makes the queue disposable: every worker sweeps in-progress deployments
// and re-enqueues (with the same deterministic job ids) whatever the store says should be
// running. A job lost with a Redis restart, or a step whose worker died, is picked up again; an
// overall deadline that passed fails the workflow. Enqueueing a job that exists is a no-op.
import { jobIds, enqueueFinish, enqueueStep, type EngineContext } from './engine.context';
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
        await ctx.jobs.enqueue('deployment.undeploy', { deploymentId: id, generation: g, force: false }, { jobId: jobIds.undeploy(id, g), replaceFinished: true, attempts: ctx.timings.stepAttempts, backoffMs: ctx.timings.backoffMs });
      }
      continue;
    }
    if (row.deadlineAt && now > row.deadlineAt.getTime()) {
      await failDeployment(ctx, row, 'Timeout: Maximum execution time exceeded.');
      continue;
    }
    const steps = await ctx.store.getSteps(id, g);
    if (steps.length === 0 || !row.providerName) {
      if (now - row.updatedAt.getTime() > STALE_MS) {
        await ctx.jobs.enqueue('deployment.start', { deploymentId: id, generation: g }, { jobId: jobIds.start(id, g), replaceFinished: true, attempts: ctx.timings.stepAttempts, backoffMs: ctx.timings.backoffMs });
      }
      continue;
    }
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
    const ready = await ctx.store.claimReadySteps(id, g);
    for (const step of ready) await enqueueStep(ctx, id, g, step.stepId);
  }
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
