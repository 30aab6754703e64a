// Neutron's JSON for each resource, as Neutron 21 (Zed) with ML2/OVS renders it.
import type { SimContext } from './sim-context';
import { nowIso } from './sim-http';
import type { SimFloatingIp, SimNetwork, SimPort, SimRouter, SimSecurityGroup, SimSecurityGroupRule, SimSubnet } from './sim-state';

const t = nowIso;

export function renderNetwork(ctx: SimContext, n: SimNetwork): Record<string, unknown> {
  return {
    id: n.id,
    name: n.name,
    tenant_id: n.projectId,
    admin_state_up: n.adminStateUp,
    mtu: n.mtu,
    status: 'ACTIVE',
    subnets: [...ctx.state.subnets.values()].filter((s) => s.networkId === n.id).map((s) => s.id),
    shared: n.shared,
    availability_zone_hints: [],
    availability_zones: [],
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    'router:external': n.external,
    description: n.description,
    port_security_enabled: true,
    is_default: false,
    tags: n.tags,
    created_at: t(n.createdAt),
    updated_at: t(n.updatedAt),
    revision_number: n.revision,
    project_id: n.projectId,
    'provider:network_type': n.external ? 'flat' : 'vxlan',
    'provider:physical_network': n.external ? 'physnet1' : null,
    'provider:segmentation_id': n.external ? null : n.segmentationId,
  };
}

export function renderSubnet(s: SimSubnet): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    tenant_id: s.projectId,
    network_id: s.networkId,
    ip_version: s.ipVersion,
    subnetpool_id: null,
    enable_dhcp: s.enableDhcp,
    ipv6_ra_mode: null,
    ipv6_address_mode: null,
    gateway_ip: s.gatewayIp,
    cidr: s.cidr,
    allocation_pools: s.pools,
    host_routes: [],
    dns_nameservers: s.dnsNameservers,
    description: s.description,
    service_types: [],
    tags: [],
    created_at: t(s.createdAt),
    updated_at: t(s.updatedAt),
    revision_number: s.revision,
    project_id: s.projectId,
  };
}

export function renderPort(p: SimPort): Record<string, unknown> {
  const bound = p.hostId !== '';
  return {
    id: p.id,
    name: p.name,
    network_id: p.networkId,
    tenant_id: p.projectId,
    mac_address: p.macAddress,
    admin_state_up: p.adminStateUp,
    status: p.status,
    device_id: p.deviceId,
    device_owner: p.deviceOwner,
    fixed_ips: p.fixedIps,
    allowed_address_pairs: [],
    extra_dhcp_opts: [],
    security_groups: p.securityGroups,
    description: p.description,
    'binding:vnic_type': 'normal',
    'binding:profile': {},
    'binding:host_id': p.hostId,
    'binding:vif_type': bound ? 'ovs' : 'unbound',
    'binding:vif_details': bound
      ? { connectivity: 'l2', port_filter: true, ovs_hybrid_plug: false, datapath_type: 'system', bridge_name: 'br-int', bound_drivers: { '0': 'openvswitch' } }
      : {},
    port_security_enabled: true,
    tags: [],
    created_at: t(p.createdAt),
    updated_at: t(p.updatedAt),
    revision_number: p.revision,
    project_id: p.projectId,
  };
}

export function renderRouter(ctx: SimContext, r: SimRouter): Record<string, unknown> {
  let gateway: Record<string, unknown> | null = null;
  if (r.gateway) {
    const port = ctx.state.ports.get(r.gateway.portId);
    gateway = { network_id: r.gateway.networkId, external_fixed_ips: port?.fixedIps ?? [], enable_snat: r.gateway.enableSnat };
  }
  return {
    id: r.id,
    name: r.name,
    tenant_id: r.projectId,
    admin_state_up: r.adminStateUp,
    status: 'ACTIVE',
    external_gateway_info: gateway,
    distributed: false,
    ha: false,
    description: r.description,
    availability_zones: [],
    availability_zone_hints: [],
    routes: [],
    flavor_id: null,
    tags: [],
    created_at: t(r.createdAt),
    updated_at: t(r.updatedAt),
    revision_number: r.revision,
    project_id: r.projectId,
  };
}

/** A rule as its own resource; `embedded` is the form inside a security group, which has two more members. */
export function renderRule(r: SimSecurityGroupRule, embedded = false): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: r.id,
    tenant_id: r.projectId,
    security_group_id: r.securityGroupId,
    ethertype: r.ethertype,
    direction: r.direction,
    protocol: r.protocol,
    port_range_min: r.portRangeMin,
    port_range_max: r.portRangeMax,
    remote_ip_prefix: r.remoteIpPrefix,
    remote_address_group_id: null,
    normalized_cidr: r.remoteIpPrefix,
    remote_group_id: r.remoteGroupId,
    description: r.description,
    created_at: t(r.createdAt),
    updated_at: t(r.updatedAt),
    revision_number: r.revision,
    project_id: r.projectId,
  };
  if (embedded) Object.assign(out, { standard_attr_id: 1, tags: [] });
  return out;
}

export function renderSecurityGroup(ctx: SimContext, g: SimSecurityGroup): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    tenant_id: g.projectId,
    description: g.description,
    stateful: g.stateful,
    shared: false,
    security_group_rules: [...ctx.state.securityGroupRules.values()].filter((r) => r.securityGroupId === g.id).map((r) => renderRule(r, true)),
    tags: [],
    created_at: t(g.createdAt),
    updated_at: t(g.updatedAt),
    revision_number: g.revision,
    project_id: g.projectId,
  };
}

export function renderFloatingIp(ctx: SimContext, f: SimFloatingIp): Record<string, unknown> {
  const port = f.portId ? ctx.state.ports.get(f.portId) : undefined;
  return {
    id: f.id,
    tenant_id: f.projectId,
    floating_ip_address: f.address,
    floating_network_id: f.networkId,
    router_id: f.routerId,
    port_id: f.portId,
    fixed_ip_address: f.fixedIp,
    // No L3 agent on the real control plane either: floating IPs stay DOWN there.
    status: 'DOWN',
    description: f.description,
    port_details: port
      ? { name: port.name, network_id: port.networkId, mac_address: port.macAddress, admin_state_up: port.adminStateUp, status: port.status, device_id: port.deviceId, device_owner: port.deviceOwner }
      : null,
    tags: [],
    created_at: t(f.createdAt),
    updated_at: t(f.updatedAt),
    revision_number: f.revision,
    project_id: f.projectId,
  };
}
