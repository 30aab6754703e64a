// The state port of the engine (STYLE.md rule 5). libs/persistence implements it twice
// (PostgreSQL, PGlite) with one SQL dialect; libs/orchestrator never sees SQL. Everything the
// engine knows lives here, so any worker process can pick up any step after a crash.
import type { InstancePlan, ServiceTopology } from '@lib/tosca';
import type {
  CloudProviderEndpoint,
  DeploymentSortField,
  DeploymentStatus,
  DeploymentTask,
  OwnerRef,
  PageRequest,
  ResourceSortField,
  ResourceState,
} from './domain.types';
import type { Failure, FailureCode } from './workflow/failure';
import type { StepSpec } from './workflow/step-spec';
import type { ArtifactLock } from './artifacts/operation-artifacts';

/** The compiled template as the engine keeps it (plain JSON, see @lib/tosca model.ts). */
export interface StoredPlan {
  topology: ServiceTopology;
  plan: InstancePlan;
  /** What each operation runs: file digests, roles, executor (absent before remote artifacts). */
  artifacts?: ArtifactLock;
}

/** One provider attempt of the current workflow, for the final "every provider's error" reason. */
export interface ProviderAttempt {
  provider: string;
  /** ISO time the attempt began (for providerTimeoutMins). */
  startedAt?: string;
  error?: string;
  cleaned?: boolean;
}

export interface DeploymentRow {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  status: DeploymentStatus;
  statusReason: string | null;
  task: DeploymentTask;
  template: string;
  /** Decrypted on read; the store encrypts the `secretInputs` keys at rest (AES-256-GCM). */
  parameters: Record<string, unknown>;
  secretInputs: string[];
  outputs: Record<string, unknown>;
  callback: string | null;
  userGroup: string | null;
  owner: (OwnerRef & { name?: string }) | null;
  keepLastAttempt: boolean;
  maxProvidersRetry: number | null;
  timeoutMins: number | null;
  providerTimeoutMins: number | null;
  /** Absolute deadline from timeoutMins (reference §2.3 step 8). */
  deadlineAt: Date | null;
  providerName: string | null;
  providerEndpoint: CloudProviderEndpoint | null;
  physicalId: string | null;
  compiled: StoredPlan;
  /** Bumped by every workflow (create, update, delete): jobs of an older generation are no-ops. */
  generation: number;
  /** Optimistic lock, bumped by every write. */
  version: number;
  attempts: ProviderAttempt[];
  extraInfo: unknown[];
}

export type NewDeploymentRow = Omit<DeploymentRow, 'createdAt' | 'updatedAt' | 'version'>;

/**
 * What the API renders for a deployment (list items and GET /deployments/{id}): the row without
 * its template, plan, parameters and provider attempts, so reads never fetch and parse those blobs.
 */
export type DeploymentSummary = Pick<
  DeploymentRow,
  | 'id'
  | 'createdAt'
  | 'updatedAt'
  | 'status'
  | 'statusReason'
  | 'task'
  | 'outputs'
  | 'callback'
  | 'userGroup'
  | 'owner'
  | 'keepLastAttempt'
  | 'maxProvidersRetry'
  | 'timeoutMins'
  | 'providerTimeoutMins'
  | 'providerName'
  | 'providerEndpoint'
  | 'physicalId'
>;

/** Fields a workflow may change; `version` is bumped by the store. */
export type DeploymentPatch = Partial<
  Pick<
    DeploymentRow,
    | 'status'
    | 'statusReason'
    | 'task'
    | 'template'
    | 'parameters'
    | 'secretInputs'
    | 'outputs'
    | 'callback'
    | 'keepLastAttempt'
    | 'maxProvidersRetry'
    | 'timeoutMins'
    | 'providerTimeoutMins'
    | 'deadlineAt'
    | 'providerName'
    | 'providerEndpoint'
    | 'physicalId'
    | 'compiled'
    | 'generation'
    | 'attempts'
    | 'extraInfo'
  >
>;

