// GET /version of the IM REST API (grycap/im IM/rest/routers/sys.py): public, the IM API version
// this facade follows (clients compare it), in text or `{"version": ...}`.
import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@lib/auth';
import { ImExceptionFilter } from '../http/im-exception.filter';
import { sendIm } from '../http/im-output';

/** The IM release whose REST API this facade answers. */
export const IM_API_VERSION = '2.0.0';

@ApiTags('infrastructure manager')
@Public()
@UseFilters(ImExceptionFilter)
@Controller('version')
export class ImVersionController {
  @Get()
  @ApiProduces('text/plain', 'application/json')
  @ApiOkResponse({ schema: { type: 'string', example: IM_API_VERSION } })
  version(@Req() req: Request, @Res() res: Response): void {
    sendIm(req, res, IM_API_VERSION, { field: 'version' });
  }
}
