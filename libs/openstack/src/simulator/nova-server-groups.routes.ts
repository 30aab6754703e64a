// Nova server groups of the simulator (os-server-groups: create, list, show, delete), and the
// `group` scheduler hint of a server create, shaped as Zed's
// nova/api/openstack/compute/server_groups.py renders them: `policies` and an always-empty
// `metadata` before 2.64, `policy` and `rules` from 2.64, `project_id`/`user_id` from 2.13.
import { microversion } from './nova-render';
import type { SimAuth, SimContext } from './sim-context';
import { json, obj, SimHttpError, type SimRequest, SimRouter, str } from './sim-http';
import { type SimServerGroup, uuid } from './sim-state';

const POLICIES_2_1 = ['anti-affinity', 'affinity'];
/** 2.15 added the soft policies. */
const POLICIES_2_15 = [...POLICIES_2_1, 'soft-anti-affinity', 'soft-affinity'];
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

const notFound = (id: string): SimHttpError => new SimHttpError(404, `Instance group ${id} could not be found.`);

export function renderServerGroup(g: SimServerGroup, mv: number): Record<string, unknown> {
  const out: Record<string, unknown> = { id: g.id, name: g.name };
  if (mv >= 64) Object.assign(out, { policy: g.policy, rules: g.rules });
  else Object.assign(out, { policies: [g.policy], metadata: {} });
  out['members'] = [...g.members];
  if (mv >= 13) Object.assign(out, { project_id: g.projectId, user_id: g.userId });
  return out;
}

/**
 * The server group named by a create's `os:scheduler_hints.group`, if any. Nova's request schema
 * wants a UUID, and an unknown group is InstanceGroupNotFound, which the create answers with 400.
 */
export function hintedServerGroup(ctx: SimContext, auth: SimAuth, body: unknown): SimServerGroup | undefined {
  const group = str(obj(body, 'os:scheduler_hints') ?? obj(body, 'OS-SCH-HNT:scheduler_hints'), 'group');
  if (group === undefined) return undefined;
  if (!UUID.test(group)) throw new SimHttpError(400, `Invalid input for field/attribute group. Value: ${group}. '${group}' is not a 'uuid'`);
  const found = ctx.state.serverGroups.get(group);
  if (!found || (found.projectId !== auth.projectId && !auth.isAdmin)) throw new SimHttpError(400, `Instance group ${group} could not be found.`);
  const quota = ctx.state.quota(found.projectId).server_group_members;
  if (quota >= 0 && found.members.length + 1 > quota) throw new SimHttpError(403, 'Quota exceeded, too many servers in group');
  return found;
}

/**
 * The fault of a server the scheduler cannot place: the control plane has one compute host, so
 * an anti-affinity group holds at most `max_server_per_host` (default 1) servers, as on the
 * real one; affinity and the soft policies always fit.
 */
export function placementFailure(group: SimServerGroup | undefined): string | undefined {
  if (group?.policy !== 'anti-affinity') return undefined;
  const perHost = group.rules['max_server_per_host'] ?? 1;
  return group.members.length >= perHost ? 'No valid host was found. There are not enough hosts available.' : undefined;
}

export function novaServerGroupRoutes(ctx: SimContext): SimRouter {
  const state = ctx.state;

  const visible = (req: SimRequest): SimServerGroup => {
    const auth = ctx.authenticate(req);
    const g = state.serverGroups.get(req.params['id']);
    if (!g || (g.projectId !== auth.projectId && !auth.isAdmin)) throw notFound(req.params['id']);
    return g;
  };

  const create = (req: SimRequest) => {
    const auth = ctx.authenticate(req);
    const mv = microversion(req);
    const body = obj(req.body, 'server_group');
    const invalid = (detail: string): SimHttpError => new SimHttpError(400, `Invalid input for field/attribute server_group. Value: ${JSON.stringify(body ?? null)}. ${detail}`);
    if (!body) throw new SimHttpError(400, "Invalid input for field/attribute server_group. Value: None. None is not of type 'object'");
    const name = str(body, 'name');
    if (name === undefined) throw invalid("'name' is a required property");
    if (name.trim() === '' || name.length > 255) throw new SimHttpError(400, `Invalid input for field/attribute name. Value: ${name}. '${name}' does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'`);
    const allowed = mv >= 15 ? POLICIES_2_15 : POLICIES_2_1;
    let policy: string | undefined;
    let rules: Record<string, number> = {};
    if (mv >= 64) {
      policy = str(body, 'policy');
      if (policy === undefined) throw invalid("'policy' is a required property");
      rules = (obj(body, 'rules') as Record<string, number> | undefined) ?? {};
    } else {
      const policies = body['policies'];
      if (!Array.isArray(policies)) throw invalid("'policies' is a required property");
      if (policies.length !== 1) throw new SimHttpError(400, `Invalid input for field/attribute policies. Value: ${JSON.stringify(policies)}. ${JSON.stringify(policies)} is too ${policies.length === 0 ? 'short' : 'long'}`);
      policy = String(policies[0]);
    }
    if (!allowed.includes(policy)) throw new SimHttpError(400, `Invalid input for field/attribute ${mv >= 64 ? 'policy' : '0'}. Value: ${policy}. '${policy}' is not one of ${JSON.stringify(allowed).replace(/"/g, "'")}`);
    const quota = state.quota(auth.projectId).server_groups;
    const mine = [...state.serverGroups.values()].filter((g) => g.projectId === auth.projectId).length;
    if (quota >= 0 && mine + 1 > quota) throw new SimHttpError(403, 'Quota exceeded, too many server groups.');
    const group: SimServerGroup = { id: uuid(), name, projectId: auth.projectId, userId: auth.user.id, policy, rules, members: [] };
    state.serverGroups.set(group.id, group);
    return json(200, { server_group: renderServerGroup(group, mv) });
  };

  return new SimRouter()
    .on('POST', '/os-server-groups', create)
    .on('GET', '/os-server-groups', (req) => {
      const auth = ctx.authenticate(req);
      const mv = microversion(req);
      const all = auth.isAdmin && req.query.has('all_projects');
      const groups = [...state.serverGroups.values()].filter((g) => all || g.projectId === auth.projectId);
      const offset = Number(req.query.get('offset') ?? '0') || 0;
      const limit = Number(req.query.get('limit') ?? '1000') || 1000;
      return json(200, { server_groups: groups.slice(offset, offset + limit).map((g) => renderServerGroup(g, mv)) });
    })
    .on('GET', '/os-server-groups/:id', (req) => json(200, { server_group: renderServerGroup(visible(req), microversion(req)) }))
    .on('DELETE', '/os-server-groups/:id', (req) => {
      state.serverGroups.delete(visible(req).id);
      return json(204);
    });
}
