// Neutron (network /v2.0) of the simulator: networks, subnets, routers, ports, security groups
// and rules, floating IPs, with Neutron's filters, conflicts and error types.
import { addRule, createPort, deletePort, ensureDefaultSecurityGroup, neutronError, routerFor } from './neutron-ops';
import { renderFloatingIp, renderNetwork, renderPort, renderRouter, renderRule, renderSecurityGroup, renderSubnet } from './neutron-render';
import type { SimAuth, SimContext } from './sim-context';
import { json, obj, type SimRequest, SimRouter, type SimResponse, str } from './sim-http';
import { defaultsFor, inCidr, normaliseCidr } from './sim-ipam';
import type { SimFloatingIp, SimNetwork, SimQuota, SimRouter as RouterRow, SimSubnet } from './sim-state';
import { uuid } from './sim-state';

const CONTROL_PARAMS = new Set(['fields', 'limit', 'marker', 'sort_key', 'sort_dir', 'page_reverse', 'tags', 'tags-any', 'not-tags', 'not-tags-any']);

/** Applies Neutron's query filters (`?name=a&name=b` is OR) and `fields` to rendered items. */
export function filterList(key: string, items: Record<string, unknown>[], query: URLSearchParams): SimResponse {
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
  const fields = query.getAll('fields');
  if (fields.length > 0) out = out.map((item) => Object.fromEntries(fields.filter((f) => f in item).map((f) => [f, item[f]])));
  return json(200, { [key]: out });
}

