// The deployment contract of the INDIGO reference (§1.3): request body in (with the string
// booleans and string numbers orchent and the dashboard send), Deployment JSON out (null fields
// omitted, minute-precision dates, absolute links), and the paged list.
import { BadRequestException } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import {
  DEPLOYMENT_STATUSES,
  DEPLOYMENT_TASKS,
  type CloudProviderEndpoint,
  type DeploymentRecord,
  type DeploymentSortField,
  type DeploymentStatus,
} from '@lib/orchestrator';
import { LinkDto, absolute, formatInstant } from './common.dto';
import { PageMetadataDto } from './page.dto';

/** POST and PUT /deployments body. Unknown members are ignored (reference §1.1). */
export class DeploymentRequestDto {
  @ApiProperty({ type: String, description: 'The TOSCA template (YAML text).', example: 'tosca_definitions_version: tosca_simple_yaml_1_0\n...' })
  template!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Input values; strings are coerced to the TOSCA input types.' })
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({ type: String, description: 'URL that receives the Deployment JSON on submit, completion and failure (must start with http: or https:).' })
  callback?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: '(A decimal string is accepted too.) Overall deadline in minutes.' })
  timeoutMins?: number | string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: '(A decimal string is accepted too.) Deadline per provider attempt, <= timeoutMins.' })
  providerTimeoutMins?: number | string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: '(A decimal string is accepted too.) How many providers to try at most.' })
  maxProvidersRetry?: number | string;

  @ApiPropertyOptional({ type: Boolean, description: '(The strings "true"/"false" are accepted too, as orchent and the dashboard send them.) Keep the resources of the last failed attempt.' })
  keepLastAttempt?: boolean | string;

  @ApiPropertyOptional({ type: String, description: 'IAM group the deployment belongs to (ignored on PUT).' })
  userGroup?: string;
}

/** PATCH /deployments/{id} body. */
export class DeploymentResetRequestDto {
  @ApiProperty({ type: String, enum: ['DELETE_FAILED'] })
  status!: string;
}

/** `cloudProviderEndpoint`: empty members omitted; `iaasType` mirrors `deploymentType` for the current dashboard. */
export class CloudProviderEndpointDto {
  @ApiPropertyOptional({ type: String }) cpEndpoint?: string;
  @ApiPropertyOptional({ type: String }) region?: string;
  @ApiPropertyOptional({ type: String }) cpComputeServiceId?: string;
  @ApiProperty({ type: String, example: 'OPENSTACK' }) deploymentType!: string;
  @ApiProperty({ type: String, example: 'OPENSTACK' }) iaasType!: string;
}

export class OwnerDto {
  @ApiProperty({ type: String, example: 'https://iam.example.org/' }) issuer!: string;
  @ApiProperty({ type: String, example: '1cb7a8d4-0000-4000-8000-000000000000' }) subject!: string;
}

/** The Deployment JSON. */
export class DeploymentDto {
  @ApiProperty({ type: String, example: '11ed8ab3-6a40-968a-82b7-62f0862dbe46' }) uuid!: string;
  @ApiProperty({ type: String, example: '2024-03-01T09:56+0000', description: "yyyy-MM-dd'T'HH:mmZ, UTC" }) creationTime!: string;
  @ApiProperty({ type: String, example: '2024-03-01T09:56+0000' }) updateTime!: string;
  @ApiPropertyOptional({ type: String }) physicalId?: string;
  @ApiProperty({ type: String, enum: DEPLOYMENT_STATUSES }) status!: string;
  @ApiPropertyOptional({ type: String }) statusReason?: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) outputs!: Record<string, unknown>;
  @ApiProperty({ type: String, enum: DEPLOYMENT_TASKS }) task!: string;
  @ApiPropertyOptional({ type: String }) callback?: string;
  @ApiPropertyOptional({ type: String }) userGroup?: string;
  @ApiPropertyOptional({ type: String }) cloudProviderName?: string;
  @ApiPropertyOptional({ type: CloudProviderEndpointDto }) cloudProviderEndpoint?: CloudProviderEndpointDto;
  @ApiPropertyOptional({ type: OwnerDto }) createdBy?: OwnerDto;
  @ApiProperty({ type: [LinkDto] }) links!: LinkDto[];
}

/** GET /deployments answer. */
export class DeploymentPageDto {
  @ApiProperty({ type: [LinkDto] }) links!: LinkDto[];
  @ApiProperty({ type: 'array', items: { $ref: getSchemaPath(DeploymentDto) } }) content!: DeploymentDto[];
  @ApiProperty({ type: PageMetadataDto }) page!: PageMetadataDto;
}

/** The request after coercion; the controller adds the owner. */
export interface ParsedDeploymentRequest {
  template: string;
  parameters: Record<string, unknown>;
  callback?: string;
  timeoutMins?: number;
  providerTimeoutMins?: number;
  maxProvidersRetry?: number;
  keepLastAttempt?: boolean;
  userGroup?: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Jackson's lenient reading: a JSON boolean, or the string `"true"`/`"false"` in any case. Empty = absent. */
export function parseBooleanish(name: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw new BadRequestException(`Cannot deserialize value of type \`boolean\` from ${JSON.stringify(value)} for ${name}: only "true" or "false" recognized`);
}

/** An integer >= 1, as a JSON number or a decimal string. */
function positiveInt(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n)) throw new BadRequestException(`${name} must be an integer`);
  if (n < 1) throw new BadRequestException(`${name} must be greater than or equal to 1`);
  return n;
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new BadRequestException(`${name} must be a string`);
  return value;
}

