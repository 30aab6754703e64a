// Neutron (network /v2.0): networks, subnets, routers, ports, security groups, floating IPs.
// Creates are made safe to retry by looking up a unique name (and description tag) first.
import { createOnce } from './create-once';
import { OpenStackNameLookupError } from './errors';
import type { FloatingIp, Network, Port, Router, SecurityGroup, SecurityGroupRule, SecurityGroupRuleSpec, Subnet, SubnetSpec } from './network.types';
import type { CallOptions, OpenStackSession } from './openstack.session';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import { orGone } from './wait-for';

type Query = Record<string, string | number | boolean | undefined | readonly string[]>;

export class NetworkClient {
  constructor(private readonly session: OpenStackSession) {}

  // ---- networks
  listNetworks(query: Query = {}, options: CallOptions = {}): Promise<Network[]> {
    return this.list<Network>('networks', query, options);
  }
  getNetwork(id: string, options: CallOptions = {}): Promise<Network> {
    return this.get<Network>('networks', 'network', id, options);
  }
  /** A network by id or unique name (external networks included). */
  async findNetwork(nameOrId: string, options: CallOptions = {}): Promise<Network> {
    return this.findOne('network', nameOrId, (q) => this.listNetworks(q, options));
  }
  /** Creates a network unless one with this name (and description, when given) exists. */
  createNetwork(spec: { name: string; description?: string; adminStateUp?: boolean }, options: CallOptions = {}): Promise<Network> {
    return this.createTagged('networks', 'network', { name: spec.name, description: spec.description, admin_state_up: spec.adminStateUp ?? true }, options);
  }
  deleteNetwork(id: string, options: CallOptions = {}): Promise<void> {
    return this.remove('networks', id, options);
  }

  // ---- subnets
  listSubnets(query: Query = {}, options: CallOptions = {}): Promise<Subnet[]> {
    return this.list<Subnet>('subnets', query, options);
  }
  createSubnet(spec: SubnetSpec, options: CallOptions = {}): Promise<Subnet> {
    const body: Record<string, unknown> = { name: spec.name, network_id: spec.networkId, cidr: spec.cidr, ip_version: spec.ipVersion ?? 4 };
    if (spec.gatewayIp !== undefined) body['gateway_ip'] = spec.gatewayIp;
    if (spec.enableDhcp !== undefined) body['enable_dhcp'] = spec.enableDhcp;
    if (spec.dnsNameservers) body['dns_nameservers'] = spec.dnsNameservers;
    return this.createTagged('subnets', 'subnet', body, options, { network_id: spec.networkId });
  }
  deleteSubnet(id: string, options: CallOptions = {}): Promise<void> {
    return this.remove('subnets', id, options);
  }

  // ---- routers
  listRouters(query: Query = {}, options: CallOptions = {}): Promise<Router[]> {
    return this.list<Router>('routers', query, options);
  }
  getRouter(id: string, options: CallOptions = {}): Promise<Router> {
    return this.get<Router>('routers', 'router', id, options);
  }
  createRouter(spec: { name: string; externalNetworkId?: string; description?: string }, options: CallOptions = {}): Promise<Router> {
    const body: Record<string, unknown> = { name: spec.name, description: spec.description };
    if (spec.externalNetworkId) body['external_gateway_info'] = { network_id: spec.externalNetworkId };
    return this.createTagged('routers', 'router', body, options);
  }
  /** Sets (or, with null, clears) the router's external gateway. */
  async setRouterGateway(routerId: string, externalNetworkId: string | null, options: CallOptions = {}): Promise<Router> {
    const gateway = externalNetworkId === null ? {} : { network_id: externalNetworkId };
    return (await this.session.request<{ router: Router }>('network', 'PUT', `/routers/${enc(routerId)}`, { ...options, body: { router: { external_gateway_info: gateway } } })).body.router;
  }
  /** Adds a subnet to the router; a subnet already attached counts as done. */
  async addRouterInterface(routerId: string, subnetId: string, options: CallOptions = {}): Promise<{ port_id: string; subnet_id: string }> {
    const ports = await this.listPorts({ device_id: routerId }, options);
    const existing = ports.find((p) => p.fixed_ips.some((ip) => ip.subnet_id === subnetId));
    if (existing) return { port_id: existing.id, subnet_id: subnetId };
    return (await this.session.request<{ port_id: string; subnet_id: string }>('network', 'PUT', `/routers/${enc(routerId)}/add_router_interface`, {
      ...options,
      body: { subnet_id: subnetId },
      idempotent: false,
    })).body;
  }
  /** Removes a subnet from the router; not attached (404) counts as done. */
  async removeRouterInterface(routerId: string, subnetId: string, options: CallOptions = {}): Promise<void> {
    await orGone(this.session.request('network', 'PUT', `/routers/${enc(routerId)}/remove_router_interface`, { ...options, body: { subnet_id: subnetId } }));
  }
  deleteRouter(id: string, options: CallOptions = {}): Promise<void> {
    return this.remove('routers', id, options);
  }

