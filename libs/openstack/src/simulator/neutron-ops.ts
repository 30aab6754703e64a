// Neutron operations shared by the Neutron routes and by Nova (which makes and removes the ports
// of its servers through Neutron, as the real services do).
import type { SimContext } from './sim-context';
import { SimHttpError } from './sim-http';
import { inCidr, nextFree } from './sim-ipam';
import { macAddress, type SimPort, type SimSecurityGroup, type SimSecurityGroupRule, uuid } from './sim-state';

export function neutronError(status: number, type: string, message: string): SimHttpError {
  return new SimHttpError(status, message, type);
}

/** Real Neutron makes a project's `default` security group on its first use of the API. */
export function ensureDefaultSecurityGroup(ctx: SimContext, projectId: string): SimSecurityGroup {
  for (const sg of ctx.state.securityGroups.values()) if (sg.projectId === projectId && sg.name === 'default') return sg;
  const now = Date.now();
  const sg: SimSecurityGroup = { id: uuid(), name: 'default', projectId, description: 'Default security group', stateful: true, createdAt: now, updatedAt: now, revision: 1 };
  ctx.state.securityGroups.set(sg.id, sg);
  for (const ethertype of ['IPv4', 'IPv6'] as const) {
    addRule(ctx, { securityGroupId: sg.id, projectId, direction: 'ingress', ethertype, remoteGroupId: sg.id });
    addRule(ctx, { securityGroupId: sg.id, projectId, direction: 'egress', ethertype });
  }
  return sg;
}

export function addRule(
  ctx: SimContext,
  r: Partial<SimSecurityGroupRule> & Pick<SimSecurityGroupRule, 'securityGroupId' | 'projectId' | 'direction' | 'ethertype'>,
): SimSecurityGroupRule {
  const now = Date.now();
  const rule: SimSecurityGroupRule = {
    id: uuid(),
    protocol: null,
    portRangeMin: null,
    portRangeMax: null,
    remoteIpPrefix: null,
    remoteGroupId: null,
    description: '',
    createdAt: now,
    updatedAt: now,
    revision: 0,
    ...r,
  };
  ctx.state.securityGroupRules.set(rule.id, rule);
  return rule;
}

function usedIps(ctx: SimContext, subnetId: string): Set<string> {
  const used = new Set<string>();
  for (const port of ctx.state.ports.values()) for (const ip of port.fixedIps) if (ip.subnet_id === subnetId) used.add(ip.ip_address);
  return used;
}

/** Picks addresses for a new port: the requested ones, or one from the network's first IPv4 subnet. */
function allocate(ctx: SimContext, networkId: string, requested?: { subnet_id?: string; ip_address?: string }[]): { subnet_id: string; ip_address: string }[] {
  const subnets = [...ctx.state.subnets.values()].filter((s) => s.networkId === networkId);
  if (!requested || requested.length === 0) {
    const subnet = subnets.find((s) => s.ipVersion === 4);
    if (!subnet) return [];
    const ip = nextFree(subnet.pools, usedIps(ctx, subnet.id));
    if (!ip) throw neutronError(409, 'IpAddressGenerationFailure', `No more IP addresses available on network ${networkId}.`);
    return [{ subnet_id: subnet.id, ip_address: ip }];
  }
  return requested.map((want) => {
    const subnet = want.subnet_id
      ? subnets.find((s) => s.id === want.subnet_id)
      : subnets.find((s) => want.ip_address !== undefined && inCidr(want.ip_address, s.cidr));
    if (!subnet) {
      if (want.subnet_id) throw neutronError(404, 'SubnetNotFound', `Subnet ${want.subnet_id} could not be found.`);
      throw neutronError(400, 'InvalidIpForNetwork', `IP address ${want.ip_address} is not a valid IP for any of the subnets on the specified network.`);
    }
    const used = usedIps(ctx, subnet.id);
    if (want.ip_address) {
      if (used.has(want.ip_address)) throw neutronError(409, 'IpAddressAlreadyAllocated', `IP address ${want.ip_address} already allocated in subnet ${subnet.id}`);
      return { subnet_id: subnet.id, ip_address: want.ip_address };
    }
    const ip = nextFree(subnet.pools, used);
    if (!ip) throw neutronError(409, 'IpAddressGenerationFailure', `No more IP addresses available on network ${networkId}.`);
    return { subnet_id: subnet.id, ip_address: ip };
  });
}

export interface PortSpec {
  networkId: string;
  projectId: string;
  name?: string;
  deviceId?: string;
  deviceOwner?: string;
  securityGroups?: string[];
  fixedIps?: { subnet_id?: string; ip_address?: string }[];
  description?: string;
  adminStateUp?: boolean;
  macAddress?: string;
}

export function createPort(ctx: SimContext, spec: PortSpec): SimPort {
  const network = ctx.state.networks.get(spec.networkId);
  if (!network) throw neutronError(404, 'NetworkNotFound', `Network ${spec.networkId} could not be found.`);
  const quota = ctx.state.quota(spec.projectId).port;
  if (quota >= 0 && !spec.deviceOwner?.startsWith('network:') && ctx.state.count(ctx.state.ports, spec.projectId) >= quota) {
    throw neutronError(409, 'OverQuota', "Quota exceeded for resources: ['port'].");
  }
  const owner = spec.deviceOwner ?? '';
  const securityGroups = owner.startsWith('network:') ? [] : (spec.securityGroups ?? [ensureDefaultSecurityGroup(ctx, spec.projectId).id]);
  const now = Date.now();
  const port: SimPort = {
    id: uuid(),
    name: spec.name ?? '',
    networkId: spec.networkId,
    projectId: spec.projectId,
    macAddress: spec.macAddress ?? macAddress(),
    fixedIps: allocate(ctx, spec.networkId, spec.fixedIps),
    deviceId: spec.deviceId ?? '',
    deviceOwner: owner,
    securityGroups,
    adminStateUp: spec.adminStateUp ?? true,
    status: 'DOWN',
    description: spec.description ?? '',
    hostId: '',
    createdAt: now,
    updatedAt: now,
    revision: 1,
  };
  ctx.state.ports.set(port.id, port);
  return port;
}

/** Deletes a port and disassociates floating IPs that pointed at it (Neutron does the same). */
export function deletePort(ctx: SimContext, portId: string): void {
  ctx.state.ports.delete(portId);
  for (const fip of ctx.state.floatingIps.values()) {
    if (fip.portId === portId) {
      fip.portId = null;
      fip.fixedIp = null;
      fip.routerId = null;
      fip.updatedAt = Date.now();
      fip.revision++;
    }
  }
}

/** The router that connects a port's subnet to an external network, if any (for floating IPs). */
export function routerFor(ctx: SimContext, port: SimPort, externalNetworkId: string): string | undefined {
  const subnetIds = new Set(port.fixedIps.map((ip) => ip.subnet_id));
  for (const router of ctx.state.routers.values()) {
    if (router.gateway?.networkId !== externalNetworkId) continue;
    for (const p of ctx.state.ports.values()) {
      if (p.deviceId === router.id && p.deviceOwner === 'network:router_interface' && p.fixedIps.some((ip) => subnetIds.has(ip.subnet_id))) return router.id;
    }
  }
  return undefined;
}
