// Access rules shared by the Neutron routes of the simulator: token check (which also makes the
// project's default security group, as Neutron does), visibility, quotas, and lookups with
// Neutron's 404 messages.
import { ensureDefaultSecurityGroup, neutronError } from './neutron-ops';
import { sortAndPage } from './neutron-paging';
import type { SimAuth, SimContext } from './sim-context';
import { json, obj, type SimRequest, type SimResponse, str } from './sim-http';
import type { SimFloatingIp, SimNetwork, SimQuota, SimRouter as RouterRow, SimSubnet } from './sim-state';

const CONTROL_PARAMS = new Set(['fields', 'limit', 'marker', 'sort_key', 'sort_dir', 'page_reverse', 'tags', 'tags-any', 'not-tags', 'not-tags-any']);

/** Applies Neutron's query filters (`?name=a&name=b` is OR), sorting, paging and `fields` to rendered items. */
export function filterList(key: string, items: Record<string, unknown>[], req: SimRequest): SimResponse {
  const query = req.query;
  const keys = [...new Set(query.keys())].filter((k) => !CONTROL_PARAMS.has(k));
  let out = items.filter((item) =>
    keys.every((k) => {
      const values = query.getAll(k);
      const v = item[k];
      if (v === undefined) return true; // Neutron ignores filters on unknown attributes.
      return values.some((want) => (typeof v === 'boolean' ? String(v) === want.toLowerCase() : String(v) === want));
    }),
  );
  const tags = query.get('tags');
  if (tags) out = out.filter((item) => tags.split(',').every((tag) => (item['tags'] as string[] | undefined)?.includes(tag)));
  const { page, links } = sortAndPage(key, out, req);
  const fields = query.getAll('fields');
  const shown = fields.length > 0 ? page.map((item) => Object.fromEntries(fields.filter((f) => f in item).map((f) => [f, item[f]]))) : page;
  return json(200, links ? { [key]: shown, [`${key}_links`]: links } : { [key]: shown });
}
export function neutronAccess(ctx: SimContext) {
  const state = ctx.state;
  const now = (): number => Date.now();
  const auth = (req: SimRequest): SimAuth => {
    const a = ctx.authenticate(req);
    ensureDefaultSecurityGroup(ctx, a.projectId);
    return a;
  };
  const sees = (a: SimAuth, row: { projectId: string }, shared = false): boolean => a.isAdmin || row.projectId === a.projectId || shared;
  const checkQuota = (a: SimAuth, resource: keyof SimQuota, count: number): void => {
    const limit = state.quota(a.projectId)[resource];
    if (limit >= 0 && count >= limit) throw neutronError(409, 'OverQuota', `Quota exceeded for resources: ['${resource}'].`);
  };
  const body = (req: SimRequest, key: string): Record<string, unknown> => {
    const b = obj(req.body, key);
    if (!b) throw neutronError(400, 'HTTPBadRequest', `Resource body required`);
    return b;
  };
  const projectOf = (a: SimAuth, b: Record<string, unknown>): string => (a.isAdmin ? (str(b, 'project_id') ?? str(b, 'tenant_id') ?? a.projectId) : a.projectId);

  const network = (a: SimAuth, id: string): SimNetwork => {
    const n = state.networks.get(id);
    if (!n || !sees(a, n, n.shared || n.external)) throw neutronError(404, 'NetworkNotFound', `Network ${id} could not be found.`);
    return n;
  };
  const subnet = (a: SimAuth, id: string): SimSubnet => {
    const s = state.subnets.get(id);
    const n = s ? state.networks.get(s.networkId) : undefined;
    if (!s || !sees(a, s, n?.shared || n?.external)) throw neutronError(404, 'SubnetNotFound', `Subnet ${id} could not be found.`);
    return s;
  };
  const router = (a: SimAuth, id: string): RouterRow => {
    const r = state.routers.get(id);
    if (!r || !sees(a, r)) throw neutronError(404, 'RouterNotFound', `Router ${id} could not be found.`);
    return r;
  };
  const fip = (a: SimAuth, id: string): SimFloatingIp => {
    const f = state.floatingIps.get(id);
    if (!f || !sees(a, f)) throw neutronError(404, 'FloatingIPNotFound', `Floating IP ${id} could not be found`);
    return f;
  };
  return { state, now, auth, sees, checkQuota, body, projectOf, network, subnet, router, fip };
}