  // ---- ports
  listPorts(query: Query = {}, options: CallOptions = {}): Promise<Port[]> {
    return this.list<Port>('ports', query, options);
  }
  createPort(spec: { name: string; networkId: string; securityGroupIds?: string[]; fixedIps?: { subnet_id?: string; ip_address?: string }[] }, options: CallOptions = {}): Promise<Port> {
    const body: Record<string, unknown> = { name: spec.name, network_id: spec.networkId };
    if (spec.securityGroupIds) body['security_groups'] = spec.securityGroupIds;
    if (spec.fixedIps) body['fixed_ips'] = spec.fixedIps;
    return this.createTagged('ports', 'port', body, options, { network_id: spec.networkId });
  }
  deletePort(id: string, options: CallOptions = {}): Promise<void> {
    return this.remove('ports', id, options);
  }

  // ---- security groups
  listSecurityGroups(query: Query = {}, options: CallOptions = {}): Promise<SecurityGroup[]> {
    return this.list<SecurityGroup>('security-groups', query, options);
  }
  createSecurityGroup(spec: { name: string; description?: string }, options: CallOptions = {}): Promise<SecurityGroup> {
    return this.createTagged('security-groups', 'security_group', { name: spec.name, description: spec.description ?? '' }, options);
  }
  deleteSecurityGroup(id: string, options: CallOptions = {}): Promise<void> {
    return this.remove('security-groups', id, options);
  }
  /** Creates a rule; an identical existing rule (Neutron's 409 SecurityGroupRuleExists) is returned instead. */
  async createSecurityGroupRule(spec: SecurityGroupRuleSpec, options: CallOptions = {}): Promise<SecurityGroupRule> {
    const rule = {
      security_group_id: spec.securityGroupId,
      direction: spec.direction,
      ethertype: spec.ethertype ?? 'IPv4',
      protocol: spec.protocol ?? null,
      port_range_min: spec.portRangeMin ?? null,
      port_range_max: spec.portRangeMax ?? null,
      remote_ip_prefix: spec.remoteIpPrefix ?? null,
      remote_group_id: spec.remoteGroupId ?? null,
    };
    const same = (r: SecurityGroupRule): boolean =>
      r.direction === rule.direction &&
      r.ethertype === rule.ethertype &&
      (r.protocol ?? null) === rule.protocol &&
      (r.port_range_min ?? null) === rule.port_range_min &&
      (r.port_range_max ?? null) === rule.port_range_max &&
      (r.remote_ip_prefix ?? null) === rule.remote_ip_prefix &&
      (r.remote_group_id ?? null) === rule.remote_group_id;
    return createOnce({
      what: 'network create security group rule',
      policy: { ...DEFAULT_RETRY_POLICY, ...this.session.options.retry },
      signal: options.signal,
      random: this.session.options.random,
      find: async () => (await this.list<SecurityGroupRule>('security-group-rules', { security_group_id: spec.securityGroupId }, options)).find(same),
      create: async () =>
        (await this.session.request<{ security_group_rule: SecurityGroupRule }>('network', 'POST', '/security-group-rules', { ...options, body: { security_group_rule: rule } })).body
          .security_group_rule,
    });
  }
  deleteSecurityGroupRule(id: string, options: CallOptions = {}): Promise<void> {
    return this.remove('security-group-rules', id, options);
  }

