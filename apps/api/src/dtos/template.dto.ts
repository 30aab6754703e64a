// POST /templates/validate (beyond the reference): the compiler's diagnostics, with lines and
// columns, without creating anything.
import { BadRequestException } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Diagnostic } from '@lib/tosca';

export class TemplateValidateRequestDto {
  @ApiProperty({ type: String, description: 'The TOSCA template (YAML text).' }) template!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Input values to check against the template inputs.' })
  parameters?: Record<string, unknown>;
}

export class DiagnosticDto {
  @ApiProperty({ type: String, example: 'unknown-node-type' }) code!: string;
  @ApiProperty({ type: String, enum: ['error', 'warning', 'info'] }) severity!: string;
  @ApiProperty({ type: String }) message!: string;
  @ApiProperty({ type: String, example: 'topology_template.node_templates.server.type' }) path!: string;
  @ApiProperty({ type: String, example: 'template.yaml' }) file!: string;
  @ApiProperty({ type: Number, example: 12, description: '1-based' }) line!: number;
  @ApiProperty({ type: Number, example: 13, description: '1-based' }) column!: number;
  @ApiPropertyOptional({ type: String }) rule?: string;
}

export class TemplateValidationDto {
  @ApiPropertyOptional({ type: Number, example: 400, description: 'On 400 only: the error body members of every status >= 400.' }) code?: number;
  @ApiPropertyOptional({ type: String, example: 'Unprocessable Entity' }) title?: string;
  @ApiPropertyOptional({ type: String }) message?: string;
  @ApiProperty({ type: Boolean, description: 'True when no diagnostic is an error.' }) valid!: boolean;
  @ApiProperty({ type: [DiagnosticDto] }) diagnostics!: DiagnosticDto[];
}

export function parseValidateRequest(body: unknown): { template: string; parameters?: Record<string, unknown> } {
  if (typeof body === 'string') return { template: body };
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  if (!record || typeof record.template !== 'string' || record.template.trim() === '') throw new BadRequestException('A TOSCA template must be provided');
  const parameters = record.parameters;
  if (parameters !== undefined && (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters))) {
    throw new BadRequestException('parameters must be a JSON object');
  }
  return parameters === undefined ? { template: record.template } : { template: record.template, parameters: parameters as Record<string, unknown> };
}

export function toDiagnosticDto(d: Diagnostic): DiagnosticDto {
  const dto: DiagnosticDto = { code: d.code, severity: d.severity, message: d.message, path: d.path, file: d.file, line: d.line, column: d.column };
  if (d.rule) dto.rule = d.rule;
  return dto;
}
