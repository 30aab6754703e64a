// Probes: /healthz (the process answers) and /readyz (its store and queue answer).
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@lib/auth';
import { API_OPTIONS, type ApiOptions } from '../api.tokens';
import { HealthDto } from '../dtos/health.dto';

/** A readiness check that hangs is a failed one. */
const READY_TIMEOUT_MS = 2_000;

@ApiTags('service')
@Controller()
export class HealthController {
  constructor(@Inject(API_OPTIONS) private readonly options: ApiOptions) {}

  @Get('healthz')
  @Public()
  @ApiOkResponse({ type: HealthDto })
  health(): HealthDto {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Public()
  @ApiOkResponse({ type: HealthDto })
  @ApiResponse({ status: 503, type: HealthDto })
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthDto> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.options.ready(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
        }),
      ]);
      return { status: 'ok' };
    } catch (error) {
      res.status(503);
      return { status: 'unavailable', reason: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
