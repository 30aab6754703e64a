// Store rows → the records the API renders (reference §1.3, §1.4). Links are relative; the API
// makes them absolute from the request's host.
import type { DeploymentRecord, ResourceRecord } from './domain.types';
import { maskUrl } from './engine/callback-policy';
import type { DeploymentSummary, ResourceRow } from './store.port';

export function toDeploymentRecord(row: DeploymentSummary): DeploymentRecord {
  const self = `/deployments/${row.id}`;
  return {
    uuid: row.id,
    creationTime: row.createdAt,
    updateTime: row.updatedAt,
    status: row.status,
    ...(row.statusReason ? { statusReason: row.statusReason } : {}),
    task: row.task,
    outputs: row.outputs,
    // A callback's credentials are the owner's secret: every reader of the record sees them masked.
    ...(row.callback ? { callback: maskUrl(row.callback) } : {}),
    ...(row.userGroup ? { userGroup: row.userGroup } : {}),
    ...(row.providerName ? { cloudProviderName: row.providerName } : {}),
    ...(row.providerEndpoint ? { cloudProviderEndpoint: row.providerEndpoint } : {}),
    ...(row.physicalId ? { physicalId: row.physicalId } : {}),
    createdBy: row.owner ? { issuer: row.owner.issuer, subject: row.owner.subject } : null,
    keepLastAttempt: row.keepLastAttempt,
    ...(row.maxProvidersRetry !== null ? { maxProvidersRetry: row.maxProvidersRetry } : {}),
    ...(row.timeoutMins !== null ? { timeoutMins: row.timeoutMins } : {}),
    ...(row.providerTimeoutMins !== null ? { providerTimeoutMins: row.providerTimeoutMins } : {}),
    links: [
      { rel: 'self', path: self },
      { rel: 'resources', path: `${self}/resources?type={type}` },
      { rel: 'template', path: `${self}/template` },
    ],
  };
}

/** Internal bookkeeping attributes (prefixed `__`) and SSH details stay inside. */
function publicAttributes(attributes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([k]) => !k.startsWith('__') && k !== 'ssh_user'));
}

export function toResourceRecord(row: ResourceRow, requiredBy: string[] = []): ResourceRecord {
  const self = `/deployments/${row.deploymentId}/resources/${row.id}`;
  return {
    uuid: row.id,
    deploymentId: row.deploymentId,
    creationTime: row.createdAt,
    updateTime: row.updatedAt,
    ...(row.physicalId ? { physicalId: row.physicalId } : {}),
    state: row.state,
    toscaNodeType: row.nodeType,
    toscaNodeTypes: row.nodeTypes,
    toscaNodeName: row.nodeName,
    instanceId: row.instanceId,
    requiredBy,
    metadata: row.vmInfo ? { VirtualMachineInfo: JSON.stringify(row.vmInfo) } : {},
    attributes: publicAttributes(row.attributes),
    links: [
      { rel: 'deployment', path: `/deployments/${row.deploymentId}` },
      { rel: 'self', path: self },
    ],
  };
}
