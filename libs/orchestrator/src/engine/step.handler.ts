// deployment.step: provision and configure one node instance (create), re-run its configure
// operations (reconfigure), or delete it (remove, on scale-in). Transient faults are rethrown
// for the job runner to retry with backoff; permanent ones, or the last attempt, fail the step
// and hand over to deployment.finish (rule 16). Which is which, workflow/failure.ts decides.
import type { JobContext, JobPayloads } from '../jobs';
import { classifyFailure, permanent, retryable } from '../workflow/failure';
import type { DeploymentRow, StepRow } from '../store.port';
import { deleteCloudObjects } from './cloud-cleanup';
import { ensureCloudObject, namePrefix, StaleWorkflowError } from './cloud-objects';
import { openCloudSession } from './cloud-session';
import { parseSizeBytes } from './flavor-match';
import { DeploymentLog, Redactor } from './deployment-log';
import { isBlockStorage, isCompute } from './endpoint-rules';
import { advance, providerByName, type EngineContext } from './engine.context';
import type { InstanceGraph } from './instance-lookup';
import { requirementsByInstance } from '../workflow/build-steps';
import { provisionCompute } from './provision-compute';
import { runOperations, runTeardown } from './run-operations';
import { deploymentKeyPair, type SshKeyPair } from './ssh-keys';
import type { StepWork } from './step-work';

const ACTIVE = ['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS'];

export async function handleStep(ctx: EngineContext, payload: JobPayloads['deployment.step'], job: JobContext): Promise<void> {
  const { deploymentId, generation, stepId } = payload;
  const row = await ctx.store.getDeployment(deploymentId);
  if (!row || row.generation !== generation || !ACTIVE.includes(row.status)) {
    if (row) await ctx.store.transitionStep(deploymentId, generation, stepId, ['pending', 'queued', 'running'], 'cancelled');
    return;
  }
  const step = await ctx.store.transitionStep(deploymentId, generation, stepId, ['queued', 'running'], 'running', { incrementAttempts: true });
  if (!step) return; // done, failed or cancelled already: a duplicate delivery
  const log = new DeploymentLog(ctx.store, deploymentId, Redactor.forDeployment(row), ctx.clock);
  try {
    checkDeadlines(ctx, row);
    await runStep(ctx, row, step, log, job.signal);
    await ctx.store.transitionStep(deploymentId, generation, stepId, ['running'], 'done', { failure: null });
    await advance(ctx, deploymentId, generation);
  } catch (error) {
    if (error instanceof StaleWorkflowError) {
      await ctx.store.transitionStep(deploymentId, generation, stepId, ['running'], 'cancelled');
      return;
    }
    if (job.signal.aborted) throw error; // the worker is closing: another one resumes the step
    const failure = classifyFailure(error);
    if (failure.retryable && job.attempt < job.maxAttempts) {
      await log.write(`${stepId}: ${failure.message} (attempt ${job.attempt} of ${job.maxAttempts}, will retry)`);
      throw error;
    }
    await log.write(`${stepId}: failed: ${failure.message}`);
    await ctx.store.transitionStep(deploymentId, generation, stepId, ['running'], 'failed', { failure });
    await advance(ctx, deploymentId, generation);
  }
}

function checkDeadlines(ctx: EngineContext, row: DeploymentRow): void {
  const now = ctx.clock().getTime();
  if (row.deadlineAt && now > row.deadlineAt.getTime()) throw permanent('deadline_exceeded', 'Timeout: Maximum execution time exceeded.');
  const started = row.attempts.at(-1)?.startedAt;
  if (row.providerTimeoutMins && started && now > Date.parse(started) + row.providerTimeoutMins * 60_000) {
    throw permanent('provider_timeout', `provider timeout during deployment (${row.providerTimeoutMins} min)`);
  }
}

