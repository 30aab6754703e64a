// Public door of libs/orchestrator (STYLE.md rule 2). Named exports only.

/**
 * Domain vocabulary (reference §2.1): statuses, tasks, resource states, records the API renders.
 *
 * @example
 * ```ts
 * import { DEPLOYMENT_STATUSES, type DeploymentRecord } from '@lib/orchestrator';
 * const ok = (d: DeploymentRecord) => DEPLOYMENT_STATUSES.includes(d.status);
 * ```
 */
export { DEPLOYMENT_STATUSES, DEPLOYMENT_TASKS, RESOURCE_STATES } from './domain.types';
export type {
  CloudProviderEndpoint,
  DeploymentRecord,
  DeploymentSortField,
  DeploymentStatus,
  DeploymentTask,
  OwnerRef,
  Page,
  PageRequest,
  Principal,
  RelativeLink,
  ResourceRecord,
  ResourceSortField,
  ResourceState,
  SortDirection,
  SortOrder,
} from './domain.types';

/**
 * The facade the REST API calls: one method per operation of the reference API.
 *
 * @example
 * ```ts
 * import type { DeploymentService } from '@lib/orchestrator';
 * async function post(svc: DeploymentService, template: string) {
 *   const d = await svc.create({ template, parameters: {}, owner: null });
 *   return d.uuid; // status CREATE_IN_PROGRESS, task NONE
 * }
 * ```
 */
export type {
  CreateDeploymentCommand,
  DeploymentEvent,
  DeploymentService,
  ListDeploymentsQuery,
  ListResourcesQuery,
  LogLine,
  ResourceAction,
  StreamOptions,
  UpdateDeploymentCommand,
} from './deployment-service.port';

/**
 * The error family of libs/orchestrator: map `code` to HTTP at the edge.
 *
 * @example
 * ```ts
 * import { OrchestratorError, TemplateInvalidError } from '@lib/orchestrator';
 * try { await svc.create(cmd); } catch (e) {
 *   if (e instanceof TemplateInvalidError) return { status: 400, diagnostics: e.diagnostics };
 *   if (e instanceof OrchestratorError && e.code === 'deployment_not_found') return { status: 404 };
 *   throw e;
 * }
 * ```
 */
export {
  ConcurrentUpdateError,
  DeploymentNotFoundError,
  InputInvalidError,
  InvalidRequestError,
  JobRegistryError,
  OrchestratorError,
  PlanRejectedError,
  ProviderError,
  ResourceNotFoundError,
  StateConflictError,
  TemplateInvalidError,
  CloudOperationError,
} from './errors';
export type { OrchestratorErrorCode, PlanProblem } from './errors';

/**
 * The workflow model: typed step specs, the one planner of create, update and failover, the
 * plan-time checks it runs, and failures as data (`{code, retryable, message}`).
 *
 * @example
 * ```ts
 * import { classifyFailure, permanent, type PlanCheck } from '@lib/orchestrator';
 * const noShell: PlanCheck = {
 *   name: 'no-shell-scripts',
 *   check: ({ operations }) => operations.filter((o) => o.operation.implementation?.endsWith('.sh'))
 *     .map((o) => ({ code: 'script_not_allowed', message: 'only playbooks run here', node: o.template, operation: o.label })),
 * };
 * classifyFailure(permanent('no_fitting_flavor', 'no flavor fits')); // { code: 'no_fitting_flavor', retryable: false, ... }
 * ```
 */
export { readStepSpec, STEP_KINDS } from './workflow/step-spec';
export type { CreateStepSpec, InstanceRequirement, ReconfigureStepSpec, RemoveStepSpec, StepKind, StepSpec } from './workflow/step-spec';
export { WorkflowPlanner } from './workflow/planner';
export type { CurrentDeployment, PlannedGeneration } from './workflow/planner';
export { DEFAULT_PLAN_CHECKS } from './workflow/plan-checks';
export type { PlanCheck, PlanCheckInput, PlannedOperationRef, WorkflowKind } from './workflow/plan-checks';
export { classifyFailure, permanent, retryable, WorkflowFailureError } from './workflow/failure';
export type { EngineFailureCode, Failure, FailureCode } from './workflow/failure';

/**
 * The durable state port the engine runs on; libs/persistence implements it (PostgreSQL, PGlite).
 *
 * @example
 * ```ts
 * import type { DeploymentStore } from '@lib/orchestrator';
 * async function statusOf(store: DeploymentStore, id: string) {
 *   return (await store.getDeployment(id))?.status ?? 'gone';
 * }
 * ```
 */
