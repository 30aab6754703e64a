// /deployments of the reference (§1.2, §1.3): thin, it parses, checks access and calls the engine.
import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOkResponse, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { DeploymentService } from '@lib/orchestrator';
import { type Caller, CurrentUser, RequiresWriteScope } from '@lib/auth';
import { DELEGATION, DEPLOYMENT_SERVICE, type Delegation } from '../api.tokens';
import { serviceRoot } from '../dtos/common.dto';
import {
  DEPLOYMENT_SORT_FIELDS,
  DEPLOYMENT_SORT_NAMES,
  DeploymentDto,
  DeploymentPageDto,
  DeploymentRequestDto,
  DeploymentResetRequestDto,
  parseDeploymentRequest,
  parseExcludedStatus,
  parseBooleanish,
  parseResetRequest,
  toDeploymentDto,
} from '../dtos/deployment.dto';
import { ApiErrorResponse } from '../dtos/error.dto';
import { pageLinks, parsePageRequest, toPageMetadata, type PageQuery } from '../dtos/page.dto';
import { delegateCaller } from '../http/delegate-caller';
import { assertCanRead, assertGroup, assertOwner, listScope, parseCreatedBy } from '../http/access.policy';

const TEXT = 'text/plain;charset=UTF-8';

/** Keeps `:`, `/`, `@` and `,` readable in echoed query values, as Spring's link builder does. */
const queryValue = (v: string): string =>
  encodeURIComponent(v).replace(/%40/g, '@').replace(/%3A/gi, ':').replace(/%2F/gi, '/').replace(/%2C/gi, ',');

interface ListQuery extends PageQuery {
  createdBy?: string;
  userGroup?: string;
  excludedStatus?: string | string[];
}

const one = (v: unknown): string | undefined => (Array.isArray(v) ? (v[0] as string) : typeof v === 'string' ? v : undefined);

@ApiTags('deployments')
@ApiBearerAuth()
@ApiExtraModels(DeploymentDto)
@ApiErrorResponse(401, 'No, invalid, expired or untrusted token.', 'Invalid access token: the token has expired')
@ApiErrorResponse(403, 'Missing scope, not the owner, or group not allowed.', 'Only the owner of the deployment can perform this operation')
@Controller('deployments')
export class DeploymentsController {
  constructor(
    @Inject(DEPLOYMENT_SERVICE) private readonly deployments: DeploymentService,
    @Inject(DELEGATION) private readonly delegation: Delegation | null,
  ) {}

  @Get()
  @ApiOkResponse({ type: DeploymentPageDto })
  @ApiQuery({ name: 'createdBy', type: String, required: false, description: '`me` or `<subject>@<issuer>`' })
  @ApiQuery({ name: 'userGroup', type: String, required: false })
  @ApiQuery({ name: 'excludedStatus', type: String, required: false, description: 'CSV of statuses to leave out' })
  @ApiQuery({ name: 'page', type: String, required: false, description: '0-based' })
  @ApiQuery({ name: 'size', type: String, required: false, description: 'default 10, at most 2000' })
  @ApiQuery({ name: 'sort', type: String, required: false, description: 'default `createdAt,desc`' })
  async list(@Req() req: Request, @Query() query: ListQuery, @CurrentUser() caller: Caller | undefined): Promise<DeploymentPageDto> {
    const createdByRaw = one(query.createdBy);
    const userGroup = one(query.userGroup) || undefined;
    const scope = listScope(caller, parseCreatedBy(createdByRaw), createdByRaw);
    if (userGroup !== undefined) assertGroup(caller, userGroup);
    const excludedStatus = parseExcludedStatus(query.excludedStatus);
    const page = parsePageRequest(query, DEPLOYMENT_SORT_FIELDS, 'createdAt');
    const result = await this.deployments.list({
      caller: caller?.principal ?? null,
      ...scope,
      ...(userGroup !== undefined ? { userGroup } : {}),
      ...(excludedStatus ? { excludedStatus } : {}),
      page,
    });
    const root = serviceRoot(req);
    // `self` echoes the filters (reference §1.1); first/prev/next/last add page, size and sort.
    // excludedStatus is echoed too, so clients that follow `next` keep their filter.
    const filters: string[] = [];
    if (createdByRaw) filters.push(`createdBy=${queryValue(createdByRaw)}`);
    if (userGroup !== undefined) filters.push(`userGroup=${queryValue(userGroup)}`);
    if (excludedStatus) filters.push(`excludedStatus=${excludedStatus.join(',')}`);
    const base = filters.length > 0 ? `${root}/deployments?${filters.join('&')}` : `${root}/deployments`;
    return {
      links: pageLinks(base, base, page, result.total, DEPLOYMENT_SORT_NAMES),
      content: result.items.map((d) => toDeploymentDto(d, root)),
      page: toPageMetadata(page, result.total),
    };
  }

