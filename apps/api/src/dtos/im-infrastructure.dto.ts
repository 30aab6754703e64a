// The IM API's view of a deployment (grycap/im IM/rest/models.py, IM/VirtualMachine.py,
// InfrastructureManager.GetInfrastructureState): an infrastructure is a deployment, its VMs are
// the deployment's Compute resources, numbered 0, 1, ... in creation order, and its states are
// IM's. Pure mappers over the engine's records; the controllers call them.
import { ApiProperty } from '@nestjs/swagger';
import type { DeploymentRecord, DeploymentStatus, ResourceRecord, ResourceState } from '@lib/orchestrator';

export const IM_STATES = ['pending', 'running', 'configured', 'unconfigured', 'stopped', 'off', 'failed', 'unknown', 'deleting'] as const;
export type ImState = (typeof IM_STATES)[number];

export class ImStateDto {
  @ApiProperty({ enum: IM_STATES, description: 'Aggregated state of the infrastructure.' })
  state!: ImState;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', enum: [...IM_STATES] }, description: 'VM id → state.' })
  vm_states!: Record<string, ImState>;
}

export class ImUriDto {
  @ApiProperty({ type: String, example: 'http://localhost:8080/infrastructures/11ed8ab3-6a40-968a-82b7-62f0862dbe46' })
  uri!: string;
}

export class ImUriListDto {
  @ApiProperty({ type: [ImUriDto], name: 'uri-list' })
  'uri-list'!: ImUriDto[];
}

/** A VM: its IM number and the resource behind it. */
export interface ImVm {
  id: number;
  resource: ResourceRecord;
}

const COMPUTE = 'tosca.nodes.Compute';
const indexOf = (r: ResourceRecord): number => Number(/_(\d+)$/.exec(r.instanceId)?.[1] ?? 0);

/**
 * The deployment's VMs, numbered in creation order (then template name, then instance index, so
 * the instances of one create are numbered the same way every time). IM never reuses a number;
 * here the VMs after a removed one move down by one.
 */
export function imVms(resources: ResourceRecord[]): ImVm[] {
  return resources
    .filter((r) => r.toscaNodeTypes.includes(COMPUTE))
    .sort((a, b) => a.creationTime.getTime() - b.creationTime.getTime() || a.toscaNodeName.localeCompare(b.toscaNodeName) || indexOf(a) - indexOf(b))
    .map((resource, id) => ({ id, resource }));
}

const FAILED: DeploymentStatus[] = ['CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED'];

/** IM's VM state from the resource's TOSCA state; a VM left half-configured by a failed workflow is `unconfigured`. */
export function imVmState(state: ResourceState, deployment: DeploymentStatus): ImState {
  switch (state) {
    case 'INITIAL':
    case 'CREATING':
      return FAILED.includes(deployment) ? 'failed' : 'pending';
    case 'CREATED':
    case 'CONFIGURING':
      return FAILED.includes(deployment) ? 'unconfigured' : 'running';
    case 'STARTING':
    case 'STOPPING':
      return 'running';
    case 'CONFIGURED':
    case 'STARTED':
      return 'configured';
    case 'STOPPED':
      return 'stopped';
    case 'DELETING':
      return 'deleting';
    case 'ERROR':
      return 'failed';
  }
}

/** IM's aggregation (failed, unknown win; pending over running; ...), then the workflow's own word. */
export function imInfrastructureState(deployment: DeploymentRecord, vmStates: ImState[]): ImState {
  switch (deployment.status) {
    case 'DELETE_IN_PROGRESS':
      return 'deleting';
    case 'CREATE_FAILED':
    case 'DELETE_FAILED':
      return 'failed';
    case 'UNKNOWN':
    case 'DELETE_COMPLETE':
      return 'unknown';
    case 'CREATE_IN_PROGRESS':
    case 'UPDATE_IN_PROGRESS':
      // Still working: IM clients wait while pending or running, so never configured yet.
      if (vmStates.includes('failed')) return 'failed';
      return vmStates.length === 0 || vmStates.includes('pending') ? 'pending' : 'running';
    case 'UPDATE_FAILED':
      return vmStates.includes('failed') ? 'failed' : 'unconfigured';
    case 'CREATE_COMPLETE':
    case 'UPDATE_COMPLETE':
      return aggregate(vmStates);
  }
}

function aggregate(states: ImState[]): ImState {
  let state: ImState | undefined;
  for (const s of states) {
    if (s === 'failed' || s === 'unknown') return s;
    if (s === 'pending') state = 'pending';
    else if (s === 'running' && state !== 'pending') state = 'running';
    else if ((s === 'stopped' || s === 'off' || s === 'configured') && state === undefined) state = s;
    else if (s === 'unconfigured' && (state === undefined || state === 'configured')) state = 'unconfigured';
  }
  return state ?? 'configured';
}

export function toImStateDto(deployment: DeploymentRecord, vms: ImVm[]): ImStateDto {
  const vm_states = Object.fromEntries(vms.map((v) => [String(v.id), imVmState(v.resource.state, deployment.status)]));
  return { state: imInfrastructureState(deployment, Object.values(vm_states)), vm_states };
}