export { CLOUD_RESOURCE_KINDS } from './store.port';
export type {
  CloudResourceKind,
  CloudResourceRow,
  CloudResourceFilter,
  DeploymentFilter,
  DeploymentPatch,
  DeploymentRow,
  DeploymentStore,
  DeploymentSummary,
  NewDeploymentRow,
  NewResourceRow,
  NewStepRow,
  ProviderAttempt,
  ResourcePatch,
  ResourceRow,
  StepRow,
  StepStatus,
  StoredLogLine,
  StoredPlan,
  WorkflowProgress,
} from './store.port';

/**
 * Job names and payloads in one typed map, and the checked handler table (the worker refuses to
 * boot on a missing or duplicate handler).
 *
 * @example
 * ```ts
 * import { buildJobHandlers, JOB_NAMES, onJob } from '@lib/orchestrator';
 * const handlers = buildJobHandlers(JOB_NAMES.map((n) => onJob(n, async () => undefined)));
 * ```
 */
export { buildJobHandlers, JOB_NAMES, onJob } from './jobs';
export type { HandlerRegistration, JobContext, JobHandler, JobHandlers, JobName, JobPayloads } from './jobs';

/**
 * The job runner port and its BullMQ implementation (Redis, PostgreSQL, or embedded PGlite).
 *
 * @example
 * ```ts
 * import { createJobRunner } from '@lib/orchestrator';
 * const runner = await createJobRunner(config.redisUrl ? { kind: 'redis', url: config.redisUrl } : { kind: 'pglite', dataDir: `${config.dataDir}/queue` });
 * await runner.enqueue('deployment.start', { deploymentId: id, generation: 1 }, { jobId: `start:${id}:1` });
 * ```
 */
export { createJobRunner } from './job-runner.factory';
export type { JobRunnerConfig } from './job-runner.factory';
export type { EnqueueOptions, JobRunner, JobWorker, WorkerOptions } from './job-runner.port';

/**
 * Compose the engine: the `DeploymentService` facade for the API and `startWorker` for workers
 * (job handlers + the reconciler that re-enqueues whatever the store says must run).
 *
 * @example
 * ```ts
 * import { createJobRunner, createOrchestrator, MemoryCloudProvider, RecordingConfigurationRunner } from '@lib/orchestrator';
 * import { createPgliteStore } from '@lib/persistence';
 * const orchestrator = createOrchestrator({
 *   store: await createPgliteStore({ secretKey }),
 *   jobRunner: await createJobRunner({ kind: 'pglite' }),
 *   providers: [new MemoryCloudProvider()],
 *   runner: new RecordingConfigurationRunner(),
 * });
 * const worker = await orchestrator.startWorker({ concurrency: 4 });
 * const d = await orchestrator.deployments.create({ template, parameters: {}, owner: null });
 * await worker.close();
 * await orchestrator.close();
 * ```
 */
export { createOrchestrator, toscaCompiler } from './orchestrator.factory';

/**
 * The compiler of templates sent to the service: imports only from the catalogue, the given
 * bounds, and with `threads` > 0 worker threads with a deadline (pass `compile` as
 * `createOrchestrator`'s `compiler`; close it after the orchestrator).
 *
 * @example
 * const compiler = createServiceCompiler({ threads: 1, deadlineMs: 10_000, limits: { maxInstances: 1000 } });
 * const orchestrator = createOrchestrator({ store, jobRunner, providers, runner, compiler: compiler.compile });
 */
export { createServiceCompiler } from './service-compiler';
export type { ServiceCompiler, ServiceCompilerOptions } from './service-compiler';
export type { Orchestrator, OrchestratorOptions, RunningWorker, WorkerStartOptions } from './orchestrator.factory';
export type { TemplateCompiler } from './template-compiler.port';
export type { EngineLogger, EngineTimings } from './engine/engine.context';
export type { CallbackNotifier } from './engine/callback.notifier';

/**
 * Fresh IAM access tokens of a deployment's owner, for clouds reached through Keystone
 * federation (`auth.method: oidc` in the providers file). `DelegatedTokensService` of @lib/auth
 * fits it; pass it as `accessTokens` to `createOrchestrator`.
 *
 * @example
 * ```ts
 * import type { AccessTokenSource } from '@lib/orchestrator';
 * const tokens: AccessTokenSource = { accessToken: async (owner) => mintFor(owner.subject) };
 * createOrchestrator({ store, jobRunner, providers, runner, accessTokens: tokens });
 * ```
 */
export type { AccessTokenSource, TokenOwnerRef } from './access-token-source.port';

/**
 * The cloud port and its in-process implementation (embedded default and strict test double).
 *
 * @example
 * ```ts
 * import { MemoryCloudProvider } from '@lib/orchestrator';
 * const cloud = new MemoryCloudProvider({ bootMs: 2000, maxInstances: 10 });
 * cloud.list({ kind: 'server' }).length; // live servers
 * ```
 */
