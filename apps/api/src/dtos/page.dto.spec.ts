import { describe, expect, it } from 'vitest';
import { pageLinks, parsePageRequest, toPageMetadata } from './page.dto';

const FIELDS = { createdAt: 'createdAt', creationTime: 'createdAt', status: 'status' } as const;
const NAMES = { createdAt: 'createdAt', status: 'status' } as const;

describe('parsePageRequest', () => {
  it('defaults to page 0, size 10, createdAt desc (reference @PageableDefault)', () => {
    expect(parsePageRequest({}, FIELDS, 'createdAt')).toEqual({ page: 0, size: 10, sort: [{ field: 'createdAt', direction: 'desc' }] });
  });

  it('clamps size to 2000 (the old dashboard asks for 9999) and falls back on junk like Spring', () => {
    expect(parsePageRequest({ size: '9999', page: '3' }, FIELDS, 'createdAt')).toMatchObject({ page: 3, size: 2000 });
    expect(parsePageRequest({ size: '0', page: '-1' }, FIELDS, 'createdAt')).toMatchObject({ page: 0, size: 10 });
    expect(parsePageRequest({ size: 'ten', page: 'x' }, FIELDS, 'createdAt')).toMatchObject({ page: 0, size: 10 });
  });

  it('reads Spring sort syntax, repeated, with aliases; an unknown property is a 400', () => {
    expect(parsePageRequest({ sort: ['status,asc', 'creationTime,DESC'] }, FIELDS, 'createdAt').sort).toEqual([
      { field: 'status', direction: 'asc' },
      { field: 'createdAt', direction: 'desc' },
    ]);
    expect(parsePageRequest({ sort: 'status' }, FIELDS, 'createdAt').sort).toEqual([{ field: 'status', direction: 'asc' }]);
    expect(() => parsePageRequest({ sort: 'password,asc' }, FIELDS, 'createdAt')).toThrow('No property password found for sorting');
  });
});

describe('pageLinks', () => {
  const base = 'http://h/deployments?createdBy=me';
  const req = (page: number) => ({ page, size: 10, sort: [{ field: 'createdAt' as const, direction: 'desc' as const }] });

  it('has only self on a single page', () => {
    expect(pageLinks(base, base, req(0), 7, NAMES)).toEqual([{ rel: 'self', href: base }]);
  });

  it('orders first, prev, self, next, last with page, size and sort', () => {
    const links = pageLinks(base, base, req(1), 35, NAMES);
    expect(links.map((l) => l.rel)).toEqual(['first', 'prev', 'self', 'next', 'last']);
    expect(links[0].href).toBe('http://h/deployments?createdBy=me&page=0&size=10&sort=createdAt,desc');
    expect(links[1].href).toBe('http://h/deployments?createdBy=me&page=0&size=10&sort=createdAt,desc');
    expect(links[3].href).toBe('http://h/deployments?createdBy=me&page=2&size=10&sort=createdAt,desc');
    expect(links[4].href).toBe('http://h/deployments?createdBy=me&page=3&size=10&sort=createdAt,desc');
  });

  it('drops next on the last page and prev on the first', () => {
    expect(pageLinks('http://h/d', 'http://h/d', req(0), 11, NAMES).map((l) => l.rel)).toEqual(['first', 'self', 'next', 'last']);
    expect(pageLinks('http://h/d', 'http://h/d', req(1), 11, NAMES).map((l) => l.rel)).toEqual(['first', 'prev', 'self', 'last']);
  });

  it('reports zero pages for an empty result', () => {
    expect(toPageMetadata(req(0), 0)).toEqual({ size: 10, totalElements: 0, totalPages: 0, number: 0 });
    expect(toPageMetadata(req(2), 21)).toEqual({ size: 10, totalElements: 21, totalPages: 3, number: 2 });
  });
});