export function neutronRoutes(ctx: SimContext): SimRouter {
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

  const setGateway = (r: RouterRow, info: Record<string, unknown> | undefined | null): void => {
    const networkId = info ? str(info, 'network_id') : undefined;
    if (r.gateway && r.gateway.networkId !== networkId) {
      deletePort(ctx, r.gateway.portId);
      r.gateway = null;
    }
    if (!networkId || r.gateway) return;
    const ext = state.networks.get(networkId);
    if (!ext) throw neutronError(404, 'NetworkNotFound', `Network ${networkId} could not be found.`);
    if (!ext.external) throw neutronError(400, 'BadRequest', `Bad router request: Network ${networkId} is not an external network.`);
    const port = createPort(ctx, { networkId, projectId: '', deviceId: r.id, deviceOwner: 'network:router_gateway' });
    port.status = 'DOWN';
    r.gateway = { networkId, enableSnat: info?.['enable_snat'] !== false, portId: port.id };
  };

  const associate = (a: SimAuth, f: SimFloatingIp, portId: string | null, fixedIp?: string): void => {
    if (portId === null) {
      Object.assign(f, { portId: null, fixedIp: null, routerId: null });
      return;
    }
    const port = state.ports.get(portId);
    if (!port || !sees(a, port)) throw neutronError(404, 'PortNotFound', `Port ${portId} could not be found.`);
    const ip = fixedIp ?? port.fixedIps.find((x) => !x.ip_address.includes(':'))?.ip_address;
    if (!ip) throw neutronError(400, 'BadRequest', `Bad floatingip request: Port ${portId} does not have any IPv4 address.`);
    const other = [...state.floatingIps.values()].find((x) => x.id !== f.id && x.portId === portId && x.fixedIp === ip);
    if (other) {
      throw neutronError(409, 'FloatingIPPortAlreadyAssociated', `Cannot associate floating IP ${f.address} (${f.id}) with port ${portId} using fixed IP ${ip}, as that fixed IP already has a floating IP on external network ${f.networkId}.`);
    }
    const routerId = routerFor(ctx, port, f.networkId);
    if (!routerId) {
      const subnetId = port.fixedIps[0]?.subnet_id ?? '';
      throw neutronError(404, 'ExternalGatewayForFloatingIPNotFound', `External network ${f.networkId} is not reachable from subnet ${subnetId}.  Therefore, cannot associate Port ${portId} with a Floating IP.`);
    }
    Object.assign(f, { portId, fixedIp: ip, routerId });
  };

  const r = new SimRouter();
  r.on('GET', '/extensions', () => json(200, { extensions: EXTENSIONS.map(extensionJson) }));
  r.on('GET', '/extensions/:alias', (req) => {
    const e = EXTENSIONS.find((x) => x[0] === req.params['alias']);
    if (!e) throw neutronError(404, 'HTTPNotFound', `Extension with alias ${req.params['alias']} does not exist`);
    return json(200, { extension: extensionJson(e) });
  });

  // ---- networks
  r.on('GET', '/networks', (req) => {
    const a = auth(req);
    return filterList('networks', [...state.networks.values()].filter((n) => sees(a, n, n.shared || n.external)).map((n) => renderNetwork(ctx, n)), req.query);
  });
  r.on('GET', '/networks/:id', (req) => json(200, { network: renderNetwork(ctx, network(auth(req), req.params['id'])) }));
  r.on('POST', '/networks', (req) => {
    const a = auth(req);
    const b = body(req, 'network');
    const projectId = projectOf(a, b);
    checkQuota(a, 'network', state.count(state.networks, projectId));
    const t = now();
    const n: SimNetwork = {
      id: uuid(),
      name: str(b, 'name') ?? '',
      projectId,
      external: a.isAdmin && b['router:external'] === true,
      shared: a.isAdmin && b['shared'] === true,
      adminStateUp: b['admin_state_up'] !== false,
      description: str(b, 'description') ?? '',
      mtu: typeof b['mtu'] === 'number' ? b['mtu'] : 1450,
      segmentationId: ++state.segmentCounter,
      createdAt: t,
      updatedAt: t,
      revision: 1,
      tags: [],
    };
    state.networks.set(n.id, n);
    return json(201, { network: renderNetwork(ctx, n) });
  });
  r.on('PUT', '/networks/:id', (req) => {
    const a = auth(req);
    const n = network(a, req.params['id']);
    const b = body(req, 'network');
    if (typeof b['name'] === 'string') n.name = b['name'];
    if (typeof b['description'] === 'string') n.description = b['description'];
    if (typeof b['admin_state_up'] === 'boolean') n.adminStateUp = b['admin_state_up'];
    n.updatedAt = now();
    n.revision++;
    return json(200, { network: renderNetwork(ctx, n) });
  });
  r.on('DELETE', '/networks/:id', (req) => {
    const a = auth(req);
    const n = network(a, req.params['id']);
    if (!sees(a, n)) throw neutronError(404, 'NetworkNotFound', `Network ${n.id} could not be found.`);
    const inUse = [...state.ports.values()].filter((p) => p.networkId === n.id && p.deviceOwner !== 'network:dhcp').map((p) => p.id);
    if (inUse.length > 0) {
      throw neutronError(409, 'NetworkInUse', `Unable to complete operation on network ${n.id}. There are one or more ports still in use on the network, id for these ports is: ${inUse.join(',')}.`);
    }
    for (const s of [...state.subnets.values()]) if (s.networkId === n.id) state.subnets.delete(s.id);
    state.networks.delete(n.id);
    return json(204);
  });

  // ---- subnets
  r.on('GET', '/subnets', (req) => {
    const a = auth(req);
    const list = [...state.subnets.values()].filter((s) => {
      const n = state.networks.get(s.networkId);
      return sees(a, s, n?.shared || n?.external);
    });
    return filterList('subnets', list.map(renderSubnet), req.query);
  });
  r.on('GET', '/subnets/:id', (req) => json(200, { subnet: renderSubnet(subnet(auth(req), req.params['id'])) }));
  r.on('POST', '/subnets', (req) => {
    const a = auth(req);
    const b = body(req, 'subnet');
    const n = network(a, str(b, 'network_id') ?? '');
    const projectId = projectOf(a, b);
    if (n.projectId !== projectId && !a.isAdmin) throw neutronError(404, 'NetworkNotFound', `Network ${n.id} could not be found.`);
    const rawCidr = str(b, 'cidr') ?? '';
    const ipVersion = b['ip_version'] === 6 ? 6 : 4;
    if (ipVersion === 6) throw neutronError(400, 'HTTPBadRequest', 'Invalid input for operation: the simulator supports IPv4 subnets only.');
    const cidr = normaliseCidr(rawCidr);
    if (!cidr) throw neutronError(400, 'HTTPBadRequest', `Invalid input for cidr. Reason: '${rawCidr}' is not a valid IP subnet.`);
    for (const other of state.subnets.values()) {
      if (other.networkId === n.id && (inCidr(cidr.split('/')[0], other.cidr) || inCidr(other.cidr.split('/')[0], cidr))) {
        throw neutronError(400, 'BadRequest', `Invalid input for operation: Requested subnet with cidr: ${cidr} for network: ${n.id} overlaps with another subnet.`);
      }
    }
    checkQuota(a, 'subnet', state.count(state.subnets, projectId));
    const gatewayRaw = b['gateway_ip'];
    const defaults = defaultsFor(cidr, gatewayRaw === null ? null : typeof gatewayRaw === 'string' ? gatewayRaw : undefined);
    const pools = Array.isArray(b['allocation_pools']) ? (b['allocation_pools'] as { start: string; end: string }[]) : defaults.pools;
    const t = now();
    const s: SimSubnet = {
      id: uuid(),
      name: str(b, 'name') ?? '',
      networkId: n.id,
      projectId,
      cidr,
      ipVersion: 4,
      gatewayIp: defaults.gatewayIp,
      enableDhcp: b['enable_dhcp'] !== false,
      pools,
      dnsNameservers: Array.isArray(b['dns_nameservers']) ? (b['dns_nameservers'] as string[]) : [],
      description: str(b, 'description') ?? '',
      createdAt: t,
      updatedAt: t,
      revision: 0,
    };
    state.subnets.set(s.id, s);
    n.revision++;
    return json(201, { subnet: renderSubnet(s) });
  });
  r.on('PUT', '/subnets/:id', (req) => {
    const s = subnet(auth(req), req.params['id']);
    const b = body(req, 'subnet');
    if (typeof b['name'] === 'string') s.name = b['name'];
    if (typeof b['enable_dhcp'] === 'boolean') s.enableDhcp = b['enable_dhcp'];
    if (Array.isArray(b['dns_nameservers'])) s.dnsNameservers = b['dns_nameservers'] as string[];
    s.updatedAt = now();
    s.revision++;
    return json(200, { subnet: renderSubnet(s) });
  });
  r.on('DELETE', '/subnets/:id', (req) => {
    const s = subnet(auth(req), req.params['id']);
    const used = [...state.ports.values()].some((p) => p.fixedIps.some((ip) => ip.subnet_id === s.id));
    if (used) throw neutronError(409, 'SubnetInUse', `Unable to complete operation on subnet ${s.id}: One or more ports have an IP allocation from this subnet.`);
    state.subnets.delete(s.id);
    return json(204);
  });

  // ---- ports
  r.on('GET', '/ports', (req) => {
    const a = auth(req);
    return filterList('ports', [...state.ports.values()].filter((p) => sees(a, p)).map(renderPort), req.query);
  });
  r.on('GET', '/ports/:id', (req) => {
    const a = auth(req);
    const p = state.ports.get(req.params['id']);
    if (!p || !sees(a, p)) throw neutronError(404, 'PortNotFound', `Port ${req.params['id']} could not be found.`);
    return json(200, { port: renderPort(p) });
  });
  r.on('POST', '/ports', (req) => {
    const a = auth(req);
    const b = body(req, 'port');
    const n = network(a, str(b, 'network_id') ?? '');
    const sgs = Array.isArray(b['security_groups']) ? (b['security_groups'] as string[]) : undefined;
    for (const id of sgs ?? []) if (!state.securityGroups.has(id)) throw neutronError(404, 'SecurityGroupNotFound', `Security group ${id} does not exist`);
    const port = createPort(ctx, {
      networkId: n.id,
      projectId: projectOf(a, b),
      name: str(b, 'name'),
      deviceId: str(b, 'device_id'),
      deviceOwner: str(b, 'device_owner'),
      securityGroups: sgs,
      fixedIps: Array.isArray(b['fixed_ips']) ? (b['fixed_ips'] as { subnet_id?: string; ip_address?: string }[]) : undefined,
      description: str(b, 'description'),
      adminStateUp: b['admin_state_up'] !== false,
    });
    return json(201, { port: renderPort(port) });
  });
  r.on('PUT', '/ports/:id', (req) => {
    const a = auth(req);
    const p = state.ports.get(req.params['id']);
    if (!p || !sees(a, p)) throw neutronError(404, 'PortNotFound', `Port ${req.params['id']} could not be found.`);
    const b = body(req, 'port');
    if (typeof b['name'] === 'string') p.name = b['name'];
    if (typeof b['description'] === 'string') p.description = b['description'];
    if (Array.isArray(b['security_groups'])) p.securityGroups = b['security_groups'] as string[];
    if (typeof b['admin_state_up'] === 'boolean') p.adminStateUp = b['admin_state_up'];
    p.updatedAt = now();
    p.revision++;
    return json(200, { port: renderPort(p) });
  });
  r.on('DELETE', '/ports/:id', (req) => {
    const a = auth(req);
    const p = state.ports.get(req.params['id']);
    if (!p || !sees(a, p)) throw neutronError(404, 'PortNotFound', `Port ${req.params['id']} could not be found.`);
    if (p.deviceOwner === 'network:router_interface' || p.deviceOwner === 'network:router_gateway' || p.deviceOwner === 'network:floatingip') {
      throw neutronError(409, 'L3PortInUse', `Port ${p.id} cannot be deleted directly via the port API: has device owner ${p.deviceOwner}.`);
    }
    deletePort(ctx, p.id);
    for (const server of state.servers.values()) server.portIds = server.portIds.filter((id) => id !== p.id);
    return json(204);
  });

  // ---- routers
  r.on('GET', '/routers', (req) => {
    const a = auth(req);
    return filterList('routers', [...state.routers.values()].filter((x) => sees(a, x)).map((x) => renderRouter(ctx, x)), req.query);
  });
  r.on('GET', '/routers/:id', (req) => json(200, { router: renderRouter(ctx, router(auth(req), req.params['id'])) }));
  r.on('POST', '/routers', (req) => {
    const a = auth(req);
    const b = body(req, 'router');
    const projectId = projectOf(a, b);
    checkQuota(a, 'router', state.count(state.routers, projectId));
    const t = now();
    const x: RouterRow = { id: uuid(), name: str(b, 'name') ?? '', projectId, adminStateUp: b['admin_state_up'] !== false, description: str(b, 'description') ?? '', gateway: null, createdAt: t, updatedAt: t, revision: 1 };
    setGateway(x, obj(b, 'external_gateway_info'));
    state.routers.set(x.id, x);
    return json(201, { router: renderRouter(ctx, x) });
  });
  r.on('PUT', '/routers/:id', (req) => {
    const a = auth(req);
    const x = router(a, req.params['id']);
    const b = body(req, 'router');
    if (typeof b['name'] === 'string') x.name = b['name'];
    if ('external_gateway_info' in b) setGateway(x, b['external_gateway_info'] as Record<string, unknown> | null);
    x.updatedAt = now();
    x.revision++;
    return json(200, { router: renderRouter(ctx, x) });
  });
  r.on('PUT', '/routers/:id/add_router_interface', (req) => {
    const a = auth(req);
    const x = router(a, req.params['id']);
    const b = (req.body ?? {}) as Record<string, unknown>;
    let portId: string;
    let subnetId: string;
    if (typeof b['port_id'] === 'string') {
      const p = state.ports.get(b['port_id']);
      if (!p || !sees(a, p)) throw neutronError(404, 'PortNotFound', `Port ${String(b['port_id'])} could not be found.`);
      if (p.deviceId) throw neutronError(409, 'PortInUse', `Unable to complete operation on port ${p.id} for network ${p.networkId}. Port already has an attached device ${p.deviceId}.`);
      Object.assign(p, { deviceId: x.id, deviceOwner: 'network:router_interface', status: 'ACTIVE' });
      portId = p.id;
      subnetId = p.fixedIps[0]?.subnet_id ?? '';
    } else {
      const s = subnet(a, str(b, 'subnet_id') ?? '');
      if (!s.gatewayIp) throw neutronError(400, 'BadRequest', 'Bad router request: Subnet for router interface must have a gateway IP.');
      const already = [...state.ports.values()].find((p) => p.deviceId === x.id && p.fixedIps.some((ip) => ip.subnet_id === s.id));
      if (already) throw neutronError(400, 'BadRequest', `Bad router request: Router already has a port on subnet ${s.id}.`);
      const p = createPort(ctx, { networkId: s.networkId, projectId: x.projectId, deviceId: x.id, deviceOwner: 'network:router_interface', fixedIps: [{ subnet_id: s.id, ip_address: s.gatewayIp }] });
      p.status = 'ACTIVE';
      portId = p.id;
      subnetId = s.id;
    }
    x.revision++;
    const port = state.ports.get(portId)!;
    return json(200, { network_id: port.networkId, tenant_id: x.projectId, subnet_id: subnetId, subnet_ids: [subnetId], port_id: portId, id: x.id });
  });
  r.on('PUT', '/routers/:id/remove_router_interface', (req) => {
    const a = auth(req);
    const x = router(a, req.params['id']);
    const b = (req.body ?? {}) as Record<string, unknown>;
    const subnetId = str(b, 'subnet_id');
    const port = [...state.ports.values()].find(
      (p) => p.deviceId === x.id && p.deviceOwner === 'network:router_interface' && (subnetId ? p.fixedIps.some((ip) => ip.subnet_id === subnetId) : p.id === b['port_id']),
    );
    if (!port) {
      if (subnetId) throw neutronError(404, 'RouterInterfaceNotFoundForSubnet', `Router ${x.id} has no interface on subnet ${subnetId}`);
      throw neutronError(404, 'RouterInterfaceNotFound', `Router ${x.id} does not have an interface with id ${String(b['port_id'])}`);
    }
    deletePort(ctx, port.id);
    x.revision++;
    const sid = port.fixedIps[0]?.subnet_id ?? '';
    return json(200, { network_id: port.networkId, tenant_id: x.projectId, subnet_id: sid, subnet_ids: [sid], port_id: port.id, id: x.id });
  });
  r.on('DELETE', '/routers/:id', (req) => {
    const a = auth(req);
    const x = router(a, req.params['id']);
    const attached = [...state.ports.values()].filter((p) => p.deviceId === x.id && p.deviceOwner === 'network:router_interface').map((p) => p.id);
    if (attached.length > 0) throw neutronError(409, 'RouterInUse', `Router ${x.id} has ports still attached: ${attached.join(', ')}`);
    if (x.gateway) deletePort(ctx, x.gateway.portId);
    state.routers.delete(x.id);
    return json(204);
  });

  // ---- security groups and rules
  r.on('GET', '/security-groups', (req) => {
    const a = auth(req);
    return filterList('security_groups', [...state.securityGroups.values()].filter((g) => sees(a, g)).map((g) => renderSecurityGroup(ctx, g)), req.query);
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
    return filterList('security_group_rules', [...state.securityGroupRules.values()].filter((x) => sees(a, x)).map((x) => renderRule(x)), req.query);
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

  // ---- floating IPs
  r.on('GET', '/floatingips', (req) => {
    const a = auth(req);
    return filterList('floatingips', [...state.floatingIps.values()].filter((f) => sees(a, f)).map((f) => renderFloatingIp(ctx, f)), req.query);
  });
  r.on('GET', '/floatingips/:id', (req) => json(200, { floatingip: renderFloatingIp(ctx, fip(auth(req), req.params['id'])) }));
  r.on('POST', '/floatingips', (req) => {
    const a = auth(req);
    const b = body(req, 'floatingip');
    const networkId = str(b, 'floating_network_id') ?? '';
    const ext = state.networks.get(networkId);
    if (!ext) throw neutronError(404, 'NetworkNotFound', `Network ${networkId} could not be found.`);
    if (!ext.external) throw neutronError(400, 'BadRequest', `Bad floatingip request: Network ${networkId} is not a valid external network.`);
    const projectId = projectOf(a, b);
    checkQuota(a, 'floatingip', state.count(state.floatingIps, projectId));
    const extSubnet = [...state.subnets.values()].find((s) => s.networkId === networkId && s.ipVersion === 4);
    const wanted = str(b, 'floating_ip_address');
    const holder = createPort(ctx, {
      networkId,
      projectId: '',
      deviceOwner: 'network:floatingip',
      fixedIps: extSubnet ? [wanted ? { subnet_id: extSubnet.id, ip_address: wanted } : { subnet_id: extSubnet.id }] : undefined,
    });
    const address = holder.fixedIps[0]?.ip_address;
    if (!address) {
      deletePort(ctx, holder.id);
      throw neutronError(409, 'IpAddressGenerationFailure', `No more IP addresses available on network ${networkId}.`);
    }
    const t = now();
    const f: SimFloatingIp = { id: uuid(), address, networkId, projectId, portId: null, fixedIp: null, routerId: null, description: str(b, 'description') ?? '', holderPortId: holder.id, createdAt: t, updatedAt: t, revision: 0 };
    holder.deviceId = f.id;
    const portId = str(b, 'port_id');
    try {
      if (portId) associate(a, f, portId, str(b, 'fixed_ip_address'));
    } catch (error) {
      deletePort(ctx, holder.id);
      throw error;
    }
    state.floatingIps.set(f.id, f);
    return json(201, { floatingip: renderFloatingIp(ctx, f) });
  });
  r.on('PUT', '/floatingips/:id', (req) => {
    const a = auth(req);
    const f = fip(a, req.params['id']);
    const b = body(req, 'floatingip');
    if ('port_id' in b) associate(a, f, (b['port_id'] as string | null) ?? null, str(b, 'fixed_ip_address'));
    if (typeof b['description'] === 'string') f.description = b['description'];
    f.updatedAt = now();
    f.revision++;
    return json(200, { floatingip: renderFloatingIp(ctx, f) });
  });
  r.on('DELETE', '/floatingips/:id', (req) => {
    const f = fip(auth(req), req.params['id']);
    deletePort(ctx, f.holderPortId);
    state.floatingIps.delete(f.id);
    return json(204);
  });

  // ---- quotas
  r.on('GET', '/quotas/:project', (req) => {
    ctx.authenticate(req);
    const q = state.quota(req.params['project']);
    return json(200, {
      quota: { network: q.network, subnet: q.subnet, subnetpool: -1, port: q.port, router: q.router, floatingip: q.floatingip, rbac_policy: 10, security_group: q.security_group, security_group_rule: q.security_group_rule },
    });
  });
  return r;
}

type Extension = [alias: string, name: string];
const EXTENSIONS: Extension[] = [
  ['external-net', 'Neutron external network'],
  ['router', 'Neutron L3 Router'],
  ['ext-gw-mode', 'Neutron L3 Configurable external gateway mode'],
  ['extraroute', 'Neutron Extra Route'],
  ['security-group', 'security-group'],
  ['binding', 'Port Binding'],
  ['agent', 'agent'],
  ['quotas', 'Quota management support'],
  ['provider', 'Provider Network'],
  ['standard-attr-description', 'standard-attr-description'],
  ['standard-attr-revisions', 'Resource revision numbers'],
  ['standard-attr-timestamp', 'Resource timestamps'],
  ['standard-attr-tag', 'Tag support for resources with standard attribute: port, subnet, subnetpool, network, security_group, router, floatingip, policy, trunk, network_segment_range'],
  ['port-security', 'Port Security'],
  ['allowed-address-pairs', 'Allowed Address Pairs'],
  ['extra_dhcp_opt', 'Neutron Extra DHCP options'],
  ['net-mtu', 'Network MTU'],
  ['fip-port-details', 'Floating IP Port Details Extension'],
  ['stateful-security-group', 'Stateful security group'],
  ['project-id', 'project_id field enabled'],
];

function extensionJson([alias, name]: Extension): Record<string, unknown> {
  return { name, alias, description: name, updated: '2022-01-01T10:00:00-00:00', links: [] };
}
