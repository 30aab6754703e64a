// Beyond the reference: a deployment's log (whole, or followed as it grows) and its progress as
// server-sent events. Both end when the client goes away or the deployment row is deleted.
import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DeploymentEvent, DeploymentService } from '@lib/orchestrator';
import { type Caller, CurrentUser } from '@lib/auth';
import { DEPLOYMENT_SERVICE } from '../api.tokens';
import { parseBooleanish } from '../dtos/deployment.dto';
import { DeploymentEventDto, toDeploymentEventDto } from '../dtos/deployment-event.dto';
import { assertOwner } from '../http/access.policy';

/** An idle SSE connection sends a comment this often, so proxies keep it open. */
const HEARTBEAT_MS = 15_000;

/** Aborts when the client disconnects. */
function clientGone(req: Request, res: Response): AbortController {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  req.on('close', abort);
  res.on('close', abort);
  return controller;
}

@ApiTags('deployments')
@ApiBearerAuth()
// The events' JSON is named in the document (server-sent events have no OpenAPI 3.0 schema of
// their own), so typed clients read it from there too.
@ApiExtraModels(DeploymentEventDto)
@Controller('deployments/:id')
export class DeploymentStreamsController {
  constructor(@Inject(DEPLOYMENT_SERVICE) private readonly deployments: DeploymentService) {}

  @Get('log')
  @ApiProduces('text/plain')
  @ApiQuery({ name: 'follow', type: String, required: false, description: '`true`: keep the response open and append lines as they are written.' })
  @ApiOkResponse({ description: 'The contextualization log, `""` if none.', schema: { type: 'string' } })
  async log(
    @Param('id') id: string,
    @Query('follow') follow: string | undefined,
    @CurrentUser() caller: Caller | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    assertOwner(caller, await this.deployments.get(id));
    res.setHeader('Content-Type', 'text/plain;charset=UTF-8');
    if (!parseBooleanish('follow', follow)) {
      res.status(200).send(await this.deployments.getLog(id));
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Accel-Buffering', 'no');
    res.status(200);
    res.flushHeaders();
    const gone = clientGone(req, res);
    try {
      for await (const line of this.deployments.streamLog(id, { signal: gone.signal })) {
        res.write(`${line.text}\n`);
      }
    } catch (error) {
      if (!gone.signal.aborted) res.write(`\n[log stream ended: ${error instanceof Error ? error.message : String(error)}]\n`);
    }
    res.end();
  }

  @Get('events')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'Server-sent events: `status`, `resource`, `outputs`, `log`, `deleted`. Resume with Last-Event-ID (log lines).' })
  async events(@Param('id') id: string, @CurrentUser() caller: Caller | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    assertOwner(caller, await this.deployments.get(id));
    const lastId = Number.parseInt(String(req.headers['last-event-id'] ?? ''), 10);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream;charset=UTF-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    const gone = clientGone(req, res);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    try {
      const stream = this.deployments.events(id, { signal: gone.signal, ...(Number.isFinite(lastId) ? { afterSeq: lastId } : {}) });
      for await (const event of stream) {
        res.write(sseFrame(event));
        if (event.kind === 'deleted') break;
      }
    } catch (error) {
      if (!gone.signal.aborted) res.write(`event: error\ndata: ${JSON.stringify({ message: error instanceof Error ? error.message : String(error) })}\n\n`);
    } finally {
      clearInterval(heartbeat);
    }
    res.end();
  }
}

function sseFrame(event: DeploymentEvent): string {
  const id = event.kind === 'log' ? `id: ${event.line.seq}\n` : '';
  return `${id}event: ${event.kind}\ndata: ${JSON.stringify(toDeploymentEventDto(event))}\n\n`;
}