export interface ResourceRow {
  id: string;
  deploymentId: string;
  instanceId: string;
  nodeName: string;
  nodeType: string;
  nodeTypes: string[];
  index: number;
  state: ResourceState;
  physicalId: string | null;
  attributes: Record<string, unknown>;
  vmInfo: Record<string, unknown> | null;
  /** Its create step completed once: an update reconfigures it rather than creating it again. */
  provisioned: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type NewResourceRow = Pick<ResourceRow, 'id' | 'instanceId' | 'nodeName' | 'nodeType' | 'nodeTypes' | 'index' | 'state'>;

export type ResourcePatch = Partial<Pick<ResourceRow, 'state' | 'physicalId' | 'attributes' | 'vmInfo' | 'provisioned'>>;

export const CLOUD_RESOURCE_KINDS = [
  'network',
  'subnet',
  'router',
  'security_group',
  'keypair',
  'volume',
  'server',
  'floating_ip',
] as const;
/** Kinds of cloud objects the engine creates. */
export type CloudResourceKind = (typeof CLOUD_RESOURCE_KINDS)[number];

/**
 * A cloud object, recorded with its deterministic name BEFORE the create call and updated with
 * its cloud id after, so a crash at any point leaves nothing undeploy cannot find.
 */
export interface CloudResourceRow {
  id: string;
  deploymentId: string;
  /** Node instance it belongs to, or null for deployment-wide objects (network, key pair). */
  instanceId: string | null;
  provider: string;
  kind: CloudResourceKind;
  /** Deterministic name/tag, unique per deployment and provider: the idempotency key. */
  name: string;
  cloudId: string | null;
  status: 'pending' | 'created' | 'deleted';
  /** Insertion order: delete walks it backwards. */
  seq: number;
  createdAt: Date;
}

/** Which recorded cloud objects to list: live ones by default, narrowed by any field given. */
export interface CloudResourceFilter {
  includeDeleted?: boolean;
  provider?: string;
  kind?: CloudResourceKind;
  name?: string;
}

export type StepStatus = 'pending' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface StepRow {
  deploymentId: string;
  generation: number;
  stepId: string;
  dependsOn: string[];
  status: StepStatus;
  attempts: number;
  /** Why it failed (the failure's message) and its code, when it did. */
  error: string | null;
  failureCode: FailureCode | null;
  /** What the step does (its `kind` is stored in a column of its own too). */
  spec: StepSpec;
  updatedAt: Date;
}

export type NewStepRow = Pick<StepRow, 'stepId' | 'dependsOn' | 'spec'>;

export interface DeploymentFilter {
  /** Only rows of this issuer, plus ownerless rows. */
  issuer?: string;
  owner?: OwnerRef;
  userGroup?: string;
  excludedStatus?: DeploymentStatus[];
}

export interface WorkflowProgress {
  status: DeploymentStatus;
  /** The deployment's current generation (a newer one means this workflow was superseded). */
  generation: number;
  /** Steps of the asked generation still pending, queued or running. */
  open: number;
  failed: number;
}

export interface StoredLogLine {
  seq: number;
  at: Date;
  text: string;
}

/** The engine's whole durable state. Every method is atomic. */
export interface DeploymentStore {
  /** Inserts the deployment, its resource rows (one per node instance) and its first generation's steps in one transaction. */
  createDeployment(row: NewDeploymentRow, resources: NewResourceRow[], steps?: NewStepRow[]): Promise<DeploymentRow>;
  getDeployment(id: string): Promise<DeploymentRow | null>;
  /** The rendered part of a row only (no template, plan or parameters). */
  getDeploymentSummary(id: string): Promise<DeploymentSummary | null>;
  listDeployments(filter: DeploymentFilter, page: PageRequest<DeploymentSortField>): Promise<{ rows: DeploymentSummary[]; total: number }>;
  /** Deployments by status (statuses with none may be absent), without reading any row. */
  countDeploymentsByStatus(): Promise<Partial<Record<DeploymentStatus, number>>>;
  /** Applies the patch when `expectedVersion` matches (or is omitted); returns null on a lost race or a missing row. */
  updateDeployment(id: string, patch: DeploymentPatch, expectedVersion?: number): Promise<DeploymentRow | null>;
  /**
   * The version-checked update that opens a new workflow generation (`patch.generation`), with
   * that generation's steps and its new resource rows, in one transaction: a caller that loses
   * the race (null) has written nothing, so no orphan row or foreign step is left behind.
   */
  startGeneration(id: string, patch: DeploymentPatch & { generation: number }, expectedVersion: number, work: { steps: NewStepRow[]; resources: NewResourceRow[] }): Promise<DeploymentRow | null>;
  /** Removes the deployment and everything under it. */
  deleteDeployment(id: string): Promise<void>;
  /** Ids of deployments whose status is one of `statuses` (the reconciler's sweep). */
  listDeploymentIdsByStatus(statuses: DeploymentStatus[], limit: number): Promise<string[]>;