/** Validates and coerces a DeploymentRequest body (reference §1.3). */
export function parseDeploymentRequest(body: unknown): ParsedDeploymentRequest {
  if (!isPlainObject(body)) throw new BadRequestException('The request body must be a JSON object');
  const template = body.template;
  if (typeof template !== 'string' || template.trim() === '') throw new BadRequestException('A TOSCA template must be provided');
  const parameters = body.parameters ?? {};
  if (!isPlainObject(parameters)) throw new BadRequestException('parameters must be a JSON object');
  const callback = optionalString('callback', body.callback);
  if (callback !== undefined && !/^https?:/i.test(callback)) throw new BadRequestException('Callback must be a valid http or https URL');
  const timeoutMins = positiveInt('timeoutMins', body.timeoutMins);
  const providerTimeoutMins = positiveInt('providerTimeoutMins', body.providerTimeoutMins);
  if (timeoutMins !== undefined && providerTimeoutMins !== undefined && providerTimeoutMins > timeoutMins) {
    throw new BadRequestException('ProviderTimeout must be <= Timeout');
  }
  const parsed: ParsedDeploymentRequest = { template, parameters };
  const optional = {
    callback,
    timeoutMins,
    providerTimeoutMins,
    maxProvidersRetry: positiveInt('maxProvidersRetry', body.maxProvidersRetry),
    keepLastAttempt: parseBooleanish('keepLastAttempt', body.keepLastAttempt),
    userGroup: optionalString('userGroup', body.userGroup),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(parsed, { [key]: value });
  return parsed;
}

/** PATCH body: the reference accepts only DELETE_FAILED (checked again by the engine). */
export function parseResetRequest(body: unknown): DeploymentStatus {
  const status = isPlainObject(body) ? body.status : undefined;
  if (typeof status !== 'string' || !(DEPLOYMENT_STATUSES as readonly string[]).includes(status) || status !== 'DELETE_FAILED') {
    throw new BadRequestException(`Cannot reset deployment: illegal status ${String(status)}.`);
  }
  return status;
}

/** `excludedStatus=A,B` (CSV, possibly repeated); unknown names are refused. */
export function parseExcludedStatus(value: string | string[] | undefined): DeploymentStatus[] | undefined {
  if (value === undefined) return undefined;
  const names = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  for (const name of names) {
    if (!(DEPLOYMENT_STATUSES as readonly string[]).includes(name)) throw new BadRequestException(`Value ${name} for param excludedStatus is illegal`);
  }
  return names.length > 0 ? (names as DeploymentStatus[]) : undefined;
}

/** Sort names accepted on /deployments: Spring's entity properties plus our JSON names. */
export const DEPLOYMENT_SORT_FIELDS: Record<string, DeploymentSortField> = {
  createdAt: 'createdAt',
  creationTime: 'createdAt',
  updatedAt: 'updatedAt',
  updateTime: 'updatedAt',
  status: 'status',
  uuid: 'uuid',
  id: 'uuid',
};
export const DEPLOYMENT_SORT_NAMES: Record<DeploymentSortField, string> = {
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  status: 'status',
  uuid: 'uuid',
};

function toEndpointDto(e: CloudProviderEndpoint): CloudProviderEndpointDto {
  const dto: Partial<CloudProviderEndpointDto> = {};
  if (e.cpEndpoint) dto.cpEndpoint = e.cpEndpoint;
  if (e.region) dto.region = e.region;
  if (e.cpComputeServiceId) dto.cpComputeServiceId = e.cpComputeServiceId;
  dto.deploymentType = e.deploymentType;
  dto.iaasType = e.iaasType;
  return dto as CloudProviderEndpointDto;
}

/** The three links of the reference, absolute from `root`; `{type}` is a literal URI template. */
export function deploymentLinks(uuid: string, root: string): LinkDto[] {
  const self = absolute(root, `/deployments/${uuid}`);
  return [
    { rel: 'self', href: self },
    { rel: 'resources', href: `${self}/resources?type={type}` },
    { rel: 'template', href: `${self}/template` },
  ];
}

/** Deployment JSON, members in the reference's order, nulls omitted, links absolute from `root`. */
export function toDeploymentDto(record: DeploymentRecord, root: string): DeploymentDto {
  const dto: Record<string, unknown> = {
    uuid: record.uuid,
    creationTime: formatInstant(record.creationTime),
    updateTime: formatInstant(record.updateTime),
  };
  if (record.physicalId != null) dto.physicalId = record.physicalId;
  dto.status = record.status;
  if (record.statusReason != null) dto.statusReason = record.statusReason;
  dto.outputs = record.outputs ?? {};
  dto.task = record.task;
  if (record.callback != null) dto.callback = record.callback;
  if (record.userGroup != null) dto.userGroup = record.userGroup;
  if (record.cloudProviderName != null) dto.cloudProviderName = record.cloudProviderName;
  if (record.cloudProviderEndpoint != null) dto.cloudProviderEndpoint = toEndpointDto(record.cloudProviderEndpoint);
  if (record.createdBy != null) dto.createdBy = { issuer: record.createdBy.issuer, subject: record.createdBy.subject };
  dto.links = deploymentLinks(record.uuid, root);
  return dto as unknown as DeploymentDto;
}
