// Column ↔ field mapping for the store, in one place. Secrets are sealed/opened here.
import type {
  CloudResourceRow,
  DeploymentRow,
  DeploymentSummary,
  ResourceRow,
  StepRow,
} from '@lib/orchestrator';
import { readStepSpec } from '@lib/orchestrator';
import type { SecretBox } from './secret-box';

type Db = Record<string, unknown>;

const ENC = '$enc';

/** Replaces each secret input by `{ $enc: <sealed JSON> }`. */
export function sealParameters(box: SecretBox, parameters: Record<string, unknown>, secret: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parameters)) {
    out[key] = secret.includes(key) && value !== undefined ? { [ENC]: box.seal(JSON.stringify(value)) } : value;
  }
  return out;
}

export function openParameters(box: SecretBox, stored: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) {
    const sealed = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Db)[ENC] : undefined;
    out[key] = typeof sealed === 'string' ? JSON.parse(box.open(sealed)) : value;
  }
  return out;
}

/**
 * The compiled plan holds the input values resolved into properties, operation inputs and
 * outputs, so a deployment with secret inputs keeps it sealed whole: `{ $enc: <sealed JSON> }`.
 */
export function sealCompiled(box: SecretBox, compiled: unknown, secret: string[]): unknown {
  return secret.length > 0 && compiled !== null && compiled !== undefined ? { [ENC]: box.seal(JSON.stringify(compiled)) } : compiled;
}

function openCompiled(box: SecretBox, stored: unknown): unknown {
  const sealed = stored !== null && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Db)[ENC] : undefined;
  return typeof sealed === 'string' ? JSON.parse(box.open(sealed)) : stored;
}

/** The columns `toDeploymentSummary` reads: list and get never fetch the template or the plan. */
export const SUMMARY_COLUMNS =
  'id, created_at, updated_at, status, status_reason, task, outputs, callback, user_group, owner_issuer, owner_subject, owner_name, ' +
  'keep_last_attempt, max_providers_retry, timeout_mins, provider_timeout_mins, provider_name, provider_endpoint, physical_id';

export function toDeploymentSummary(r: Db): DeploymentSummary {
  return {
    id: r.id as string,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    status: r.status as DeploymentRow['status'],
    statusReason: (r.status_reason as string | null) ?? null,
    task: r.task as DeploymentRow['task'],
    outputs: (r.outputs as Record<string, unknown>) ?? {},
    callback: (r.callback as string | null) ?? null,
    userGroup: (r.user_group as string | null) ?? null,
    owner:
      r.owner_issuer && r.owner_subject
        ? {
            issuer: r.owner_issuer as string,
            subject: r.owner_subject as string,
            ...(r.owner_name ? { name: r.owner_name as string } : {}),
          }
        : null,
    keepLastAttempt: r.keep_last_attempt as boolean,
    maxProvidersRetry: (r.max_providers_retry as number | null) ?? null,
    timeoutMins: (r.timeout_mins as number | null) ?? null,
    providerTimeoutMins: (r.provider_timeout_mins as number | null) ?? null,
    providerName: (r.provider_name as string | null) ?? null,
    providerEndpoint: (r.provider_endpoint as DeploymentRow['providerEndpoint']) ?? null,
    physicalId: (r.physical_id as string | null) ?? null,
  };
}

export function toDeployment(box: SecretBox, r: Db): DeploymentRow {
  return {
    ...toDeploymentSummary(r),
    template: r.template as string,
    parameters: openParameters(box, r.parameters as Record<string, unknown>),
    secretInputs: (r.secret_inputs as string[]) ?? [],
    deadlineAt: (r.deadline_at as Date | null) ?? null,
    compiled: openCompiled(box, r.compiled) as DeploymentRow['compiled'],
    generation: r.generation as number,
    version: r.version as number,
    attempts: (r.attempts as DeploymentRow['attempts']) ?? [],
    extraInfo: (r.extra_info as unknown[]) ?? [],
  };
}

export function toResource(r: Db): ResourceRow {
  return {
    id: r.id as string,
    deploymentId: r.deployment_id as string,
    instanceId: r.instance_id as string,
    nodeName: r.node_name as string,
    nodeType: r.node_type as string,
    nodeTypes: r.node_types as string[],
    index: r.idx as number,
    state: r.state as ResourceRow['state'],
    physicalId: (r.physical_id as string | null) ?? null,
    attributes: (r.attributes as Record<string, unknown>) ?? {},
    vmInfo: (r.vm_info as Record<string, unknown> | null) ?? null,
    provisioned: r.provisioned === true,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

export function toCloudResource(r: Db): CloudResourceRow {
  return {
    id: r.id as string,
    deploymentId: r.deployment_id as string,
    instanceId: (r.instance_id as string | null) ?? null,
    provider: r.provider as string,
    kind: r.kind as CloudResourceRow['kind'],
    name: r.name as string,
    cloudId: (r.cloud_id as string | null) ?? null,
    status: r.status as CloudResourceRow['status'],
    seq: Number(r.seq),
    createdAt: r.created_at as Date,
  };
}

export function toStep(r: Db): StepRow {
  return {
    deploymentId: r.deployment_id as string,
    generation: r.generation as number,
    stepId: r.step_id as string,
    dependsOn: r.depends_on as string[],
    status: r.status as StepRow['status'],
    attempts: r.attempts as number,
    error: (r.error as string | null) ?? null,
    failureCode: (r.failure_code as StepRow['failureCode']) ?? null,
    spec: readStepSpec(r.kind as string, r.spec),
    updatedAt: r.updated_at as Date,
  };
}
