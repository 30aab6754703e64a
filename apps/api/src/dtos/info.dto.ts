// GET /info: Spring actuator build info. The old dashboard reads `build.version` (splitting on
// `-`) to pick the placement policy type, so the version must be >= 2.2.0-shaped; orchent `test`
// only needs a non-error JSON.
import { ApiProperty } from '@nestjs/swagger';

export class BuildInfoDto {
  @ApiProperty({ type: String, example: '0.1.0' }) version!: string;
  @ApiProperty({ type: String, example: 'orchestrator' }) artifact!: string;
  @ApiProperty({ type: String, example: 'baton' }) name!: string;
  @ApiProperty({ type: String, example: 'baton' }) group!: string;
  @ApiProperty({ type: String, example: '2026-01-01T00:00:00.000Z' }) time!: string;
}

export class InfoDto {
  @ApiProperty({ type: BuildInfoDto }) build!: BuildInfoDto;
}

export function toInfoDto(version: string, startedAt: Date): InfoDto {
  return { build: { version, artifact: 'orchestrator', name: 'baton', group: 'baton', time: startedAt.toISOString() } };
}
