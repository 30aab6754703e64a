// GET /deployments/{id}/events (beyond the reference): one JSON object per server-sent event.
// Times are full ISO-8601 here; the minute-precision format exists only for the old clients.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DeploymentEvent } from '@lib/orchestrator';

export class DeploymentEventDto {
  @ApiProperty({ type: String, enum: ['status', 'resource', 'outputs', 'log', 'deleted'] }) kind!: string;
  @ApiProperty({ type: String }) deploymentId!: string;
  @ApiProperty({ type: String, example: '2026-01-01T10:00:00.000Z' }) at!: string;
  @ApiPropertyOptional({ type: String }) status?: string;
  @ApiPropertyOptional({ type: String }) task?: string;
  @ApiPropertyOptional({ type: String }) statusReason?: string;
  @ApiPropertyOptional({ type: String }) resourceId?: string;
  @ApiPropertyOptional({ type: String }) toscaNodeName?: string;
  @ApiPropertyOptional({ type: String }) state?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) outputs?: Record<string, unknown>;
  @ApiPropertyOptional({ type: Number }) seq?: number;
  @ApiPropertyOptional({ type: String }) text?: string;
}

export function toDeploymentEventDto(event: DeploymentEvent): DeploymentEventDto {
  switch (event.kind) {
    case 'status': {
      const dto: DeploymentEventDto = { kind: event.kind, deploymentId: event.deploymentId, at: event.at.toISOString(), status: event.status, task: event.task };
      if (event.statusReason != null) dto.statusReason = event.statusReason;
      return dto;
    }
    case 'resource':
      return {
        kind: event.kind,
        deploymentId: event.deploymentId,
        at: event.at.toISOString(),
        resourceId: event.resourceId,
        toscaNodeName: event.toscaNodeName,
        state: event.state,
      };
    case 'outputs':
      return { kind: event.kind, deploymentId: event.deploymentId, at: event.at.toISOString(), outputs: event.outputs };
    case 'log':
      return { kind: event.kind, deploymentId: event.deploymentId, at: event.line.at.toISOString(), seq: event.line.seq, text: event.line.text };
    case 'deleted':
      return { kind: event.kind, deploymentId: event.deploymentId, at: event.at.toISOString() };
  }
}
