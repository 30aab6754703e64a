// /infrastructures of the Infrastructure Manager's REST API (grycap/im IM/rest/routers/
// infrastructures.py), over the same deployments as /deployments: an infrastructure is a
// deployment, seen with IM's paths, bodies, states and Authorization header. Thin: it parses,
// checks access with the orchestrator API's rules and calls the engine facade.
import { Body, Controller, Delete, Get, HttpException, Inject, Param, Post, Put, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type Caller, CurrentUser, Public, RequiresWriteScope } from '@lib/auth';
import type { DeploymentService } from '@lib/orchestrator';
import { DELEGATION, DEPLOYMENT_SERVICE, type Delegation } from '../api.tokens';
import { serviceRoot } from '../dtos/common.dto';
import { ImStateDto, ImUriListDto, imVms, imVmState, toImStateDto, type ImVm } from '../dtos/im-infrastructure.dto';
import { infrastructureRadl } from '../dtos/im-radl.dto';
import { mergeTosca, removalFromTosca, toscaFromBody } from '../dtos/im-tosca.dto';
import { assertCanRead, assertOwner, listScope } from '../http/access.policy';
import { delegateCaller } from '../http/delegate-caller';
import { hasBody } from '../http/json-body.middleware';
import { ImAuthGuard, imClouds } from '../http/im-auth.guard';
import { ImExceptionFilter } from '../http/im-exception.filter';
import { sendIm, sendImOk } from '../http/im-output';
import { allResources, loadVms, waitForEvent } from './im-support';

/** How long a synchronous create waits for its servers, and a synchronous destroy for the end. */
const SYNC_WAIT_MS = 4 * 60_000;
const PAGE = 2000;

/** IM's query booleans: `yes`, `true`, `1` (any case). */
const flag = (v: unknown): boolean => typeof v === 'string' && ['yes', 'true', '1'].includes(v.toLowerCase());

@ApiTags('infrastructure manager')
@ApiSecurity('im-authorization')
@ApiExtraModels(ImStateDto, ImUriListDto)
@Public()
@UseGuards(ImAuthGuard)
@UseFilters(ImExceptionFilter)
@Controller('infrastructures')
export class ImInfrastructuresController {
  constructor(
    @Inject(DEPLOYMENT_SERVICE) private readonly deployments: DeploymentService,
    @Inject(DELEGATION) private readonly delegation: Delegation | null,
  ) {}

  @Get()
  @ApiOperation({ summary: "The caller's infrastructures (text/uri-list, or {\"uri-list\": [{\"uri\": ...}]} for JSON)" })
  @ApiProduces('text/uri-list', 'application/json')
  @ApiOkResponse({ type: ImUriListDto })
  async list(@Req() req: Request, @Res() res: Response, @CurrentUser() caller: Caller | undefined): Promise<void> {
    const scope = listScope(caller, 'me', 'me');
    const ids: string[] = [];
    for (let page = 0; ; page++) {
      const { items, total } = await this.deployments.list({ caller: caller?.principal ?? null, ...scope, page: { page, size: PAGE, sort: [{ field: 'createdAt', direction: 'asc' }] } });
      ids.push(...items.map((d) => d.uuid));
      if (items.length < PAGE || ids.length >= total) break;
    }
    const root = serviceRoot(req);
    sendIm(req, res, ids.map((id) => `${root}/infrastructures/${id}`), { defaultType: 'text/uri-list', field: 'uri-list', listField: 'uri' });
  }

