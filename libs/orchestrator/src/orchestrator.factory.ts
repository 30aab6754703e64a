// Composition of the engine for the apps: the facade for the API, and a worker that runs the
// job handlers plus the reconciler. Every outside effect comes in through a port.
import type { AccessTokenSource } from './access-token-source.port';
import type { CloudProvider } from './cloud.port';
import type { OperationArtifacts } from './artifacts/operation-artifacts';
import type { ConfigurationRunner } from './configuration-runner.port';
import type { DeploymentService } from './deployment-service.port';
import { EngineDeploymentService } from './deployment.service';
import { handleAction } from './engine/action.handler';
import { CallbackPolicy, type CallbackPolicyOptions } from './engine/callback-policy';
import { HttpCallbackNotifier, type CallbackNotifier } from './engine/callback.notifier';
import { DeploymentLog, Redactor } from './engine/deployment-log';
import { DEFAULT_ENGINE_LIMITS, DEFAULT_TIMINGS, type EngineContext, type EngineLimits, type EngineLogger, type EngineTimings } from './engine/engine.context';
import { handleFinish } from './engine/finish.handler';
import { startReconciler } from './engine/reconciler';
import { handleStart } from './engine/start.handler';
import { handleStep } from './engine/step.handler';
import { handleUndeploy } from './engine/undeploy.handler';
import type { JobRunner } from './job-runner.port';
import { buildJobHandlers, onJob, type JobHandler, type JobName } from './jobs';
import type { DeploymentRow, DeploymentStore } from './store.port';
import { implementationCheck, quotaCheck } from './engine/plan-admission';
import { createServiceCompiler } from './service-compiler';
import type { TemplateCompiler } from './template-compiler.port';
import { timeOrderedUuid } from './uuid';
import { DEFAULT_PLAN_CHECKS, type PlanCheck } from './workflow/plan-checks';
import { WorkflowPlanner } from './workflow/planner';

export interface OrchestratorOptions {
  store: DeploymentStore;
  jobRunner: JobRunner;
  providers: CloudProvider[];
  /** Fresh IAM tokens of deployment owners, for clouds reached through Keystone federation. */
  accessTokens?: AccessTokenSource;
  runner: ConfigurationRunner;
  /** Remote artifacts, roles, IM's contract, executor choice (createOperationArtifacts); absent = off. */
  artifacts?: OperationArtifacts;
  /** Default: libs/tosca's compiler with the user's parameters as inputs. */
  compiler?: TemplateCompiler;
  clock?: () => Date;
  logger?: EngineLogger;
  notifier?: CallbackNotifier;
  /** Where callbacks may go (BATON_CALLBACK_HOSTS, BATON_CALLBACK_PRIVATE_NETWORKS); default: any public host. */
  callbacks?: CallbackPolicyOptions;
  /** Time-out of one callback POST (BATON_CALLBACK_TIMEOUT_MS, default 10 s). */
  callbackTimeoutMs?: number;
  timings?: Partial<EngineTimings>;
  /** Plan-time checks run after DEFAULT_PLAN_CHECKS over every planned generation (workflow/plan-checks.ts). */
  planChecks?: readonly PlanCheck[];
  /** Per-owner and per-deployment bounds (default: unbounded). */
  limits?: Partial<EngineLimits>;
}

export interface WorkerStartOptions {
  /** Jobs run at once by this worker (BATON_WORKER_CONCURRENCY). */
  concurrency: number;
  /** Sweep interval of the reconciler (default 5 s). */
  reconcileMs?: number;
  lockDurationMs?: number;
}

export interface RunningWorker {
  /** Stops taking jobs; running ones get `graceMs` before their signal aborts. */
  close(graceMs?: number): Promise<void>;
}

export interface Orchestrator {
  deployments: DeploymentService;
  startWorker(options: WorkerStartOptions): Promise<RunningWorker>;
  /** Stops the workers started here and closes the job runner and the store. */
  close(): Promise<void>;
}