  // ---- floating IPs
  listFloatingIps(query: Query = {}, options: CallOptions = {}): Promise<FloatingIp[]> {
    return this.list<FloatingIp>('floatingips', query, options);
  }
  /**
   * Allocates a floating IP from an external network (by name or id). With a `description` tag,
   * an existing floating IP carrying it is returned instead, so a retry never allocates twice.
   */
  async allocateFloatingIp(spec: { network: string; description?: string; portId?: string }, options: CallOptions = {}): Promise<FloatingIp> {
    const network = await this.findNetwork(spec.network, options);
    const body: Record<string, unknown> = { floating_network_id: network.id };
    if (spec.description) body['description'] = spec.description;
    if (spec.portId) body['port_id'] = spec.portId;
    const post = async (): Promise<FloatingIp> =>
      (await this.session.request<{ floatingip: FloatingIp }>('network', 'POST', '/floatingips', { ...options, body: { floatingip: body } })).body.floatingip;
    if (!spec.description) return post();
    return createOnce({
      what: 'network allocate floating ip',
      policy: { ...DEFAULT_RETRY_POLICY, ...this.session.options.retry },
      signal: options.signal,
      random: this.session.options.random,
      find: async () => (await this.listFloatingIps({ floating_network_id: network.id, description: spec.description }, options))[0],
      create: post,
    });
  }
  /** Associates (or with null, disassociates) a floating IP to a port. Repeating is harmless. */
  async associateFloatingIp(floatingIpId: string, portId: string | null, options: CallOptions = {}): Promise<FloatingIp> {
    return (await this.session.request<{ floatingip: FloatingIp }>('network', 'PUT', `/floatingips/${enc(floatingIpId)}`, { ...options, body: { floatingip: { port_id: portId } } })).body.floatingip;
  }
  releaseFloatingIp(id: string, options: CallOptions = {}): Promise<void> {
    return this.remove('floatingips', id, options);
  }

  // ---- generic helpers
  private async list<T>(plural: string, query: Query, options: CallOptions): Promise<T[]> {
    const key = plural.replace(/-/g, '_');
    return (await this.session.request<Record<string, T[]>>('network', 'GET', `/${plural}`, { ...options, query })).body[key];
  }

  private async get<T>(plural: string, singular: string, id: string, options: CallOptions): Promise<T> {
    return (await this.session.request<Record<string, T>>('network', 'GET', `/${plural}/${enc(id)}`, options)).body[singular];
  }

  private async remove(plural: string, id: string, options: CallOptions): Promise<void> {
    await orGone(this.session.request('network', 'DELETE', `/${plural}/${enc(id)}`, options));
  }

  private async findOne<T extends { id: string; name: string }>(kind: string, nameOrId: string, list: (q: Query) => Promise<T[]>): Promise<T> {
    const byId = await list({ id: nameOrId });
    if (byId.length === 1) return byId[0];
    const byName = await list({ name: nameOrId });
    if (byName.length !== 1) throw new OpenStackNameLookupError(kind, nameOrId, byName.length);
    return byName[0];
  }

  private createTagged<T extends { name: string }>(plural: string, singular: string, body: Record<string, unknown>, options: CallOptions, scope: Query = {}): Promise<T> {
    const clean = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    const query: Query = { ...scope, name: String(body['name']) };
    if (typeof body['description'] === 'string' && body['description'] !== '') query['description'] = body['description'];
    return createOnce({
      what: `network create ${singular} ${String(body['name'])}`,
      policy: { ...DEFAULT_RETRY_POLICY, ...this.session.options.retry },
      signal: options.signal,
      random: this.session.options.random,
      find: async () => {
        const found = await this.list<T>(plural, query, options);
        if (found.length > 1) throw new OpenStackNameLookupError(singular.replace(/_/g, ' '), String(body['name']), found.length);
        return found[0];
      },
      create: async () => (await this.session.request<Record<string, T>>('network', 'POST', `/${plural}`, { ...options, body: { [singular]: clean } })).body[singular],
    });
  }
}

function enc(id: string): string {
  return encodeURIComponent(id);
}