  @Post()
  @RequiresWriteScope()
  @ApiOperation({ summary: 'Create an infrastructure from a TOSCA template (text/yaml); ?async=yes answers at once' })
  @ApiConsumes('text/yaml', 'application/json')
  @ApiBody({ schema: { type: 'string' }, description: 'A TOSCA template; RADL answers 415.' })
  @ApiQuery({ name: 'async', required: false, type: String })
  @ApiProduces('text/uri-list', 'application/json')
  async create(@Req() req: Request, @Res() res: Response, @Body() body: unknown, @Query('async') async: unknown, @Query('dry_run') dryRun: unknown, @CurrentUser() caller: Caller | undefined): Promise<void> {
    if (flag(dryRun)) throw new HttpException('Error Creating Inf.: dry_run (resource estimation) is not supported; POST /templates/validate checks a template', 400);
    const template = toscaFromBody(req.headers['content-type'], body, hasBody(req));
    if (template === '') throw new HttpException('Error Creating Inf.: the body is empty: send a TOSCA template as text/yaml', 400);
    const hosts = imClouds(req).map((c) => c.host);
    await delegateCaller(this.delegation, caller);
    const record = await this.deployments.create({ template, parameters: {}, owner: caller?.principal ?? null, ...(hosts.length ? { cloudHosts: hosts } : {}) });
    if (!flag(async)) {
      // IM's synchronous create returns once the VMs are launched, not configured.
      await waitForEvent(this.deployments, record.uuid, async (e) => {
        if (e.kind !== 'status' && e.kind !== 'resource') return false;
        const d = await this.deployments.get(record.uuid);
        if (d.status !== 'CREATE_IN_PROGRESS') return true;
        const vms = await loadVms(this.deployments, record.uuid);
        return vms.every((v) => imVmState(v.resource.state, d.status) !== 'pending');
      }, SYNC_WAIT_MS);
    }
    sendIm(req, res, `${serviceRoot(req)}/infrastructures/${record.uuid}`, { defaultType: 'text/uri-list', field: 'uri', headers: { InfID: record.uuid } });
  }

  @Get(':id')
  @ApiOperation({ summary: 'The VM URIs of an infrastructure' })
  @ApiProduces('text/uri-list', 'application/json')
  @ApiOkResponse({ type: ImUriListDto })
  async info(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @CurrentUser() caller: Caller | undefined): Promise<void> {
    assertCanRead(caller, await this.deployments.get(id));
    const root = serviceRoot(req);
    const vms = await loadVms(this.deployments, id);
    sendIm(req, res, vms.map((v) => `${root}/infrastructures/${id}/vms/${v.id}`), { defaultType: 'text/uri-list', field: 'uri-list', listField: 'uri' });
  }

  @Get(':id/:prop')
  @ApiOperation({ summary: 'state, contmsg, outputs, tosca, radl (read-only) or data of an infrastructure' })
  @ApiParam({ name: 'prop', enum: ['state', 'contmsg', 'outputs', 'tosca', 'radl', 'data'] })
  @ApiProduces('application/json', 'text/plain')
  @ApiOkResponse({ description: 'JSON `{"<prop>": value}`, or text for contmsg, tosca and radl.' })
  async property(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Param('prop') prop: string, @Query('delete') del: unknown, @CurrentUser() caller: Caller | undefined): Promise<void> {
    const record = await this.deployments.get(id);
    switch (prop) {
      case 'contmsg':
        // The deployment's log: the orchestrator API shows it to the owner only.
        assertOwner(caller, record);
        return sendIm(req, res, await this.deployments.getLog(id), { field: prop });
      case 'tosca':
        assertCanRead(caller, record);
        return sendIm(req, res, await this.deployments.getTemplate(id), { field: prop });
      case 'radl': {
        assertCanRead(caller, record);
        const radl = infrastructureRadl(await loadVms(this.deployments, id), record.status);
        return sendIm(req, res, radl.text, { field: prop, json: radl.simple });
      }
      case 'state':
      case 'outputs':
      case 'data':
        break;
      default:
        throw new HttpException(`Incorrect infrastructure property ${prop}`, 404);
    }
    assertCanRead(caller, record);
    const vms = await loadVms(this.deployments, id);
    let value: unknown;
    if (prop === 'state') value = toImStateDto(record, vms);
    else if (prop === 'outputs') value = record.outputs;
    else {
      if (flag(del)) throw new HttpException('Error Getting Inf. prop: data?delete (forgetting an infrastructure without destroying it) is not supported', 400);
      value = JSON.stringify(exportData(record.uuid, record.status, await this.deployments.getTemplate(id), record.outputs, vms));
    }
    sendIm(req, res, value, { defaultType: 'application/json', field: prop });
  }

