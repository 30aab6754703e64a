// Neutron security groups and rules of the simulator, with Neutron's validation and conflicts.
import { addRule, neutronError } from './neutron-ops';
import { filterList, neutronAccess } from './neutron-access';
import { renderRule, renderSecurityGroup } from './neutron-render';
import type { SimContext } from './sim-context';
import { json, SimRouter, str } from './sim-http';
import { normaliseCidr } from './sim-ipam';
import { uuid } from './sim-state';

export function neutronSecurityRoutes(ctx: SimContext): SimRouter {
  const { state, now, auth, sees, checkQuota, body, projectOf } = neutronAccess(ctx);
  const r = new SimRouter();
  // ---- security groups and rules
  r.on('GET', '/security-groups', (req) => {
    const a = auth(req);
    return filterList('security_groups', [...state.securityGroups.values()].filter((g) => sees(a, g)).map((g) => renderSecurityGroup(ctx, g)), req);
  });
  r.on('GET', '/security-groups/:id', (req) => {
    const a = auth(req);
    const g = state.securityGroups.get(req.params['id']);
    if (!g || !sees(a, g)) throw neutronError(404, 'SecurityGroupNotFound', `Security group ${req.params['id']} does not exist`);
    return json(200, { security_group: renderSecurityGroup(ctx, g) });
  });
  r.on('POST', '/security-groups', (req) => {
    const a = auth(req);
    const b = body(req, 'security_group');
    const projectId = projectOf(a, b);
    const name = str(b, 'name') ?? '';
    if (name === 'default') throw neutronError(409, 'SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
    checkQuota(a, 'security_group', state.count(state.securityGroups, projectId));
    const t = now();
    const g = { id: uuid(), name, projectId, description: str(b, 'description') ?? '', stateful: b['stateful'] !== false, createdAt: t, updatedAt: t, revision: 1 };
    state.securityGroups.set(g.id, g);
    // Neutron gives every new group the two egress rules.
    addRule(ctx, { securityGroupId: g.id, projectId, direction: 'egress', ethertype: 'IPv4' });
    addRule(ctx, { securityGroupId: g.id, projectId, direction: 'egress', ethertype: 'IPv6' });
    return json(201, { security_group: renderSecurityGroup(ctx, g) });
  });
  r.on('DELETE', '/security-groups/:id', (req) => {
    const a = auth(req);
    const g = state.securityGroups.get(req.params['id']);
    if (!g || !sees(a, g)) throw neutronError(404, 'SecurityGroupNotFound', `Security group ${req.params['id']} does not exist`);
    if (g.name === 'default' && !a.isAdmin) throw neutronError(409, 'SecurityGroupCannotRemoveDefault', 'Insufficient rights for removing default security group.');
    if ([...state.ports.values()].some((p) => p.securityGroups.includes(g.id))) throw neutronError(409, 'SecurityGroupInUse', `Security Group ${g.id} in use.`);
    for (const rule of [...state.securityGroupRules.values()]) if (rule.securityGroupId === g.id) state.securityGroupRules.delete(rule.id);
    state.securityGroups.delete(g.id);
    return json(204);
  });
  r.on('GET', '/security-group-rules', (req) => {
    const a = auth(req);
    return filterList('security_group_rules', [...state.securityGroupRules.values()].filter((x) => sees(a, x)).map((x) => renderRule(x)), req);
  });
  r.on('GET', '/security-group-rules/:id', (req) => {
    const a = auth(req);
    const x = state.securityGroupRules.get(req.params['id']);
    if (!x || !sees(a, x)) throw neutronError(404, 'SecurityGroupRuleNotFound', `Security group rule ${req.params['id']} does not exist`);
    return json(200, { security_group_rule: renderRule(x) });
  });
  r.on('POST', '/security-group-rules', (req) => {
    const a = auth(req);
    const b = body(req, 'security_group_rule');
    const sgId = str(b, 'security_group_id') ?? '';
    const g = state.securityGroups.get(sgId);
    if (!g || !sees(a, g)) throw neutronError(404, 'SecurityGroupNotFound', `Security group ${sgId} does not exist`);
    const direction = str(b, 'direction');
    if (direction !== 'ingress' && direction !== 'egress') throw neutronError(400, 'HTTPBadRequest', `Invalid input for direction. Reason: ${String(direction)} is not in valid_values.`);
    const ethertype = str(b, 'ethertype') === 'IPv6' ? 'IPv6' : 'IPv4';
    const protocolRaw = b['protocol'];
    const protocol = protocolRaw === null || protocolRaw === undefined ? null : String(protocolRaw).toLowerCase();
    if (protocol !== null && !/^(tcp|udp|icmp|icmpv6|any|\d{1,3}|ah|dccp|egp|esp|gre|igmp|ipip|ipv6-encap|ipv6-frag|ipv6-icmp|ipv6-nonxt|ipv6-opts|ipv6-route|ospf|pgm|rsvp|sctp|udplite|vrrp)$/.test(protocol)) {
      throw neutronError(400, 'SecurityGroupRuleInvalidProtocol', `Security group rule protocol ${protocol} not supported. Only protocol values [None, 'ah', 'dccp', 'egp', 'esp', 'gre', 'icmp', 'icmpv6', 'igmp', 'ipip', 'ipv6-encap', 'ipv6-frag', 'ipv6-icmp', 'ipv6-nonxt', 'ipv6-opts', 'ipv6-route', 'ospf', 'pgm', 'rsvp', 'sctp', 'tcp', 'udp', 'udplite', 'vrrp'] and integer representations [0 to 255] are supported.`);
    }
    const min = typeof b['port_range_min'] === 'number' ? b['port_range_min'] : null;
    const max = typeof b['port_range_max'] === 'number' ? b['port_range_max'] : null;
    if (min !== null && max !== null && min > max && protocol !== 'icmp') throw neutronError(400, 'SecurityGroupInvalidPortRange', 'For TCP/UDP protocols, port_range_min must be <= port_range_max');
    const prefix = str(b, 'remote_ip_prefix') ?? null;
    const normPrefix = prefix === null ? null : prefix.includes('/') ? (normaliseCidr(prefix) ?? prefix) : `${prefix}/32`;
    const remoteGroupId = str(b, 'remote_group_id') ?? null;
    const dup = [...state.securityGroupRules.values()].find(
      (x) => x.securityGroupId === g.id && x.direction === direction && x.ethertype === ethertype && x.protocol === protocol && x.portRangeMin === min && x.portRangeMax === max && x.remoteIpPrefix === normPrefix && x.remoteGroupId === remoteGroupId,
    );
    if (dup) throw neutronError(409, 'SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${dup.id}.`);
    checkQuota(a, 'security_group_rule', state.count(state.securityGroupRules, g.projectId));
    const rule = addRule(ctx, {
      securityGroupId: g.id,
      projectId: g.projectId,
      direction,
      ethertype,
      protocol,
      portRangeMin: min,
      portRangeMax: max,
      remoteIpPrefix: normPrefix,
      remoteGroupId,
      description: str(b, 'description') ?? '',
    });
    g.revision++;
    return json(201, { security_group_rule: renderRule(rule) });
  });
  r.on('DELETE', '/security-group-rules/:id', (req) => {
    const a = auth(req);
    const x = state.securityGroupRules.get(req.params['id']);
    if (!x || !sees(a, x)) throw neutronError(404, 'SecurityGroupRuleNotFound', `Security group rule ${req.params['id']} does not exist`);
    state.securityGroupRules.delete(x.id);
    return json(204);
  });

  return r;
}
