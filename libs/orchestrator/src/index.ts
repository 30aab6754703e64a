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
  PermanentStepError,
  ProviderError,
  ResourceNotFoundError,
  StateConflictError,
  TemplateInvalidError,
} from './errors';
export type { OrchestratorErrorCode } from './errors';

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
  DeploymentFilter,
  DeploymentPatch,
  DeploymentRow,
  DeploymentStore,
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
