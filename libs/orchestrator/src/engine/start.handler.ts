// deployment.start: pick the provider (create) or keep it (update), create the deployment-wide
// cloud objects (network, key pair, one security group per Compute template), then enqueue the
// first ready steps. The generation's steps were written with it (workflow/planner.ts): this only
// runs them. Idempotent: replaying it finds everything already there.
import { classifyFailure } from '../workflow/failure';
import type { JobPayloads } from '../jobs';
import { ensureCloudObject, namePrefix } from './cloud-objects';
import { openCloudSession } from './cloud-session';
import { DeploymentLog, Redactor } from './deployment-log';
import { isCompute, securityRules } from './endpoint-rules';
import { advance, enqueueFinish, providerByName, type EngineContext } from './engine.context';
import { exhaustedReason, nextProvider, quotaNeeds, rankProviders } from './provider-ranking';
import { deploymentKeyPair } from './ssh-keys';
import { failDeployment } from './workflow-end';

const ACTIVE = ['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS'];

export async function handleStart(ctx: EngineContext, { deploymentId, generation }: JobPayloads['deployment.start'], signal: AbortSignal): Promise<void> {
  let row = await ctx.store.getDeployment(deploymentId);
  if (!row || row.generation !== generation || !ACTIVE.includes(row.status)) return;
  const log = new DeploymentLog(ctx.store, deploymentId, Redactor.forDeployment(row), ctx.clock);

  if (row.status === 'CREATE_IN_PROGRESS' && !row.providerName) {
    const ranked = rankProviders(ctx.providers, row.compiled.topology.policies, row.maxProvidersRetry, quotaNeeds(row.compiled));
    const chosen = nextProvider(ranked, row.attempts);
    if (!chosen) {
      await failDeployment(ctx, row, exhaustedReason(row.attempts));
      return;
    }
    const provider = providerByName(ctx, chosen)!;
    const updated = await ctx.store.updateDeployment(
      deploymentId,
      {
        providerName: provider.name,
        providerEndpoint: provider.endpoint,
        physicalId: namePrefix(deploymentId),
        task: 'DEPLOYER',
        attempts: [...row.attempts, { provider: provider.name, startedAt: ctx.clock().toISOString() }],
      },
      row.version,
    );
    if (!updated) return; // another start won the race; it carries on
    row = updated;
    await log.write(`provider ${provider.name} chosen (${ranked.join(', ')} ranked)`);
    await ctx.notifier.notify(row);
  }

  const provider = providerByName(ctx, row.providerName);
  if (!provider) {
    await failDeployment(ctx, row, `Cloud provider ${row.providerName} is no longer configured`);
    return;
  }
  let session;
  try {
    session = await openCloudSession(ctx, provider, row);
  } catch (error) {
    // No credentials for this deployment (e.g. nothing delegated for its owner): retrying the
    // start cannot help, and the reconciler would re-enqueue it forever.
    const failure = classifyFailure(error);
    if (!failure.retryable) {
      await failDeployment(ctx, row, failure.message);
      return;
    }
    throw error;
  }
  try {
    const prefix = namePrefix(deploymentId);
    // Checked before each create: a closing worker stops here, and the job resumes elsewhere.
    const current = async () => {
      signal.throwIfAborted();
      return (await ctx.store.getDeployment(deploymentId))?.generation === generation;
    };
    const ref = (kind: 'network' | 'keypair' | 'security_group', name: string) => ({ deploymentId, provider: provider.name, kind, name, instanceId: null });
    const computeNodes = Object.values(row.compiled.topology.nodes).filter(isCompute);
    if (computeNodes.length) {
      const tags = { deploymentId };
      const { publicKey } = await deploymentKeyPair(ctx.store, deploymentId);
      await ensureCloudObject(ctx.store, session, ref('keypair', `${prefix}-key`), current, () => session.createKeyPair(`${prefix}-key`, publicKey, tags));
      await ensureCloudObject(ctx.store, session, ref('network', `${prefix}-net`), current, () => session.createNetwork(`${prefix}-net`, tags));
      for (const node of computeNodes) {
        const name = `${prefix}-${node.name}-sg`;
        await ensureCloudObject(ctx.store, session, ref('security_group', name), current, () => session.createSecurityGroup(name, securityRules(node), tags));
      }
    }
  } finally {
    await session.close();
  }

  if ((await ctx.store.getSteps(deploymentId, generation)).length === 0) {
    // A generation with nothing to do (an update that changes no instance): finish says so.
    await enqueueFinish(ctx, deploymentId, generation);
    return;
  }
  await ctx.store.setResourceStates(deploymentId, row.status === 'CREATE_IN_PROGRESS' ? 'CREATING' : 'CONFIGURING', row.status === 'CREATE_IN_PROGRESS' ? [] : ['CREATING', 'DELETING', 'STARTED']);
  await advance(ctx, deploymentId, generation);
}
