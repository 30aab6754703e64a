// Nova's server and flavor JSON as Zed renders it, member by member in the same order, with the
// members each microversion adds (samples/nova_get_server_v2.1.json and _2.latest.json).
import { createHash } from 'node:crypto';
import type { SimContext } from './sim-context';
import { nowIso, SimHttpError, type SimRequest } from './sim-http';
import type { SimFlavor, SimServer } from './sim-state';

const PROGRESS_STATUSES = new Set(['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING']);

export const MAX_MICROVERSION = 93;

/** The compute microversion the client asked for, as written (undefined: none). */
export function requestedMicroversion(req: SimRequest): string | undefined {
  const header = req.headers['openstack-api-version'];
  if (typeof header === 'string') {
    const m = /(?:^|,)\s*compute\s+([^,\s]+)/i.exec(header);
    if (m) return m[1];
  }
  const legacy = req.headers['x-openstack-nova-api-version'];
  return typeof legacy === 'string' ? legacy.trim() : undefined;
}

/** The request's compute microversion, as a minor number of 2.x (2.1 → 1). */
export function microversion(req: SimRequest): number {
  const header = req.headers['openstack-api-version'];
  let value: string | undefined;
  if (typeof header === 'string') {
    const m = /(?:^|,)\s*compute\s+([^,\s]+)/i.exec(header);
    value = m?.[1];
  }
  if (value === undefined) {
    const legacy = req.headers['x-openstack-nova-api-version'];
    value = typeof legacy === 'string' ? legacy.trim() : undefined;
  }
  if (value === undefined) return 1;
  if (value === 'latest') return MAX_MICROVERSION;
  const m = /^(\d+)\.(\d+)$/.exec(value);
  if (!m) throw new SimHttpError(400, `API Version String ${value} is of invalid format. Must be of format MajorNum.MinorNum.`, 'badRequest');
  const minor = Number(m[2]);
  if (m[1] !== '2' || minor < 1 || minor > MAX_MICROVERSION) {
    throw new SimHttpError(406, `Version ${value} is not supported by the API. Minimum is 2.1 and maximum is 2.${MAX_MICROVERSION}.`, 'computeFault');
  }
  return minor;
}

export function novaTime(ms: number): string {
  return nowIso(ms);
}

/** Nova's launched_at: whole seconds as stored, printed with microseconds, no zone (2026-11-23T14:49:06.000000). */
function usecTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.000000');
}

function links(origin: string, kind: string, id: string): { rel: string; href: string }[] {
  return [
    { rel: 'self', href: `${origin}/compute/v2.1/${kind}/${id}` },
    { rel: 'bookmark', href: `${origin}/compute/${kind}/${id}` },
  ];
}

export function serverLinks(origin: string, id: string): { rel: string; href: string }[] {
  return links(origin, 'servers', id);
}

