// resource.action: start or stop one Compute instance (reference §1.3 actions, §2.2), or reboot
// it (the IM API's RebootVM: a stop, then a start). The checks the reference does asynchronously
// (Compute node, STOPPED/STARTED state) fail the action, not the HTTP call: they are logged.
import type { JobPayloads } from '../jobs';
import { openCloudSession } from './cloud-session';
import { DeploymentLog, Redactor } from './deployment-log';
import { providerByName, type EngineContext } from './engine.context';
import { sleep } from './step-work';

const ACTION_TIMEOUT_MS = 5 * 60_000;

export async function handleAction(ctx: EngineContext, { deploymentId, resourceId, action }: JobPayloads['resource.action'], signal: AbortSignal): Promise<void> {
  const row = await ctx.store.getDeployment(deploymentId);
  const resource = row ? await ctx.store.getResource(deploymentId, resourceId) : null;
  if (!row || !resource) return;
  const log = new DeploymentLog(ctx.store, deploymentId, Redactor.forDeployment(row), ctx.clock);
  const fail = (why: string) => log.write(`${action} ${resource.instanceId}: ${why}`);
  if (!resource.nodeTypes.includes('tosca.nodes.Compute')) return fail('only Compute nodes can be started or stopped');
  const wanted = action === 'start' ? 'STOPPED' : 'STARTED';
  if (resource.state !== wanted) return fail(`needs state ${wanted}, is ${resource.state}`);
  const provider = providerByName(ctx, row.providerName);
  if (!provider || !resource.physicalId) return fail('the instance has no server');
  const serverId = resource.physicalId;
  const session = await openCloudSession(ctx, provider, row);
  /** Asks for the power change and polls until Nova shows the target status. */
  const power = async (to: 'start' | 'stop'): Promise<boolean> => {
    await ctx.store.updateResource(deploymentId, resourceId, { state: to === 'start' ? 'STARTING' : 'STOPPING' });
    if (to === 'start') await session.startServer(serverId);
    else await session.stopServer(serverId);
    const target = to === 'start' ? 'ACTIVE' : 'SHUTOFF';
    const deadline = ctx.clock().getTime() + ACTION_TIMEOUT_MS;
    while ((await session.getServer(serverId))?.status !== target) {
      if (ctx.clock().getTime() > deadline) {
        await ctx.store.updateResource(deploymentId, resourceId, { state: to === 'start' ? 'STOPPED' : 'STARTED' });
        await fail(`server not ${target} after 5 min`);
        return false;
      }
      await sleep(ctx.timings.pollMs, signal);
    }
    await ctx.store.updateResource(deploymentId, resourceId, { state: to === 'start' ? 'STARTED' : 'STOPPED' });
    return true;
  };
  try {
    const done = action === 'reboot' ? (await power('stop')) && (await power('start')) : await power(action);
    if (done) await log.write(`${action} ${resource.instanceId}: done`);
  } catch (error) {
    if (signal.aborted) throw error; // the worker closes: the action runs again elsewhere
    const now = await ctx.store.getResource(deploymentId, resourceId);
    // Back to the state the failed half started from (a reboot that stopped stays stopped).
    if (now?.state === 'STARTING') await ctx.store.updateResource(deploymentId, resourceId, { state: 'STOPPED' });
    if (now?.state === 'STOPPING') await ctx.store.updateResource(deploymentId, resourceId, { state: 'STARTED' });
    await fail(error instanceof Error ? error.message : String(error));
  } finally {
    await session.close();
  }
}
