// Domain vocabulary of the orchestrator, copied from the INDIGO reference §2.1 so that the API
// can render it unchanged (../shared/reference/indigo-orchestrator-api.md).

/** Deployment status (reference §2.1), in the reference's order. */
export const DEPLOYMENT_STATUSES = [
  'CREATE_IN_PROGRESS',
  'CREATE_COMPLETE',
  'CREATE_FAILED',
  'UPDATE_IN_PROGRESS',
  'UPDATE_COMPLETE',
  'UPDATE_FAILED',
  'DELETE_IN_PROGRESS',
  'DELETE_COMPLETE',
  'DELETE_FAILED',
  'UNKNOWN',
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** Deployment task (reference §2.1). Only NONE and DEPLOYER are ever set. */
export const DEPLOYMENT_TASKS = ['NONE', 'MONITORING', 'QOS', 'BROKERING', 'DMS', 'DEPLOYER', 'UNKNOWN'] as const;
export type DeploymentTask = (typeof DEPLOYMENT_TASKS)[number];

/** TOSCA node state of a resource (reference §2.1). */
export const RESOURCE_STATES = [
  'INITIAL',
  'CREATING',
  'CREATED',
  'CONFIGURING',
  'CONFIGURED',
  'STARTING',
  'STARTED',
  'STOPPING',
  'STOPPED',
  'DELETING',
  'ERROR',
] as const;
export type ResourceState = (typeof RESOURCE_STATES)[number];

/** An authenticated caller. Identity is (issuer, subject); `groups` from `groups`/`wlcg.groups`. */
export interface Principal {
  issuer: string;
  subject: string;
  name?: string;
  groups: string[];
}

/** The owner of a deployment as rendered in `createdBy`. */
export interface OwnerRef {
  issuer: string;
  subject: string;
}

/** `cloudProviderEndpoint` of the reference; the API omits absent members. */
export interface CloudProviderEndpoint {
  cpEndpoint?: string;
  region?: string;
  cpComputeServiceId?: string;
  /** Always `OPENSTACK` here (the simulator speaks the OpenStack API). */
  deploymentType: 'OPENSTACK';
  iaasType: 'OPENSTACK';
}

/** A link relative to the service root; the API makes it absolute from the request host. */
export interface RelativeLink {
  rel: string;
  /** E.g. `/deployments/<id>/resources?type={type}` (the literal URI template is intended). */
  path: string;
}

/** What the API renders for a deployment (reference §1.3 "Deployment JSON"). */
export interface DeploymentRecord {
  uuid: string;
  creationTime: Date;
  updateTime: Date;
  status: DeploymentStatus;
  statusReason?: string;
  task: DeploymentTask;
  /** Always present (`{}` at start). Secret inputs never appear here. */
  outputs: Record<string, unknown>;
  callback?: string;
  userGroup?: string;
  cloudProviderName?: string;
  cloudProviderEndpoint?: CloudProviderEndpoint;
  /** Our own infrastructure id (the deployment's tag in the cloud) once a provider was chosen. */
  physicalId?: string;
  /** Null for ownerless rows made with auth off. */
  createdBy: OwnerRef | null;
  keepLastAttempt: boolean;
  maxProvidersRetry?: number;
  timeoutMins?: number;
  providerTimeoutMins?: number;
  links: RelativeLink[];
}

/** What the API renders for a resource (reference §1.4). One per node instance. */
export interface ResourceRecord {
  uuid: string;
  deploymentId: string;
  creationTime: Date;
  updateTime: Date;
  /** Cloud id of the server (or other main cloud object) once bound. */
  physicalId?: string;
  state: ResourceState;
  toscaNodeType: string;
  /** The node type and its ancestors, most specific first (the `type` filter matches any). */
  toscaNodeTypes: string[];
  toscaNodeName: string;
  /** Instance id in the plan, e.g. `server_0`. */
  instanceId: string;
  /** Always `[]` in the reference; we fill it with the uuids of the resources that depend on this one. */
  requiredBy: string[];
  /** `VirtualMachineInfo` is a JSON *string* (reference §1.4); never holds private keys. */
  metadata: { VirtualMachineInfo?: string };
  /** Runtime attributes (tosca_id, public_address, private_address...). */
  attributes: Record<string, unknown>;
  links: RelativeLink[];
}

/** A page of results with the total count, for Spring-style paging. */
export interface Page<T> {
  items: T[];
  total: number;
}

export type SortDirection = 'asc' | 'desc';

/** Sortable deployment fields (Spring names: `sort=createdAt,desc`). */
export type DeploymentSortField = 'createdAt' | 'updatedAt' | 'status' | 'uuid';
export type ResourceSortField = 'createdAt' | 'updatedAt' | 'toscaNodeName' | 'uuid';

export interface SortOrder<F extends string> {
  field: F;
  direction: SortDirection;
}

/** 0-based page number, size (the API caps it at 2000), and sort orders (default createdAt desc). */
export interface PageRequest<F extends string> {
  page: number;
  size: number;
  sort: SortOrder<F>[];
}
