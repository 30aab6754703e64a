// Neutron's native sorting and paging of list endpoints (neutron/api/api_common.py): `sort_key`
// and `sort_dir` in pairs, `limit`, `marker` (an id), `page_reverse`, and the
// `<collection>_links` with `next` and `previous` hrefs.
import { neutronError } from './neutron-ops';
import type { SimRequest } from './sim-http';

type Item = Record<string, unknown>;

/** The 404 each collection's marker look-up raises (the plugin's get_<resource>). */
const NOT_FOUND: Record<string, [string, (id: string) => string]> = {
  networks: ['NetworkNotFound', (id) => `Network ${id} could not be found.`],
  subnets: ['SubnetNotFound', (id) => `Subnet ${id} could not be found.`],
  ports: ['PortNotFound', (id) => `Port ${id} could not be found.`],
  routers: ['RouterNotFound', (id) => `Router ${id} could not be found.`],
  floatingips: ['FloatingIPNotFound', (id) => `Floating IP ${id} could not be found`],
  security_groups: ['SecurityGroupNotFound', (id) => `Security group ${id} does not exist`],
  security_group_rules: ['SecurityGroupRuleNotFound', (id) => `Security group rule ${id} does not exist`],
};

const pyList = (values: string[]): string => `[${values.map((v) => `'${v}'`).join(', ')}]`;

function compare(a: unknown, b: unknown): number {
  // SQL order: NULL first ascending.
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Sorts and pages `items` as the request asks; the page and its links (none without `limit`). */
export function sortAndPage(key: string, items: Item[], req: SimRequest): { page: Item[]; links?: { rel: string; href: string }[] } {
  const query = req.query;
  const keys = query.getAll('sort_key');
  const dirs = query.getAll('sort_dir');
  if (keys.length !== dirs.length) throw neutronError(400, 'HTTPBadRequest', 'The number of sort_keys and sort_dirs must be same');
  // Sortable: the attributes with a scalar value (Neutron marks those is_sort_key).
  const sample = items[0];
  const absent = keys.filter((k) => sample !== undefined && (!(k in sample) || (typeof sample[k] === 'object' && sample[k] !== null)));
  if (absent.length > 0) throw neutronError(400, 'HTTPBadRequest', `${pyList(absent)} is invalid attribute for sort_keys`);
  const badDirs = dirs.filter((d) => d !== 'asc' && d !== 'desc');
  if (badDirs.length > 0) throw neutronError(400, 'HTTPBadRequest', `${pyList(badDirs)} is invalid value for sort_dirs, valid value is 'asc' and 'desc'`);
  const limitText = query.get('limit');
  const limit = limitText === null ? 0 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 0) throw neutronError(400, 'HTTPBadRequest', `Limit must be an integer 0 or greater and not '${limitText}'`);
  const marker = query.get('marker');
  const reverse = /^(true|1|yes|on)$/i.test(query.get('page_reverse') ?? '');
  const sorts: [string, boolean][] = keys.map((k, i) => [k, dirs[i] === 'asc']);
  // Paging needs a total order: Neutron appends the primary key.
  if ((limit > 0 || marker) && !keys.includes('id')) sorts.push(['id', true]);
  // page_reverse walks the same order backwards from the marker.
  const order = (a: Item, b: Item): number => {
    for (const [k, asc] of sorts) {
      const c = compare(a[k], b[k]);
      if (c !== 0) return (asc !== reverse ? 1 : -1) * c;
    }
    return 0;
  };
  let list = sorts.length > 0 ? [...items].sort(order) : [...items];
  if (marker) {
    const at = list.find((item) => item['id'] === marker);
    if (!at) {
      const [type, message] = NOT_FOUND[key] ?? ['NotFound', (id: string) => `${id} could not be found.`];
      throw neutronError(404, type, message(marker));
    }
    list = list.filter((item) => order(item, at) > 0);
  }
  if (limit === 0) return { page: reverse && sorts.length > 0 ? list.reverse() : list };
  let page = list.slice(0, limit);
  if (reverse) page = page.reverse();
  const href = (params: URLSearchParams): string => `${req.origin}/network/v2.0${req.path}?${params.toString()}`;
  const links: { rel: string; href: string }[] = [];
  // As api_common.get_pagination_links: `next` whenever a page is full (even if nothing follows).
  if (!(page.length < limit && !reverse)) {
    const params = new URLSearchParams(query);
    params.set('marker', String(page[page.length - 1]?.['id'] ?? marker ?? ''));
    params.delete('page_reverse');
    links.push({ rel: 'next', href: href(params) });
  }
  if (!(page.length < limit && reverse)) {
    const params = new URLSearchParams(query);
    params.set('marker', String(page[0]?.['id'] ?? marker ?? ''));
    params.set('page_reverse', 'True');
    links.push({ rel: 'previous', href: href(params) });
  }
  return { page, links };
}
