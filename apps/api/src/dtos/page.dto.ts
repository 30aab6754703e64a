// Spring Data paging as the reference renders it (§1.1 "Paged lists"): `page`/`size`/`sort` query
// parameters in, `{links, content, page}` out, with first/prev/self/next/last links in that order.
import { BadRequestException } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { PageRequest, SortOrder } from '@lib/orchestrator';
import { LinkDto } from './common.dto';

/** `page` member of a paged list. */
export class PageMetadataDto {
  @ApiProperty({ type: Number, example: 10 }) size!: number;
  @ApiProperty({ type: Number, example: 2 }) totalElements!: number;
  @ApiProperty({ type: Number, example: 1 }) totalPages!: number;
  @ApiProperty({ type: Number, example: 0, description: '0-based' }) number!: number;
}

/** Query parameters of a paged endpoint, as strings (everything in a query string is). */
export interface PageQuery {
  page?: string | string[];
  size?: string | string[];
  sort?: string | string[];
}

export const DEFAULT_PAGE_SIZE = 10;
/** Spring Data's own cap (`max-page-size`): larger sizes are clamped, not refused. */
export const MAX_PAGE_SIZE = 2000;

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** Spring's lenient parse: a missing, malformed or negative value falls back to the default. */
function intOr(value: string | undefined, fallback: number): number {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return fallback;
  return Number.parseInt(value, 10);
}

/**
 * Parses `page`, `size` and `sort` (`sort=createdAt,desc`, repeatable) the way Spring's
 * PageableHandlerMethodArgumentResolver does; `fields` maps accepted names (the Spring property
 * names and our JSON names) to the domain sort fields. The default is `createdAt,desc`.
 */
export function parsePageRequest<F extends string>(query: PageQuery, fields: Record<string, F>, defaultField: F): PageRequest<F> {
  const page = intOr(single(query.page), 0);
  const sizeRaw = intOr(single(query.size), DEFAULT_PAGE_SIZE);
  const size = sizeRaw < 1 ? DEFAULT_PAGE_SIZE : Math.min(sizeRaw, MAX_PAGE_SIZE);
  const sort: SortOrder<F>[] = [];
  const sortParams = query.sort === undefined ? [] : Array.isArray(query.sort) ? query.sort : [query.sort];
  for (const param of sortParams) {
    const parts = param.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
    const last = parts[parts.length - 1]?.toLowerCase();
    const direction = last === 'asc' || last === 'desc' ? last : 'asc';
    const names = last === 'asc' || last === 'desc' ? parts.slice(0, -1) : parts;
    for (const name of names) {
      const field = Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
      if (!field) throw new BadRequestException(`No property ${name} found for sorting`);
      sort.push({ field, direction });
    }
  }
  if (sort.length === 0) sort.push({ field: defaultField, direction: 'desc' });
  return { page, size, sort };
}

/** The query-string form of a page request, e.g. `page=1&size=10&sort=createdAt,desc`. */
function pageParams<F extends string>(page: number, request: PageRequest<F>, fieldNames: Record<F, string>): string {
  const sort = request.sort.map((o) => `sort=${encodeURIComponent(fieldNames[o.field])},${o.direction}`);
  return [`page=${page}`, `size=${request.size}`, ...sort].join('&');
}

const join = (base: string, params: string): string => `${base}${base.includes('?') ? '&' : '?'}${params}`;

/** `page` metadata: totalPages is 0 for an empty result, like Spring's PageImpl. */
export function toPageMetadata(request: PageRequest<string>, total: number): PageMetadataDto {
  return { size: request.size, totalElements: total, totalPages: Math.ceil(total / request.size), number: request.page };
}

/**
 * Spring HATEOAS PagedResourcesAssembler links: `first` and `last` only when there is more than
 * one page (navigable), `prev`/`next` when they exist, `self` always (given by the caller, since
 * each endpoint builds it differently).
 */
export function pageLinks<F extends string>(
  base: string,
  selfHref: string,
  request: PageRequest<F>,
  total: number,
  fieldNames: Record<F, string>,
): LinkDto[] {
  const totalPages = Math.ceil(total / request.size);
  const hasPrev = request.page > 0;
  const hasNext = request.page + 1 < totalPages;
  const navigable = hasPrev || hasNext;
  const links: LinkDto[] = [];
  if (navigable) links.push({ rel: 'first', href: join(base, pageParams(0, request, fieldNames)) });
  if (hasPrev) links.push({ rel: 'prev', href: join(base, pageParams(request.page - 1, request, fieldNames)) });
  links.push({ rel: 'self', href: selfHref });
  if (hasNext) links.push({ rel: 'next', href: join(base, pageParams(request.page + 1, request, fieldNames)) });
  if (navigable) links.push({ rel: 'last', href: join(base, pageParams(Math.max(totalPages - 1, 0), request, fieldNames)) });
  return links;
}

/** The page params of the current request, for a `self` link that needs them (resources). */
export function currentPageParams<F extends string>(request: PageRequest<F>, fieldNames: Record<F, string>): string {
  return pageParams(request.page, request, fieldNames);
}

export { join as appendQuery };
