// GET /configuration: the snake_case URL map of the reference's SystemEndpoints; unset ones omitted.
import { ApiPropertyOptional } from '@nestjs/swagger';

export class ConfigurationDto {
  @ApiPropertyOptional({ type: String }) cpr_url?: string;
  @ApiPropertyOptional({ type: String }) slam_url?: string;
  @ApiPropertyOptional({ type: String }) cmdb_url?: string;
  @ApiPropertyOptional({ type: String }) im_url?: string;
  @ApiPropertyOptional({ type: String }) monitoring_url?: string;
  @ApiPropertyOptional({ type: String }) vault_url?: string;
  @ApiPropertyOptional({ type: String }) rucio_url?: string;
}

const KEYS = ['cpr_url', 'slam_url', 'cmdb_url', 'im_url', 'monitoring_url', 'vault_url', 'rucio_url'] as const;

export function toConfigurationDto(endpoints: Partial<Record<(typeof KEYS)[number], string | undefined>>): ConfigurationDto {
  const dto: ConfigurationDto = {};
  for (const key of KEYS) {
    const value = endpoints[key];
    if (value) dto[key] = value;
  }
  return dto;
}
