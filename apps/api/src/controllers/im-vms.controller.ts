// /infrastructures/{id}/vms of the IM REST API: a VM is a Compute resource of the deployment,
// numbered as im-infrastructure.dto.ts says. Its info is RADL (text, or IM's simple JSON), its
// contmsg the deployment's log lines about it; start, stop and reboot are resource actions, and
// DELETE lowers the count of its node template and names it for removal (the engine's scale-in).
import { Controller, Delete, Get, HttpException, Inject, Param, Put, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type Caller, CurrentUser, Public, RequiresWriteScope } from '@lib/auth';
import type { DeploymentService } from '@lib/orchestrator';
import { DELEGATION, DEPLOYMENT_SERVICE, type Delegation } from '../api.tokens';
import { imVmState, type ImVm } from '../dtos/im-infrastructure.dto';
import { radlText, vmRadl } from '../dtos/im-radl.dto';
import { withInstanceCount, type CountKey } from '../dtos/im-tosca.dto';
import { assertCanRead, assertOwner } from '../http/access.policy';
import { delegateCaller } from '../http/delegate-caller';
import { ImAuthGuard } from '../http/im-auth.guard';
import { ImExceptionFilter } from '../http/im-exception.filter';
import { sendIm, sendImOk } from '../http/im-output';
import { loadVms, pickVm } from './im-support';

@ApiTags('infrastructure manager')
@ApiSecurity('im-authorization')
@Public()
@UseGuards(ImAuthGuard)
@UseFilters(ImExceptionFilter)
@Controller('infrastructures/:id/vms')
export class ImVmsController {
  constructor(
    @Inject(DEPLOYMENT_SERVICE) private readonly deployments: DeploymentService,
    @Inject(DELEGATION) private readonly delegation: Delegation | null,
  ) {}

  @Get(':vm')
  @ApiOperation({ summary: 'A VM as RADL text (or {"radl": [...]} for JSON), read-only' })
  @ApiProduces('text/plain', 'application/json')
  @ApiOkResponse({ schema: { type: 'string' } })
  async info(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Param('vm') vm: string, @CurrentUser() caller: Caller | undefined): Promise<void> {
    const record = await this.deployments.get(id);
    assertCanRead(caller, record);
    const picked = pickVm(await loadVms(this.deployments, id), vm, id);
    const radl = vmRadl(picked.resource, imVmState(picked.resource.state, record.status));
    sendIm(req, res, radlText(radl), { field: 'radl', json: radl });
  }

  @Get(':vm/:prop')
  @ApiOperation({ summary: "contmsg (the log lines about this VM), or one RADL feature of the VM's system" })
  @ApiProduces('text/plain', 'application/json')
  async property(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Param('vm') vm: string, @Param('prop') prop: string, @CurrentUser() caller: Caller | undefined): Promise<void> {
    const record = await this.deployments.get(id);
    const picked = pickVm(await loadVms(this.deployments, id), vm, id);
    if (prop === 'contmsg') {
      assertOwner(caller, record);
      const instance = picked.resource.instanceId;
      // Engine log lines about an instance start with `<instanceId>:` or name it followed by a space.
      const lines = (await this.deployments.getLog(id)).split('\n').filter((l) => l.includes(`${instance}:`) || l.includes(`${instance} `));
      return sendIm(req, res, lines.length ? `${lines.join('\n')}\n` : '', { field: prop });
    }
    assertCanRead(caller, record);
    const system = vmRadl(picked.resource, imVmState(picked.resource.state, record.status)).find((e) => e.class === 'system');
    const value = system?.[prop];
    if (value === undefined || value === null) throw new HttpException(`Incorrect property ${prop} for VM ID ${vm}`, 404);
    sendIm(req, res, typeof value === 'string' ? value : JSON.stringify(value), { field: prop, json: value });
  }

  @Put(':vm/:prop')
  @RequiresWriteScope()
  @ApiOperation({ summary: 'start, stop or reboot a VM' })
  @ApiParam({ name: 'prop', enum: ['start', 'stop', 'reboot'], description: 'The operation.' })
  async operate(@Res() res: Response, @Param('id') id: string, @Param('vm') vm: string, @Param('prop') op: string, @CurrentUser() caller: Caller | undefined): Promise<void> {
    if (op !== 'start' && op !== 'stop' && op !== 'reboot') throw new HttpException(`Operation ${op} not found`, 404);
    assertOwner(caller, await this.deployments.get(id));
    const picked = pickVm(await loadVms(this.deployments, id), vm, id);
    await delegateCaller(this.delegation, caller);
    await this.deployments.resourceAction(id, picked.resource.uuid, op);
    sendImOk(res);
  }

  @Delete(':vm')
  @RequiresWriteScope()
  @ApiOperation({ summary: 'Remove VMs (a comma-separated list): their templates scale in, removing exactly these' })
  async remove(@Res() res: Response, @Param('id') id: string, @Param('vm') list: string, @CurrentUser() caller: Caller | undefined): Promise<void> {
    assertOwner(caller, await this.deployments.get(id));
    const vms = await loadVms(this.deployments, id);
    const removed = [...new Set(list.split(','))].map((vm) => pickVm(vms, vm.trim(), id));
    await delegateCaller(this.delegation, caller);
    let template = await this.deployments.getTemplate(id);
    for (const [node, gone] of groupByNode(removed)) {
      const left = vms.filter((v) => v.resource.toscaNodeName === node).length - gone;
      template = await this.withCount(template, node, left);
    }
    await this.deployments.update(id, { template, parameters: {}, removeResources: removed.map((v) => v.resource.uuid) });
    sendImOk(res);
  }

  /** INDIGO's Scalable says `count`, the normative one `default_instances`: the compiler tells which this node takes. */
  private async withCount(template: string, node: string, count: number): Promise<string> {
    const tries: CountKey[] = ['count', 'default_instances'];
    for (const key of tries) {
      const candidate = withInstanceCount(template, node, count, key);
      const diagnostics = await this.deployments.validate(candidate);
      if (!diagnostics.some((d) => d.severity === 'error' && d.code === 'unknown_property')) return candidate;
    }
    return withInstanceCount(template, node, count, 'count');
  }
}

function groupByNode(vms: ImVm[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of vms) out.set(v.resource.toscaNodeName, (out.get(v.resource.toscaNodeName) ?? 0) + 1);
  return out;
}