  @Put(':id/:prop')
  @RequiresWriteScope()
  @ApiOperation({ summary: 'start, stop or reconfigure an infrastructure (reconfigure may carry a TOSCA to merge)' })
  @ApiParam({ name: 'prop', enum: ['start', 'stop', 'reconfigure'], description: 'The operation.' })
  async operate(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Param('prop') op: string, @Body() body: unknown, @CurrentUser() caller: Caller | undefined): Promise<void> {
    if (op !== 'start' && op !== 'stop' && op !== 'reconfigure') throw new HttpException(`Operation ${op} not found`, 404);
    assertOwner(caller, await this.deployments.get(id));
    await delegateCaller(this.delegation, caller);
    if (op === 'reconfigure') {
      // IM reconfigures every VM; the engine re-runs the configuration of every kept instance.
      const posted = toscaFromBody(req.headers['content-type'], body, hasBody(req));
      const stored = await this.deployments.getTemplate(id);
      await this.deployments.update(id, { template: posted ? mergeTosca(stored, posted) : stored, parameters: {} });
      return sendImOk(res, { InfID: id });
    }
    for (const vm of await loadVms(this.deployments, id)) await this.deployments.resourceAction(id, vm.resource.uuid, op);
    sendImOk(res);
  }

  @Post(':id')
  @RequiresWriteScope()
  @ApiOperation({ summary: 'Add (or, with removal_list, remove) resources: the TOSCA is merged into the stored one, as IM does' })
  @ApiConsumes('text/yaml')
  @ApiBody({ schema: { type: 'string' } })
  @ApiProduces('text/uri-list', 'application/json')
  @ApiOkResponse({ type: ImUriListDto, description: 'The URIs of the VMs added.' })
  async addResources(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Body() body: unknown, @CurrentUser() caller: Caller | undefined): Promise<void> {
    const posted = toscaFromBody(req.headers['content-type'], body, hasBody(req));
    if (posted === '') throw new HttpException('Error Adding resources: the body is empty: send a TOSCA template as text/yaml', 400);
    assertOwner(caller, await this.deployments.get(id));
    await delegateCaller(this.delegation, caller);
    const before = imVms(await allResources(this.deployments, id));
    const merged = mergeTosca(await this.deployments.getTemplate(id), posted);
    const uuidOfVm = (vm: string): string | undefined => before.find((v) => String(v.id) === vm)?.resource.uuid;
    await this.deployments.update(id, { template: merged, parameters: {}, removeResources: removalFromTosca(posted, uuidOfVm) });
    const known = new Set(before.map((v) => v.resource.uuid));
    const root = serviceRoot(req);
    const added = (await loadVms(this.deployments, id)).filter((v) => !known.has(v.resource.uuid));
    sendIm(req, res, added.map((v) => `${root}/infrastructures/${id}/vms/${v.id}`), { defaultType: 'text/uri-list', field: 'uri-list', listField: 'uri', headers: { InfID: id } });
  }

  @Delete(':id')
  @RequiresWriteScope()
  @ApiOperation({ summary: 'Destroy an infrastructure; ?force=yes, ?async=yes answers at once' })
  @ApiQuery({ name: 'force', required: false, type: String })
  @ApiQuery({ name: 'async', required: false, type: String })
  async destroy(@Res() res: Response, @Param('id') id: string, @Query('force') force: unknown, @Query('async') async: unknown, @CurrentUser() caller: Caller | undefined): Promise<void> {
    assertOwner(caller, await this.deployments.get(id));
    await delegateCaller(this.delegation, caller);
    await this.deployments.delete(id, { force: flag(force) });
    if (!flag(async)) await waitForEvent(this.deployments, id, (e) => e.kind === 'status' && e.status === 'DELETE_FAILED', SYNC_WAIT_MS);
    sendImOk(res);
  }
}

/** IM's `data` is its own serialisation of an infrastructure; this is baton's, for reading only. */
function exportData(id: string, status: string, template: string, outputs: Record<string, unknown>, vms: ImVm[]): Record<string, unknown> {
  return {
    id,
    status,
    tosca: template,
    outputs,
    vm_list: vms.map((v) => ({ im_id: v.id, uuid: v.resource.uuid, node: v.resource.toscaNodeName, instance_id: v.resource.physicalId ?? null, state: v.resource.state })),
  };
}
