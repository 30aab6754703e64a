// What every job handler works with. Handlers get this one object; each uses only what it needs.
import type { AccessTokenSource } from '../access-token-source.port';
import type { OperationArtifacts } from '../artifacts/operation-artifacts';
import type { CloudProvider } from '../cloud.port';
import type { ConfigurationRunner } from '../configuration-runner.port';
import type { JobRunner } from '../job-runner.port';
import type { DeploymentStore } from '../store.port';
import type { WorkflowPlanner } from '../workflow/planner';
import { enqueueJob, jobIds } from '../workflow/job-policy';
import type { CallbackPolicy } from './callback-policy';
import type { CallbackNotifier } from './callback.notifier';

export interface EngineLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface EngineTimings {
  /** Between two server status polls (default 1000 ms). */
  pollMs: number;
  /** A server must be ACTIVE within this (default 10 min). */
  bootTimeoutMs: number;
  /** SSH must answer within this once the server is ACTIVE (default 5 min). */
  sshTimeoutMs: number;
  /** One lifecycle operation may run this long (default 30 min; the operation's own timeout wins). */
  operationTimeoutMs: number;
  /** Tries of a step on transient faults (default 5), exponential backoff from `backoffMs`. */
  stepAttempts: number;
  backoffMs: number;
}

export const DEFAULT_TIMINGS: EngineTimings = {
  pollMs: 1000,
  bootTimeoutMs: 10 * 60_000,
  sshTimeoutMs: 5 * 60_000,
  operationTimeoutMs: 30 * 60_000,
  stepAttempts: 5,
  backoffMs: 1000,
};

/** Per-deployment bounds of the engine (issue 8); see engine-limits.ts. */
export interface EngineLimits {
  /** Node instances one owner may hold across deployments not yet deleted. */
  maxInstancesPerOwner: number;
  /** Steps of one deployment queued or running at once (fairness between deployments). */
  deploymentStepWindow: number;
}

export const DEFAULT_ENGINE_LIMITS: EngineLimits = { maxInstancesPerOwner: Number.POSITIVE_INFINITY, deploymentStepWindow: Number.POSITIVE_INFINITY };

export interface EngineContext {
  store: DeploymentStore;
  jobs: JobRunner;
  providers: CloudProvider[];
  /** The owners' IAM tokens for Keystone-federated clouds; absent when auth or delegation is off. */
  accessTokens?: AccessTokenSource;
  runner: ConfigurationRunner;
  /** Remote artifacts, roles, IM's contract and the executor choice; absent = local playbooks on their node alone. */
  artifacts?: OperationArtifacts;
  notifier: CallbackNotifier;
  /** Where callbacks may go (checked at submission and again, with DNS, when sent). */
  callbackPolicy: CallbackPolicy;
  logger: EngineLogger;
  clock: () => Date;
  timings: EngineTimings;
  /** The one owner of every generation's steps (create, update, failover). */
  planner: WorkflowPlanner;
  limits: EngineLimits;
}

export { jobIds } from '../workflow/job-policy';

export function providerByName(ctx: EngineContext, name: string | null): CloudProvider | undefined {
  return ctx.providers.find((p) => p.name === name);
}

/** Enqueues one step job with the engine's retry policy. */
export async function enqueueStep(ctx: EngineContext, deploymentId: string, generation: number, stepId: string, replaceFinished = false): Promise<void> {
  await enqueueJob(ctx, 'deployment.step', { deploymentId, generation, stepId }, jobIds.step(deploymentId, generation, stepId), replaceFinished);
}

export async function enqueueFinish(ctx: EngineContext, deploymentId: string, generation: number, replaceFinished = false): Promise<void> {
  await enqueueJob(ctx, 'deployment.finish', { deploymentId, generation }, jobIds.finish(deploymentId, generation), replaceFinished);
}

/** After a step ended: claim what it unblocked and enqueue it; when nothing is left, finish. */
export async function advance(ctx: EngineContext, deploymentId: string, generation: number): Promise<void> {
  const ready = await ctx.store.claimReadySteps(deploymentId, generation, ctx.limits.deploymentStepWindow);
  // All at once: a hub that 99 leaves wait for releases them together, not one round trip apart.
  await Promise.all(ready.map((step) => enqueueStep(ctx, deploymentId, generation, step.stepId)));
  const progress = await ctx.store.getWorkflowProgress(deploymentId, generation);
  if (!progress) return; // deleted meanwhile
  // A failure finishes the workflow at once (the other running steps see it and stop).
  if (progress.open === 0 || progress.failed > 0) await enqueueFinish(ctx, deploymentId, generation);
}
