// The error body of the reference (§1.1): every status >= 400, auth errors included, answers
// `{"code":404,"title":"Not Found","message":"..."}`. We add the compiler's diagnostics when a
// template is at fault and a correlation id that also appears in the log line.
import { STATUS_CODES } from 'node:http';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { DiagnosticDto } from './template.dto';

export class ErrorDto {
  @ApiProperty({ type: Number, description: 'The HTTP status.' }) code!: number;
  @ApiProperty({ type: String, description: 'The HTTP reason phrase.' }) title!: string;
  @ApiProperty({ type: String, description: 'What went wrong, in words.' }) message!: string;
  @ApiPropertyOptional({ type: [DiagnosticDto], description: 'Every diagnostic of the template, when it is at fault.' })
  diagnostics?: DiagnosticDto[];
  @ApiPropertyOptional({ type: String, description: 'Request id, also in the X-Request-Id header and the server log.' })
  correlationId?: string;
}

/** Spring uses the standard reason phrase as `title`. */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

export function toErrorDto(status: number, message: string, extra: { diagnostics?: DiagnosticDto[]; correlationId?: string } = {}): ErrorDto {
  const dto: ErrorDto = { code: status, title: reasonPhrase(status), message };
  if (extra.diagnostics && extra.diagnostics.length > 0) dto.diagnostics = extra.diagnostics;
  if (extra.correlationId) dto.correlationId = extra.correlationId;
  return dto;
}

/**
 * An error answer in the OpenAPI document, with an example body of that very status (one shared
 * example would show a 404 body under every status).
 */
export function ApiErrorResponse(status: number, description: string, exampleMessage: string): MethodDecorator & ClassDecorator {
  return ApiResponse({ status, type: ErrorDto, description, example: toErrorDto(status, exampleMessage, { correlationId: '5f0c1d2e-9a8b-4c7d-8e6f-0a1b2c3d4e5f' }) });
}
