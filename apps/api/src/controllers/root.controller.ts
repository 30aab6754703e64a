// `GET /`, `/info` and `/configuration` of the reference (§1.2).
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '@lib/auth';
import { API_OPTIONS, type ApiOptions } from '../api.tokens';
import { ConfigurationDto, toConfigurationDto } from '../dtos/configuration.dto';
import { InfoDto, toInfoDto } from '../dtos/info.dto';

@ApiTags('service')
@Controller()
export class RootController {
  constructor(@Inject(API_OPTIONS) private readonly options: ApiOptions) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/plain;charset=UTF-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The service display name.', schema: { type: 'string', example: 'INDIGO-Orchestrator' } })
  root(): string {
    // Clients probe this exact text (reference §1.1).
    return 'INDIGO-Orchestrator';
  }

  @Get('info')
  @Public()
  @ApiOkResponse({ type: InfoDto })
  info(): InfoDto {
    return toInfoDto(this.options.version, this.options.startedAt);
  }

  @Get('configuration')
  @ApiOkResponse({ type: ConfigurationDto })
  configuration(): ConfigurationDto {
    return toConfigurationDto(this.options.endpoints);
  }
}