async function runStep(ctx: EngineContext, row: DeploymentRow, step: StepRow, log: DeploymentLog, signal: AbortSignal): Promise<void> {
  const provider = providerByName(ctx, row.providerName);
  if (!provider) throw permanent('provider_unconfigured', `Cloud provider ${row.providerName} is no longer configured`);
  const spec = step.spec;
  const instanceId = spec.instanceId;
  const resource = (await ctx.store.getResourceByInstance(row.id, instanceId)) ?? undefined;
  const session = await openCloudSession(ctx, provider, row);
  // The stored plan's edges carry the actual instance ids: every instance of this generation
  // finds its requirements there, without reading all the steps again at each operation. An
  // instance being removed is in the previous plan only: its steps still say where it stood.
  const planned = spec.kind === 'remove' ? undefined : requirementsByInstance(row.compiled.plan);
  const graph = async (): Promise<InstanceGraph> => {
    if (planned) return { topology: row.compiled.topology, resources: (await ctx.store.listResources(row.id, {})).rows, requirements: planned };
    const [resources, steps] = await Promise.all([ctx.store.listResources(row.id, {}), ctx.store.getSteps(row.id, row.generation)]);
    return { topology: row.compiled.topology, resources: resources.rows, requirements: new Map(steps.map((s) => [s.spec.instanceId, s.spec.requirements])) };
  };
  // A step stops before its next cloud create once the workflow moved on, or once a sibling
  // step failed (finish then cleans the attempt and must not race new creates).
  const stillCurrent = async () => {
    const now = await ctx.store.getWorkflowProgress(row.id, row.generation);
    return now !== null && now.generation === row.generation && ACTIVE.includes(now.status) && now.failed === 0;
  };
  let keys: Promise<SshKeyPair> | undefined;
  const keyPair = () => (keys ??= deploymentKeyPair(ctx.store, row.id));
  try {
    if (spec.kind === 'remove') {
      if (!resource) return;
      await ctx.store.updateResource(row.id, resource.id, { state: 'DELETING' });
      // Steps of older versions carry only the instance id: nothing to run then.
      const work: StepWork = { ctx, deployment: row, step, spec, resource, provider, session, log, signal, stillCurrent, keyPair };
      await runTeardown(work, spec.teardown, graph);
      const objects = (await ctx.store.listCloudResources(row.id)).filter((o) => o.instanceId === instanceId);
      const result = await deleteCloudObjects(ctx.store, session, objects);
      if (result.left.length) throw retryable('cleanup_incomplete', `could not delete ${result.left.join('; ')}`);
      await ctx.store.deleteResources(row.id, [resource.id]);
      await log.write(`${instanceId}: removed (${result.deleted} cloud objects deleted)`);
      return;
    }
    if (!resource) throw permanent('plan_mismatch', `no resource row for ${instanceId}`);
    const node = row.compiled.topology.nodes[spec.template];
    if (!node) throw permanent('plan_mismatch', `node template ${spec.template} is not in the plan`);
    const work: StepWork = { ctx, deployment: row, step, spec, resource, provider, session, log, signal, stillCurrent, keyPair };
    const reconfigure = spec.kind === 'reconfigure';
    await ctx.store.updateResource(row.id, resource.id, { state: reconfigure ? 'CONFIGURING' : 'CREATING' });
    if (!reconfigure) {
      if (isCompute(node)) await provisionCompute(work, node, { images: provider.imageMappings });
      else if (isBlockStorage(node)) await provisionVolume(work);
      else await ctx.store.updateResource(row.id, resource.id, { attributes: { tosca_id: resource.id, tosca_name: instanceId } });
      await ctx.store.updateResource(row.id, resource.id, { state: 'CONFIGURING' });
    }
    await runOperations(work, node, graph, reconfigure);
    await ctx.store.updateResource(row.id, resource.id, { state: 'STARTED', provisioned: true });
    await log.write(`${instanceId}: ${reconfigure ? 'reconfigured' : 'started'}`);
  } finally {
    await session.close();
  }
}

async function provisionVolume(work: StepWork): Promise<void> {
  const { ctx, deployment, spec, session, provider } = work;
  const node = deployment.compiled.topology.nodes[spec.template];
  const sizeGb = Math.max(1, Math.ceil((parseSizeBytes(node.properties.size) ?? 1024 ** 3) / 1024 ** 3));
  const name = `${namePrefix(deployment.id)}-${spec.instanceId}`;
  const id = await ensureCloudObject(ctx.store, session, { deploymentId: deployment.id, provider: provider.name, kind: 'volume', name, instanceId: spec.instanceId }, work.stillCurrent, () =>
    session.createVolume(name, sizeGb, { deploymentId: deployment.id }),
  );
  await ctx.store.updateResource(deployment.id, work.resource.id, { physicalId: id, attributes: { tosca_id: id, tosca_name: spec.instanceId, volume_id: id, size: `${sizeGb} GB` } });
}