export { MemoryCloudProvider } from './memory.cloud-provider';

/**
 * The prefix of every cloud object name a deployment gets (servers, network, router, groups,
 * key pair, volumes): what an operator, or a test, filters a cloud's listings by.
 *
 * @example
 * ```ts
 * import { namePrefix } from '@lib/orchestrator';
 * namePrefix('01a23b07-a0cb-7e44-8373-ea3b37a4e6f5'); // 'baton-ea3b37a4e6f5'
 * ```
 */
export { namePrefix } from './engine/cloud-objects';
export type { MemoryCloudObject, MemoryCloudOptions } from './memory.cloud-provider';
export type {
  CloudProvider,
  CloudSession,
  CloudSessionContext,
  CloudTags,
  CreateServerRequest,
  FlavorInfo,
  ImageInfo,
  PortRule,
  ProviderQuotas,
  ServerInfo,
} from './cloud.port';

/**
 * The configuration port (lifecycle operations over SSH) and the recording runner, which
 * records operations without executing them.
 *
 * @example
 * ```ts
 * import { RecordingConfigurationRunner } from '@lib/orchestrator';
 * const runner = new RecordingConfigurationRunner({ 'configure.yml': { outputs: { port: 8080 } } });
 * runner.operations.map((o) => o.label); // ['web_0 Standard.configure', ...]
 * ```
 */
export { RecordingConfigurationRunner } from './recording.configuration-runner';
export type { RecordedOperation } from './recording.configuration-runner';
export type { ConfigurationRunner, OperationResult, OperationRun, SshTarget } from './configuration-runner.port';

/**
 * Cloud providers over @lib/openstack: a providers file (OpenStack clouds with password,
 * application-credential or OIDC-federation auth, image mappings, quotas), and the built-in
 * simulator (started on loopback; servers have SSH only when bound to a host of `sshPool`).
 *
 * @example
 * ```ts
 * import { loadProvidersFile, startSimulatorProvider } from '@lib/orchestrator';
 * const { providers, close } = config.providersFile
 *   ? await loadProvidersFile(config.providersFile)
 *   : await startSimulatorProvider().then(({ provider, simulator }) => ({ providers: [provider], close: () => simulator.close() }));
 * ```
 */
export { loadProvidersFile, startSimulatorProvider } from './providers.factory';
export type { LoadedProviders, SimulatorProviderOptions } from './providers.factory';
export { OpenStackCloudProvider } from './openstack.cloud-provider';
export type { OpenStackProviderConfig } from './openstack.cloud-provider';

/**
 * The configuration port over @lib/runner: one playbook run per lifecycle operation, inputs as
 * extra vars, set_fact/set_stats values as operation outputs.
 *
 * @example
 * ```ts
 * import { PlaybookConfigurationRunner } from '@lib/orchestrator';
 * const runner = new PlaybookConfigurationRunner({ artifactsDir: 'templates' });
 * ```
 */
export { PlaybookConfigurationRunner } from './playbook.configuration-runner';
export type { PlaybookRunnerOptions } from './playbook.configuration-runner';

/**
 * The plan-time service of operations: remote artifacts under the allow-list (or a mirror), the
 * files their playbooks name, Galaxy roles, and the executor of each operation (our runner or
 * ansible-playbook), with IM's contextualization contract at run time.
 * @example
 * const artifacts = createOperationArtifacts(config.artifacts, 'templates');
 * createOrchestrator({ store, jobRunner, providers, runner, artifacts });
 */
export { createOperationArtifacts } from './artifacts/create-operation-artifacts';
/**
 * The service {@link createOperationArtifacts} builds, and what it records per operation.
 * @example
 * const { lock, problems } = await artifacts.plan(topology);
 * const entry: LockedOperation = lock['front_end.Standard.configure'];
 */
export { OperationArtifacts } from './artifacts/operation-artifacts';
/**
 * Types of the artifact lock.
 * @example
 * const lock: ArtifactLock = row.compiled.artifacts ?? {};
 */
export type { ArtifactLock, LockedOperation } from './artifacts/operation-artifacts';
/**
 * IM's inventory and variables for a deployment's hosts (groups per Compute template, IM_NODE_*).
 * @example
 * const inv = imInventory([{ name: 'wn_0', template: 'wn', num: 1, privateIp: '10.0.0.5', publicIp: null, cloudType: 'OpenStack', ssh }], deploymentId);
 * inv.groups.wn; // ['wn_0']
 */
export { imInventory } from './im/im-contract';