  @Post()
  @HttpCode(201)
  @RequiresWriteScope()
  @ApiBody({ type: DeploymentRequestDto })
  @ApiResponse({ status: 201, type: DeploymentDto })
  @ApiErrorResponse(400, 'Invalid request or template (with every diagnostic).', 'Input count is required and is not present in the user\'s input list, nor has a default value')
  async create(@Req() req: Request, @Body() body: unknown, @CurrentUser() caller: Caller | undefined): Promise<DeploymentDto> {
    const parsed = parseDeploymentRequest(body);
    if (parsed.userGroup !== undefined) assertGroup(caller, parsed.userGroup);
    await delegateCaller(this.delegation, caller);
    const record = await this.deployments.create({ ...parsed, owner: caller?.principal ?? null });
    return toDeploymentDto(record, serviceRoot(req));
  }

  @Get(':id')
  @ApiOkResponse({ type: DeploymentDto })
  @ApiErrorResponse(404, 'Unknown deployment or resource.', "The deployment 11ed8ab3-6a40-968a-82b7-62f0862dbe46 doesn't exist")
  async get(@Req() req: Request, @Param('id') id: string, @CurrentUser() caller: Caller | undefined): Promise<DeploymentDto> {
    const record = await this.deployments.get(id);
    assertCanRead(caller, record);
    return toDeploymentDto(record, serviceRoot(req));
  }

  @Put(':id')
  @HttpCode(202)
  @RequiresWriteScope()
  @ApiBody({ type: DeploymentRequestDto })
  @ApiResponse({ status: 202, description: 'Update accepted (empty body).' })
  @ApiErrorResponse(409, 'The deployment state forbids it (or a concurrent update: Retry-After: 0).', 'Cannot update a deployment in DELETE_IN_PROGRESS state')
  async update(@Param('id') id: string, @Body() body: unknown, @CurrentUser() caller: Caller | undefined): Promise<void> {
    const parsed = parseDeploymentRequest(body);
    assertOwner(caller, await this.deployments.get(id));
    await delegateCaller(this.delegation, caller);
    // userGroup is ignored on PUT (reference §1.3).
    const { userGroup: _ignored, ...command } = parsed;
    await this.deployments.update(id, command);
  }

  @Patch(':id')
  @HttpCode(204)
  @RequiresWriteScope()
  @ApiBody({ type: DeploymentResetRequestDto })
  @ApiResponse({ status: 204, description: 'Reset to DELETE_FAILED.' })
  async reset(@Param('id') id: string, @Body() body: unknown, @CurrentUser() caller: Caller | undefined): Promise<void> {
    const status = parseResetRequest(body);
    assertOwner(caller, await this.deployments.get(id));
    await this.deployments.reset(id, status);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequiresWriteScope()
  @ApiQuery({ name: 'force', type: String, required: false, description: '`true`/`false`, any case; default false' })
  @ApiResponse({ status: 204, description: 'Undeploy started (or the row removed when nothing was provisioned).' })
  async remove(@Param('id') id: string, @Query('force') force: unknown, @CurrentUser() caller: Caller | undefined): Promise<void> {
    const forced = parseBooleanish('force', one(force)) ?? false;
    assertOwner(caller, await this.deployments.get(id));
    await delegateCaller(this.delegation, caller);
    await this.deployments.delete(id, { force: forced });
  }

  @Get(':id/template')
  @Header('Content-Type', TEXT)
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The TOSCA text as submitted (latest after update).', schema: { type: 'string' } })
  async template(@Param('id') id: string, @CurrentUser() caller: Caller | undefined): Promise<string> {
    assertCanRead(caller, await this.deployments.get(id));
    return this.deployments.getTemplate(id);
  }

  @Get(':id/extrainfo')
  @Header('Content-Type', TEXT)
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'JSON array (as text) of per-VM info objects, `[]` if none.', schema: { type: 'string' } })
  async extraInfo(@Param('id') id: string, @CurrentUser() caller: Caller | undefined): Promise<string> {
    assertOwner(caller, await this.deployments.get(id));
    return this.deployments.getExtraInfo(id);
  }
}