/** Logs a failed run (the runner retries it); the deployment id goes in `deployment_id`. */
function logged<N extends JobName>(logger: EngineLogger, name: N, handler: JobHandler<N>): JobHandler<N> {
  return async (payload, job) => {
    try {
      await handler(payload, job);
    } catch (error) {
      logger.warn(`job ${name} failed (attempt ${job.attempt} of ${job.maxAttempts})`, {
        deployment_id: (payload as { deploymentId?: string }).deploymentId,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  };
}

const silentLogger: EngineLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** libs/tosca's compiler as the service uses it, in this thread with the compiler's default bounds. */
export const toscaCompiler: TemplateCompiler = createServiceCompiler({ threads: 0 }).compile;

export function createOrchestrator(options: OrchestratorOptions): Orchestrator {
  if (options.providers.length === 0) throw new TypeError('createOrchestrator needs at least one cloud provider');
  const names = options.providers.map((p) => p.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new TypeError(`two cloud providers are named ${dup}`);
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => new Date());
  const callbackPolicy = new CallbackPolicy(options.callbacks ?? { hosts: null, privateNetworks: [] });
  // A callback that was refused or failed is said in the process log and in the deployment's own
  // log, where its owner looks (the row may be gone after an undeploy: then only the first).
  const callbackLog = (row: DeploymentRow, message: string): void => {
    logger.warn(message, { deployment_id: row.id });
    void new DeploymentLog(options.store, row.id, Redactor.forDeployment(row), clock).write(message).catch(() => undefined);
  };
  const ctx: EngineContext = {
    store: options.store,
    jobs: options.jobRunner,
    providers: options.providers,
    ...(options.accessTokens ? { accessTokens: options.accessTokens } : {}),
    runner: options.runner,
    ...(options.artifacts ? { artifacts: options.artifacts } : {}),
    notifier: options.notifier ?? new HttpCallbackNotifier(callbackLog, callbackPolicy, options.callbackTimeoutMs),
    callbackPolicy,
    logger,
    clock,
    timings: { ...DEFAULT_TIMINGS, ...options.timings },
    // Issue 8: implementations and provider quotas are checked before anything is stored.
    planner: new WorkflowPlanner([...DEFAULT_PLAN_CHECKS, implementationCheck(options.runner), quotaCheck(options.providers), ...(options.planChecks ?? [])], () => timeOrderedUuid(clock()), options.artifacts),
    limits: { ...DEFAULT_ENGINE_LIMITS, ...options.limits },
  };
  const workers = new Set<RunningWorker>();
  return {
    deployments: new EngineDeploymentService(ctx, options.compiler ?? toscaCompiler),
    async startWorker(opts) {
      // Rule 15: the table is checked before the worker takes a single job.
      const handlers = buildJobHandlers([
        onJob('deployment.start', logged(logger, 'deployment.start', (p, job) => handleStart(ctx, p, job.signal))),
        onJob('deployment.step', logged(logger, 'deployment.step', (p, job) => handleStep(ctx, p, job))),
        onJob('deployment.finish', logged(logger, 'deployment.finish', (p, job) => handleFinish(ctx, p, job.signal))),
        onJob('deployment.undeploy', logged(logger, 'deployment.undeploy', (p, job) => handleUndeploy(ctx, p, job))),
        onJob('resource.action', logged(logger, 'resource.action', (p, job) => handleAction(ctx, p, job.signal))),
      ]);
      const worker = await ctx.jobs.startWorker(handlers, { concurrency: opts.concurrency, lockDurationMs: opts.lockDurationMs });
      const reconciler = startReconciler(ctx, opts.reconcileMs ?? 5000);
      const running: RunningWorker = {
        close: async (graceMs) => {
          workers.delete(running);
          await reconciler.stop();
          await worker.close(graceMs);
        },
      };
      workers.add(running);
      return running;
    },
    async close() {
      for (const w of [...workers]) await w.close(1000);
      await ctx.jobs.close();
      await ctx.store.close();
    },
  };
}
