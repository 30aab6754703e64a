// The facade the REST API calls (apps/api). Every operation of the INDIGO reference §1.2 has one
// method here. Authorization stays at the edge: the API checks owner/issuer/admin rules on the
// record it reads (`createdBy`, `userGroup`) before calling a mutation; the service enforces the
// state preconditions of reference §1.3 and throws the errors of ./errors.ts.
import type { Diagnostic } from '@lib/tosca';
import type {
  DeploymentRecord,
  DeploymentSortField,
  DeploymentStatus,
  OwnerRef,
  Page,
  PageRequest,
  Principal,
  ResourceRecord,
  ResourceSortField,
  ResourceState,
  DeploymentTask,
} from './domain.types';

/** POST /deployments (reference §1.3 DeploymentRequest), after the API coerced string booleans. */
export interface CreateDeploymentCommand {
  template: string;
  /** Raw user values; strings are coerced to the TOSCA input types by the compiler. */
  parameters: Record<string, unknown>;
  callback?: string;
  /** Null when auth is off (ownerless row). */
  owner: Principal | null;
  userGroup?: string;
  keepLastAttempt?: boolean;
  maxProvidersRetry?: number;
  timeoutMins?: number;
  providerTimeoutMins?: number;
  /**
   * Cloud endpoints the caller named (the IM API's OpenStack credential lines): the deployment is
   * pinned to the configured providers at those endpoints, in that order. InvalidRequestError
   * when none is configured there.
   */
  cloudHosts?: string[];
}

/** PUT /deployments/{id}: the template replaces, parameters are merged, callback replaced when given. */
export interface UpdateDeploymentCommand {
  template: string;
  parameters: Record<string, unknown>;
  callback?: string;
  keepLastAttempt?: boolean;
  maxProvidersRetry?: number;
  timeoutMins?: number;
  providerTimeoutMins?: number;
  /**
   * Resource uuids to remove where the template scales in, besides the template's own
   * `removal_list` (the IM API's DELETE of a VM; normative Scalable has no `removal_list`).
   */
  removeResources?: string[];
  /** Fetch remote artifacts anew instead of running the bytes the deployment recorded. */
  refreshArtifacts?: boolean;
}

/**
 * GET /deployments filters. `createdBy` undefined = every deployment of `issuer` (admin view);
 * `'me'` = the caller's own. Results are always restricted to `issuer` when given, and ownerless
 * rows are always visible (reference §1.3 listing rules; the API decides admin/403 before calling).
 */
export interface ListDeploymentsQuery {
  caller: Principal | null;
  createdBy?: OwnerRef | 'me';
  issuer?: string;
  userGroup?: string;
  excludedStatus?: DeploymentStatus[];
  page: PageRequest<DeploymentSortField>;
}

/** GET /deployments/{id}/resources. `type` matches the node type or any parent type. */
export interface ListResourcesQuery {
  type?: string;
  page: PageRequest<ResourceSortField>;
}

/** One line of a deployment's log (`GET /log` joins `text` with newlines). */
export interface LogLine {
  /** Monotonic per deployment, starting at 1: resume a stream with `afterSeq`. */
  seq: number;
  at: Date;
  text: string;
}

/** Progress events for the SSE stream. */
export type DeploymentEvent =
  | { kind: 'status'; deploymentId: string; status: DeploymentStatus; task: DeploymentTask; statusReason?: string; at: Date }
  | { kind: 'resource'; deploymentId: string; resourceId: string; toscaNodeName: string; state: ResourceState; at: Date }
  | { kind: 'outputs'; deploymentId: string; outputs: Record<string, unknown>; at: Date }
  | { kind: 'log'; deploymentId: string; line: LogLine }
  /** The deployment row is gone (successful delete): the stream ends after this. */
  | { kind: 'deleted'; deploymentId: string; at: Date };

export interface StreamOptions {
  signal: AbortSignal;
  /** Only lines with seq > afterSeq (default 0 = from the start). */
  afterSeq?: number;
}

/** `reboot` (stop, then start) is offered by the IM-compatible API only; the reference has start and stop. */
export type ResourceAction = 'start' | 'stop' | 'reboot';

/**
 * The deployment engine as the API sees it. All methods are safe to call from any process: state
 * lives in the store and work is done by workers through the job runner.
 */
export interface DeploymentService {
  /** 201: compiles, persists the plan (one resource per node instance, INITIAL), enqueues the deploy. Throws TemplateInvalidError / InputInvalidError / InvalidRequestError. */
  create(command: CreateDeploymentCommand): Promise<DeploymentRecord>;
  /** Paged list; `total` counts every match. */
  list(query: ListDeploymentsQuery): Promise<Page<DeploymentRecord>>;
  /** Throws DeploymentNotFoundError. */
  get(id: string): Promise<DeploymentRecord>;
  /** Deployments by status, from maintained counters (no row is read): what /metrics reports. */
  countByStatus(): Promise<Partial<Record<DeploymentStatus, number>>>;
  /** 202: only from CREATE_COMPLETE / UPDATE_COMPLETE / UPDATE_FAILED (else StateConflictError). */
  update(id: string, command: UpdateDeploymentCommand): Promise<void>;
  /** PATCH: `status` must be DELETE_FAILED (else InvalidRequestError); current must be DELETE_IN_PROGRESS (else StateConflictError). */
  reset(id: string, status: DeploymentStatus): Promise<void>;
  /** 204: async undeploy (StateConflictError when already DELETE_IN_PROGRESS/COMPLETE). Row deleted at once when nothing was provisioned. */
  delete(id: string, options: { force: boolean }): Promise<void>;
  /** The TOSCA text as submitted (latest after update). */
  getTemplate(id: string): Promise<string>;
  /** The whole log so far (`""` if none). */
  getLog(id: string): Promise<string>;
  /** Log lines as they are written; ends when the signal aborts or the deployment is deleted. */
  streamLog(id: string, options: StreamOptions): AsyncIterable<LogLine>;
  /** JSON array text of per-VM info objects (`[]` if none). */
  getExtraInfo(id: string): Promise<string>;
  listResources(id: string, query: ListResourcesQuery): Promise<Page<ResourceRecord>>;
  /** Throws ResourceNotFoundError (404). */
  getResource(id: string, resourceId: string): Promise<ResourceRecord>;
  /** 202: start/stop a Compute instance; state checks are done asynchronously (reference §1.3). */
  resourceAction(id: string, resourceId: string, action: ResourceAction): Promise<void>;
  /** Progress events (status, resources, outputs, log lines) until the signal aborts or the row is deleted. */
  events(id: string, options: StreamOptions): AsyncIterable<DeploymentEvent>;
  /** POST /templates/validate: every diagnostic, no side effect. */
  validate(template: string, parameters?: Record<string, unknown>): Promise<Diagnostic[]>;
}
