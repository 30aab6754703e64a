// Neutron (network /v2.0) of the simulator: extensions, networks, subnets, ports and quotas, with
// Neutron's filters, conflicts and error types. Routers and floating IPs: neutron-l3.routes.ts;
// security groups: neutron-security.routes.ts.
import { createPort, deletePort, neutronError } from './neutron-ops';
import { renderNetwork, renderPort, renderSubnet } from './neutron-render';
import { filterList, neutronAccess } from './neutron-access';
import type { SimContext } from './sim-context';
import { json, SimRouter, str } from './sim-http';
import { defaultsFor, inCidr, normaliseCidr } from './sim-ipam';
import type { SimNetwork, SimSubnet } from './sim-state';
import { uuid } from './sim-state';

export function neutronRoutes(ctx: SimContext): SimRouter {
  const { state, now, auth, sees, checkQuota, body, projectOf, network, subnet } = neutronAccess(ctx);
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
    return filterList('networks', [...state.networks.values()].filter((n) => sees(a, n, n.shared || n.external)).map((n) => renderNetwork(ctx, n)), req);
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
    return filterList('subnets', list.map(renderSubnet), req);
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
    return filterList('ports', [...state.ports.values()].filter((p) => sees(a, p)).map(renderPort), req);
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

