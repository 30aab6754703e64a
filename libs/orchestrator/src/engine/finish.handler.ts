// deployment.finish: ends a create/update workflow. All steps done → outputs, *_COMPLETE. A step
// failed → an update fails; a create cleans the attempt (unless it is the last one and
// keepLastAttempt is set) and moves to the next ranked provider, or fails listing every error.
import type { JobPayloads } from '../jobs';
import type { DeploymentRow } from '../store.port';
import { deleteCloudObjects } from './cloud-cleanup';
import { openCloudSession } from './cloud-session';
import { DeploymentLog, Redactor, SECRET_MASK } from './deployment-log';
import { enqueueJob, jobIds } from '../workflow/job-policy';
import { providerByName, type EngineContext } from './engine.context';
import { resolveContextFor } from './instance-lookup';
import type { StepSpec } from '../workflow/step-spec';
import { exhaustedReason, nextProvider, quotaNeeds, rankProviders } from './provider-ranking';
import { workflowState } from './scheduler';
import { resolveValue } from './value-resolver';
import { sleep } from './step-work';
import { failDeployment } from './workflow-end';

const TIMEOUT = 'Timeout: Maximum execution time exceeded.';
const SETTLE_MS = 60_000;
const SETTLE_POLL_MS = 200;

export async function handleFinish(ctx: EngineContext, { deploymentId, generation }: JobPayloads['deployment.finish'], signal: AbortSignal): Promise<void> {
  const row = await ctx.store.getDeployment(deploymentId);
  if (!row || row.generation !== generation || (row.status !== 'CREATE_IN_PROGRESS' && row.status !== 'UPDATE_IN_PROGRESS')) return;
  const steps = await ctx.store.getSteps(deploymentId, generation);
  const state = workflowState(steps);
  if (state === 'running') return;
  const log = new DeploymentLog(ctx.store, deploymentId, Redactor.forDeployment(row), ctx.clock);
  if (state === 'done') {
    await complete(ctx, row, steps.map((s) => s.spec), log);
    return;
  }
  await settleSteps(ctx, deploymentId, generation, signal);
  const failed = steps.filter((s) => s.status === 'failed');
  const message = failed.map((s) => `${s.stepId}: ${s.error ?? 'failed'}`).join('\n');
  if (row.status === 'UPDATE_IN_PROGRESS') {
    await failDeployment(ctx, row, message);
    return;
  }
  if (failed.some((s) => s.failureCode === 'deadline_exceeded')) {
    await failDeployment(ctx, row, TIMEOUT);
    return;
  }
  const attempts = row.attempts.map((a, i) => (i === row.attempts.length - 1 ? { ...a, error: message } : a));
  const next = nextProvider(rankProviders(ctx.providers, row.compiled.topology.policies, row.maxProvidersRetry, quotaNeeds(row.compiled)), attempts);
  if (next || !row.keepLastAttempt) {
    const provider = providerByName(ctx, row.providerName);
    if (provider) {
      const session = await openCloudSession(ctx, provider, row);
      try {
        const result = await deleteCloudObjects(ctx.store, session, await ctx.store.listCloudResources(deploymentId, { provider: provider.name }));
        attempts[attempts.length - 1].cleaned = result.left.length === 0;
        await log.write(`attempt on ${provider.name} cleaned: ${result.deleted} cloud objects deleted${result.left.length ? `, left: ${result.left.join('; ')}` : ''}`);
      } finally {
        await session.close();
      }
    }
  }
  if (!next) {
    await failDeployment(ctx, row, exhaustedReason(attempts), { attempts });
    return;
  }
  // The next provider's generation, planned by the one planner and written with its steps.
  const planned = await ctx.planner.planFailover({ compiled: row.compiled, resources: (await ctx.store.listResources(deploymentId, {})).rows, parameters: row.parameters });
  const moved = await ctx.store.startGeneration(
    deploymentId,
    { generation: generation + 1, providerName: null, providerEndpoint: null, physicalId: null, attempts, task: 'NONE' },
    row.version,
    { steps: planned.steps, resources: planned.resources },
  );
  if (!moved) return;
  await ctx.store.setResourceStates(deploymentId, 'INITIAL');
  await log.write(`provider ${row.providerName} failed (${message.replace(/\n/g, '; ')}); trying ${next}`);
  await enqueueJob(ctx, 'deployment.start', { deploymentId, generation: generation + 1 }, jobIds.start(deploymentId, generation + 1));
}

async function complete(ctx: EngineContext, row: DeploymentRow, specs: StepSpec[], log: DeploymentLog): Promise<void> {
  const resources = (await ctx.store.listResources(row.id, {})).rows;
  const graph = {
    topology: row.compiled.topology,
    resources,
    requirements: new Map(specs.filter((s) => s.instanceId && s.requirements).map((s) => [s.instanceId, s.requirements])),
  };
  const outputs: Record<string, unknown> = {};
  const redactor = Redactor.forDeployment(row);
  const missing: string[] = [];
  for (const [name, value] of Object.entries(row.compiled.plan.outputs)) {
    const r = resolveValue(value, resolveContextFor(graph, undefined));
    // An output may be a secret input (get_input): responses and callbacks never carry it. One
    // computed from a secret (a `token` or `concat` of a password, through properties too) is
    // masked whole: its fragments are not the secret, so no match would find them.
    outputs[name] = row.compiled.topology.outputs[name]?.fromSecret ? SECRET_MASK : redactor.redactValue(r.value);
    missing.push(...r.missing);
  }
  if (missing.length) await log.write(`outputs without a value: ${missing.join(', ')}`);
  // Resources first, status last: whoever reads a terminal status (an event stream, a poller)
  // must find the resource states that led to it already written.
  await ctx.store.setResourceStates(row.id, 'STARTED');
  const done = await ctx.store.updateDeployment(row.id, {
    status: row.status === 'CREATE_IN_PROGRESS' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE',
    statusReason: null,
    task: 'NONE',
    outputs,
    extraInfo: resources.filter((r) => r.vmInfo).map((r) => r.vmInfo),
  });
  if (!done) return;
  await log.write(`${done.status}`);
  ctx.logger.info('deployment complete', { deployment_id: row.id, status: done.status });
  await ctx.notifier.notify(done);
}

/**
 * Cancels the steps that did not start and waits (bounded) for running ones to stop: they see the
 * failed sibling before their next cloud create. Cleaning earlier could miss an object a running
 * step is creating at that moment.
 */
async function settleSteps(ctx: EngineContext, deploymentId: string, generation: number, signal: AbortSignal): Promise<void> {
  const deadline = ctx.clock().getTime() + SETTLE_MS;
  for (;;) {
    const steps = await ctx.store.getSteps(deploymentId, generation);
    for (const s of steps) {
      if (s.status === 'pending' || s.status === 'queued') await ctx.store.transitionStep(deploymentId, generation, s.stepId, [s.status], 'cancelled');
    }
    if (!steps.some((s) => s.status === 'running') || ctx.clock().getTime() > deadline) return;
    await sleep(SETTLE_POLL_MS, signal);
  }
}
