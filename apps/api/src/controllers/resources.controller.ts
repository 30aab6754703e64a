// /deployments/{id}/resources of the reference (§1.2, §1.4): paged list with a `type` filter that
// matches parent types, the unpaged /filter, one resource, and the start/stop actions.
import { BadRequestException, Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOkResponse, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ResourceNotFoundError, type DeploymentService } from '@lib/orchestrator';
import { type Caller, CurrentUser, RequiresWriteScope } from '@lib/auth';
import { DELEGATION, DEPLOYMENT_SERVICE, type Delegation } from '../api.tokens';
import { serviceRoot } from '../dtos/common.dto';
import { ApiErrorResponse } from '../dtos/error.dto';
import { currentPageParams, pageLinks, parsePageRequest, toPageMetadata, type PageQuery } from '../dtos/page.dto';
import {
  RESOURCE_SORT_FIELDS,
  RESOURCE_SORT_NAMES,
  ResourceActionRequestDto,
  ResourceDto,
  ResourcePageDto,
  parseResourceAction,
  requireType,
  toResourceDto,
} from '../dtos/resource.dto';
import { delegateCaller } from '../http/delegate-caller';
import { assertCanRead, assertOwner } from '../http/access.policy';

/** `/filter` returns every match in one unpaged array; this bounds a single answer. */
const FILTER_LIMIT = 2000;

interface ResourceListQuery extends PageQuery {
  type?: string | string[];
}

@ApiTags('resources')
@ApiBearerAuth()
@ApiExtraModels(ResourceDto)
@ApiErrorResponse(404, 'Unknown deployment or resource.', "The deployment 11ed8ab3-6a40-968a-82b7-62f0862dbe46 doesn't exist")
@Controller('deployments/:id/resources')
export class ResourcesController {
  constructor(
    @Inject(DEPLOYMENT_SERVICE) private readonly deployments: DeploymentService,
    @Inject(DELEGATION) private readonly delegation: Delegation | null,
  ) {}

  @Get()
  @ApiOkResponse({ type: ResourcePageDto })
  @ApiQuery({ name: 'type', type: String, required: false, description: 'TOSCA type; matches the node type or any parent type' })
  @ApiQuery({ name: 'page', type: String, required: false })
  @ApiQuery({ name: 'size', type: String, required: false })
  @ApiQuery({ name: 'sort', type: String, required: false })
  async list(@Req() req: Request, @Param('id') id: string, @Query() query: ResourceListQuery, @CurrentUser() caller: Caller | undefined): Promise<ResourcePageDto> {
    assertCanRead(caller, await this.deployments.get(id));
    const type = (Array.isArray(query.type) ? query.type[0] : query.type) || undefined;
    const page = parsePageRequest(query, RESOURCE_SORT_FIELDS, 'createdAt');
    const result = await this.deployments.listResources(id, { ...(type ? { type } : {}), page });
    const root = serviceRoot(req);
    const base = `${root}/deployments/${id}/resources${type ? `?type=${encodeURIComponent(type)}` : ''}`;
    const self = `${base}${type ? '&' : '?'}${currentPageParams(page, RESOURCE_SORT_NAMES)}`;
    return {
      links: pageLinks(base, self, page, result.total, RESOURCE_SORT_NAMES),
      content: result.items.map((r) => toResourceDto(r, id, root)),
      page: toPageMetadata(page, result.total),
    };
  }

  @Get('filter')
  @ApiQuery({ name: 'type', type: String, required: true })
  @ApiOkResponse({ type: [ResourceDto], description: 'Unpaged array (no wrapper).' })
  async filter(@Req() req: Request, @Param('id') id: string, @Query('type') type: string | string[] | undefined, @CurrentUser() caller: Caller | undefined): Promise<ResourceDto[]> {
    const wanted = requireType(type);
    assertCanRead(caller, await this.deployments.get(id));
    const result = await this.deployments.listResources(id, {
      type: wanted,
      page: { page: 0, size: FILTER_LIMIT, sort: [{ field: 'createdAt', direction: 'asc' }] },
    });
    const root = serviceRoot(req);
    return result.items.map((r) => toResourceDto(r, id, root));
  }

  @Get(':rid')
  @ApiOkResponse({ type: ResourceDto })
  async get(@Req() req: Request, @Param('id') id: string, @Param('rid') rid: string, @CurrentUser() caller: Caller | undefined): Promise<ResourceDto> {
    assertCanRead(caller, await this.deployments.get(id));
    return toResourceDto(await this.deployments.getResource(id, rid), id, serviceRoot(req));
  }

  @Post(':rid/actions')
  @HttpCode(202)
  @RequiresWriteScope()
  @ApiBody({ type: ResourceActionRequestDto })
  @ApiResponse({ status: 202, description: 'Action accepted (empty body); state checks happen asynchronously.' })
  @ApiErrorResponse(409, 'The deployment state forbids it (or a concurrent update: Retry-After: 0).', 'Cannot update a deployment in DELETE_IN_PROGRESS state')
  async action(@Param('id') id: string, @Param('rid') rid: string, @Body() body: unknown, @CurrentUser() caller: Caller | undefined): Promise<void> {
    const action = parseResourceAction(body);
    assertOwner(caller, await this.deployments.get(id));
    await delegateCaller(this.delegation, caller);
    try {
      await this.deployments.resourceAction(id, rid, action);
    } catch (error) {
      // The reference answers 400 (not 404) when an action names an unknown resource.
      if (error instanceof ResourceNotFoundError) throw new BadRequestException(error.message400);
      throw error;
    }
  }
}
