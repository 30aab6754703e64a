// The resource contract of the INDIGO reference (§1.4): one Resource per node instance, the paged
// and unpaged lists, and the start/stop action body.
import { BadRequestException } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { RESOURCE_STATES, type ResourceAction, type ResourceRecord, type ResourceSortField } from '@lib/orchestrator';
import { LinkDto, absolute, formatInstant } from './common.dto';
import { PageMetadataDto } from './page.dto';

export class ResourceMetadataDto {
  @ApiPropertyOptional({ type: String, description: 'JSON text of `{"vmProperties":[...]}` (a string, as in the reference); never holds keys.' })
  VirtualMachineInfo?: string;
}

/** The Resource JSON. */
export class ResourceDto {
  @ApiProperty({ type: String }) uuid!: string;
  @ApiProperty({ type: String, example: '2024-03-01T09:56+0000' }) creationTime!: string;
  @ApiProperty({ type: String, example: '2024-03-01T09:56+0000' }) updateTime!: string;
  @ApiPropertyOptional({ type: String, description: 'Cloud id of the server once bound.' }) physicalId?: string;
  @ApiProperty({ type: String, enum: RESOURCE_STATES }) state!: string;
  @ApiProperty({ type: String, example: 'tosca.nodes.indigo.Compute' }) toscaNodeType!: string;
  @ApiProperty({ type: String, example: 'server' }) toscaNodeName!: string;
  @ApiProperty({ type: [String] }) requiredBy!: string[];
  @ApiProperty({ type: ResourceMetadataDto }) metadata!: ResourceMetadataDto;
  @ApiProperty({ type: [LinkDto] }) links!: LinkDto[];
}

export class ResourcePageDto {
  @ApiProperty({ type: [LinkDto] }) links!: LinkDto[];
  @ApiProperty({ type: 'array', items: { $ref: getSchemaPath(ResourceDto) } }) content!: ResourceDto[];
  @ApiProperty({ type: PageMetadataDto }) page!: PageMetadataDto;
}

/** POST /deployments/{id}/resources/{rid}/actions body. */
export class ResourceActionRequestDto {
  @ApiProperty({ type: String, enum: ['start', 'stop'] })
  type!: string;
}

export function parseResourceAction(body: unknown): ResourceAction {
  const type = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).type : undefined;
  const normalized = typeof type === 'string' ? type.toLowerCase() : type;
  if (normalized === 'start' || normalized === 'stop') return normalized;
  throw new BadRequestException(`Unknown action type ${String(type)}: expected start or stop`);
}

/** `type=` of /resources/filter is mandatory and non-empty (400 otherwise). */
export function requireType(type: string | string[] | undefined): string {
  const value = Array.isArray(type) ? type[0] : type;
  if (value === undefined || value.trim() === '') throw new BadRequestException("Required request parameter 'type' is not present or empty");
  return value.trim();
}

export const RESOURCE_SORT_FIELDS: Record<string, ResourceSortField> = {
  createdAt: 'createdAt',
  creationTime: 'createdAt',
  updatedAt: 'updatedAt',
  updateTime: 'updatedAt',
  toscaNodeName: 'toscaNodeName',
  uuid: 'uuid',
  id: 'uuid',
};
export const RESOURCE_SORT_NAMES: Record<ResourceSortField, string> = {
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  toscaNodeName: 'toscaNodeName',
  uuid: 'uuid',
};

/** Resource JSON, nulls omitted, links `deployment` then `self` as in the reference. */
export function toResourceDto(record: ResourceRecord, deploymentId: string, root: string): ResourceDto {
  const dto: Record<string, unknown> = {
    uuid: record.uuid,
    creationTime: formatInstant(record.creationTime),
    updateTime: formatInstant(record.updateTime),
  };
  if (record.physicalId != null) dto.physicalId = record.physicalId;
  dto.state = record.state;
  dto.toscaNodeType = record.toscaNodeType;
  dto.toscaNodeName = record.toscaNodeName;
  dto.requiredBy = record.requiredBy ?? [];
  // An empty map stays `{}` (NON_NULL omits nulls, not empty maps).
  dto.metadata = record.metadata?.VirtualMachineInfo != null ? { VirtualMachineInfo: record.metadata.VirtualMachineInfo } : {};
  const deployment = absolute(root, `/deployments/${deploymentId}`);
  dto.links = [
    { rel: 'deployment', href: deployment },
    { rel: 'self', href: `${deployment}/resources/${record.uuid}` },
  ];
  return dto as unknown as ResourceDto;
}