  listResources(deploymentId: string, query: { type?: string; page?: PageRequest<ResourceSortField> }): Promise<{ rows: ResourceRow[]; total: number }>;
  getResource(deploymentId: string, resourceId: string): Promise<ResourceRow | null>;
  /** The resource row of one node instance (`web_vm_0`). */
  getResourceByInstance(deploymentId: string, instanceId: string): Promise<ResourceRow | null>;
  updateResource(deploymentId: string, resourceId: string, patch: ResourcePatch): Promise<ResourceRow | null>;
  /** Sets every resource of the deployment to `state`, except those in `except`. */
  setResourceStates(deploymentId: string, state: ResourceState, except?: ResourceState[]): Promise<void>;
  deleteResources(deploymentId: string, resourceIds: string[]): Promise<void>;

  /**
   * Records a cloud object before it is created; returns the existing row when the name is
   * already recorded. `fresh` says this call inserted it: then no earlier attempt can have
   * created the object (every create is recorded first), and nothing needs looking up.
   */
  recordCloudResource(row: Omit<CloudResourceRow, 'id' | 'seq' | 'createdAt' | 'status' | 'cloudId'>): Promise<CloudResourceRow & { fresh: boolean }>;
  markCloudResource(id: string, patch: { cloudId?: string; status?: CloudResourceRow['status'] }): Promise<void>;
  listCloudResources(deploymentId: string, options?: CloudResourceFilter): Promise<CloudResourceRow[]>;

  getSteps(deploymentId: string, generation: number): Promise<StepRow[]>;
  getStep(deploymentId: string, generation: number, stepId: string): Promise<StepRow | null>;
  /**
   * Where a workflow stands, in one cheap read (no plan, no step specs): what every step asks
   * before its next cloud create and after it ends. Null when the deployment is gone.
   */
  getWorkflowProgress(deploymentId: string, generation: number): Promise<WorkflowProgress | null>;
  /** Compare-and-set of a step's status; returns the updated row, or null when it was not in `from`. */
  transitionStep(
    deploymentId: string,
    generation: number,
    stepId: string,
    from: StepStatus[],
    to: StepStatus,
    patch?: { failure?: Failure | null; incrementAttempts?: boolean },
  ): Promise<StepRow | null>;
  /**
   * Atomically: pending steps whose dependencies are all `done` become `queued` and are returned.
   * Called after a step finishes; two concurrent callers never both get the same step. With a
   * `window`, at most that many of the deployment's steps are queued or running afterwards
   * (fairness: one large deployment keeps a bounded share of the queue; two concurrent claimers
   * may each fill it, so the bound is soft by at most one window).
   */
  claimReadySteps(deploymentId: string, generation: number, window?: number): Promise<StepRow[]>;
  /** Node instances (resource rows) of the owner's deployments not yet deleted; `null` = the ownerless local user. */
  countOwnerInstances(owner: OwnerRef | null): Promise<number>;

  appendLog(deploymentId: string, lines: string[]): Promise<void>;
  readLog(deploymentId: string, afterSeq: number, limit: number): Promise<StoredLogLine[]>;

  /** Encrypted key/value per deployment (the SSH private key, tokens). */
  putSecret(deploymentId: string, name: string, value: string): Promise<void>;
  getSecret(deploymentId: string, name: string): Promise<string | null>;

  close(): Promise<void>;
}
