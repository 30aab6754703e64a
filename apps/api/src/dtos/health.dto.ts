// /healthz and /readyz answers.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthDto {
  @ApiProperty({ type: String, enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiPropertyOptional({ type: String, description: 'Why the service is not ready.' }) reason?: string;
}