/** Nova's `addresses`: per network name, fixed addresses then the floating ones on each port. */
export function addresses(ctx: SimContext, server: SimServer): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  if (server.taskState === 'scheduling' || server.status === 'ERROR') return out;
  for (const portId of server.portIds) {
    const port = ctx.state.ports.get(portId);
    if (!port) continue;
    const network = ctx.state.networks.get(port.networkId);
    const list = (out[network?.name ?? port.networkId] ??= []);
    for (const ip of port.fixedIps) {
      list.push({ version: ip.ip_address.includes(':') ? 6 : 4, addr: ip.ip_address, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': port.macAddress });
    }
    for (const fip of ctx.state.floatingIps.values()) {
      if (fip.portId === port.id) list.push({ version: 4, addr: fip.address, 'OS-EXT-IPS:type': 'floating', 'OS-EXT-IPS-MAC:mac_addr': port.macAddress });
    }
  }
  return out;
}

export function renderServer(ctx: SimContext, req: SimRequest, s: SimServer, mv: number, isAdmin: boolean): Record<string, unknown> {
  const origin = req.origin;
  const flavor = ctx.state.flavors.get(s.flavorId);
  const out: Record<string, unknown> = {
    id: s.id,
    name: s.name,
    status: s.status,
    tenant_id: s.projectId,
    user_id: s.userId,
    metadata: s.metadata,
    hostId: s.status === 'ACTIVE' || s.launchedAt ? createHash('sha224').update(s.projectId + 'ossim-host').digest('hex') : '',
    image: s.imageId ? { id: s.imageId, links: [{ rel: 'bookmark', href: `${origin}/compute/images/${s.imageId}` }] } : '',
    flavor:
      mv >= 47
        ? { vcpus: flavor?.vcpus ?? 0, ram: flavor?.ram ?? 0, disk: flavor?.disk ?? 0, ephemeral: flavor?.ephemeral ?? 0, swap: flavor?.swap ?? 0, original_name: flavor?.name ?? s.flavorId, extra_specs: flavor?.extraSpecs ?? {} }
        : { id: s.flavorId, links: [{ rel: 'bookmark', href: `${origin}/compute/flavors/${s.flavorId}` }] },
    created: novaTime(s.createdAt),
    updated: novaTime(s.updatedAt),
    addresses: addresses(ctx, s),
    accessIPv4: '',
    accessIPv6: '',
    links: serverLinks(origin, s.id),
    'OS-DCF:diskConfig': 'MANUAL',
  };
  // Nova's view shows progress only in these statuses (views/servers.py _progress_statuses).
  if (PROGRESS_STATUSES.has(s.status)) out['progress'] = 0;
  out['OS-EXT-AZ:availability_zone'] = s.launchedAt || s.status !== 'BUILD' ? s.availabilityZone : '';
  out['config_drive'] = '';
  out['key_name'] = s.keyName;
  out['OS-SRV-USG:launched_at'] = s.launchedAt ? usecTime(s.launchedAt) : null;
  out['OS-SRV-USG:terminated_at'] = null;
  if (s.status !== 'ERROR' && s.taskState !== 'scheduling') out['security_groups'] = s.securityGroups.map((name) => ({ name }));
  if (isAdmin) {
    const placed = s.taskState !== 'scheduling' && s.status !== 'ERROR';
    out['OS-EXT-SRV-ATTR:host'] = placed ? 'ossim-host' : null;
    out['OS-EXT-SRV-ATTR:instance_name'] = s.instanceName;
    out['OS-EXT-SRV-ATTR:hypervisor_hostname'] = placed ? 'ossim-host' : null;
    if (mv >= 3) {
      out['OS-EXT-SRV-ATTR:reservation_id'] = s.reservationId;
      out['OS-EXT-SRV-ATTR:launch_index'] = 0;
      out['OS-EXT-SRV-ATTR:hostname'] = s.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
      out['OS-EXT-SRV-ATTR:kernel_id'] = '';
      out['OS-EXT-SRV-ATTR:ramdisk_id'] = '';
      out['OS-EXT-SRV-ATTR:root_device_name'] = s.launchedAt ? '/dev/sda' : null;
      out['OS-EXT-SRV-ATTR:user_data'] = s.userData;
    }
  }
  out['OS-EXT-STS:task_state'] = s.taskState;
  out['OS-EXT-STS:vm_state'] = s.vmState;
  out['OS-EXT-STS:power_state'] = s.powerState;
  out['os-extended-volumes:volumes_attached'] = s.volumeIds.map((id) => (mv >= 3 ? { id, delete_on_termination: s.deleteOnTermination.includes(id) } : { id }));
  if (s.fault && (s.status === 'ERROR' || s.status === 'DELETED')) {
    const fault: Record<string, unknown> = { code: s.fault.code, created: novaTime(s.fault.created), message: s.fault.message };
    if (isAdmin && s.fault.details) fault['details'] = s.fault.details;
    out['fault'] = fault;
  }
  if (mv >= 16 && isAdmin) out['host_status'] = s.status === 'ERROR' && !s.launchedAt ? '' : 'UP';
  if (mv >= 9) out['locked'] = false;
  if (mv >= 73) out['locked_reason'] = null;
  if (mv >= 19) out['description'] = s.description;
  if (mv >= 26) out['tags'] = s.tags;
  if (mv >= 63) out['trusted_image_certificates'] = null;
  if (mv >= 71) out['server_groups'] = s.serverGroupId ? [s.serverGroupId] : [];
  return out;
}

export function renderFlavor(origin: string, f: SimFlavor, mv: number, detail: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id: f.id, links: links(origin, 'flavors', f.id), name: f.name };
  if (mv >= 55) out['description'] = null;
  if (!detail) return out;
  Object.assign(out, {
    ram: f.ram,
    disk: f.disk,
    swap: mv >= 75 ? f.swap : f.swap === 0 ? '' : f.swap,
    'OS-FLV-EXT-DATA:ephemeral': f.ephemeral,
    'OS-FLV-DISABLED:disabled': false,
    vcpus: f.vcpus,
    'os-flavor-access:is_public': f.isPublic,
    rxtx_factor: 1.0,
  });
  if (mv >= 61) out['extra_specs'] = f.extraSpecs;
  return out;
}
