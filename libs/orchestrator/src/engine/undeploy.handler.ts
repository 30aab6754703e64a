// deployment.undeploy: deletes every recorded cloud object of every provider attempt in reverse
// dependency order, also after a failed or interrupted create. Success deletes the row (GET
// answers 404, reference §2.2). `force` ignores cloud errors and reports what it left.
import type { JobContext, JobPayloads } from '../jobs';
import { deleteCloudObjects } from './cloud-cleanup';
import { openCloudSession } from './cloud-session';
import { DeploymentLog, Redactor } from './deployment-log';
import { providerByName, type EngineContext } from './engine.context';
import { forgetTokensOfOwnerWithoutDeployments } from './owner-tokens';
import { sleep } from './step-work';
import { failDeployment } from './workflow-end';

export async function handleUndeploy(ctx: EngineContext, { deploymentId, generation, force }: JobPayloads['deployment.undeploy'], job: JobContext): Promise<void> {
  const row = await ctx.store.getDeployment(deploymentId);
  if (!row || row.generation !== generation || row.status !== 'DELETE_IN_PROGRESS') return;
  const log = new DeploymentLog(ctx.store, deploymentId, Redactor.forDeployment(row), ctx.clock);
  await waitForOlderSteps(ctx, deploymentId, generation, job.signal);

  const left: string[] = [];
  // Two passes: a step of the superseded workflow may have recorded one more object meanwhile.
  for (let pass = 0; pass < 2; pass++) {
    left.length = 0;
    const rows = await ctx.store.listCloudResources(deploymentId);
    for (const name of [...new Set(rows.map((r) => r.provider))]) {
      const provider = providerByName(ctx, name);
      const mine = rows.filter((r) => r.provider === name);
      if (!provider) {
        left.push(...mine.map((r) => `${r.kind} ${r.name}: provider ${name} is not configured`));
        continue;
      }
      let session;
      try {
        session = await openCloudSession(ctx, provider, row);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        left.push(...mine.filter((r) => r.status !== 'deleted').map((r) => `${r.kind} ${r.name}${r.cloudId ? ` (${r.cloudId})` : ''}: ${why}`));
        continue;
      }
      try {
        const result = await deleteCloudObjects(ctx.store, session, mine);
        left.push(...result.left);
        if (result.deleted) await log.write(`deleted ${result.deleted} cloud objects on ${name}`);
      } finally {
        await session.close();
      }
    }
  }

  if (left.length && !force) {
    if (job.attempt < job.maxAttempts) throw new Error(`undeploy left ${left.length} objects; retrying`);
    await failDeployment(ctx, row, `Undeploy failed; left in the cloud:\n${left.join('\n')}`);
    return;
  }
  const reason = left.length ? `force: deleted what could be deleted; left in the cloud:\n${left.join('\n')}` : null;
  if (reason) {
    // The row goes next, and its log with it: the final status reason (callback, event stream)
    // and this last log line are where an operator learns what leaked.
    await log.write(`DELETE_COMPLETE: ${reason}`);
    ctx.logger.warn('forced undeploy left cloud objects', { deployment_id: deploymentId, left });
  }
  const final = { ...row, status: 'DELETE_COMPLETE' as const, statusReason: reason, task: 'NONE' as const, updatedAt: ctx.clock() };
  await ctx.store.deleteDeployment(deploymentId);
  ctx.logger.info('deployment deleted', { deployment_id: deploymentId });
  await forgetTokensOfOwnerWithoutDeployments(ctx, row.owner);
  await ctx.notifier.notify(final);
}

async function waitForOlderSteps(ctx: EngineContext, deploymentId: string, generation: number, signal: AbortSignal): Promise<void> {
  const deadline = ctx.clock().getTime() + 30_000;
  while (ctx.clock().getTime() < deadline) {
    let busy = false;
    for (let g = Math.max(1, generation - 3); g < generation; g++) {
      busy ||= (await ctx.store.getSteps(deploymentId, g)).some((s) => s.status === 'running' && ctx.clock().getTime() - s.updatedAt.getTime() < 120_000);
    }
    if (!busy) return;
    await sleep(250, signal);
  }
}
