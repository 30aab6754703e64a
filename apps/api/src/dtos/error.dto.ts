// The error body of the reference (§1.1): every status >= 400, auth errors included, answers
// `{"code":404,"title":"Not Found","message":"..."}`. We add the compiler's diagnostics when a
// template is at fault and a correlation id that also appears in the log line.
import { STATUS_CODES } from 'node:http';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DiagnosticDto } from './template.dto';

export class ErrorDto {
  @ApiProperty({ type: Number, example: 404, description: 'The HTTP status.' }) code!: number;
  @ApiProperty({ type: String, example: 'Not Found', description: 'The HTTP reason phrase.' }) title!: string;
  @ApiProperty({ type: String, example: "The deployment 11ed8ab3-6a40-968a-82b7-62f0862dbe46 doesn't exist" }) message!: string;
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
