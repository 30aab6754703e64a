// Checks and side effects of a Nova server create in the simulator that are not about networks:
// the compute quota, the availability zone, and the boot volume of block_device_mapping_v2.
import type { SimAuth, SimContext } from './sim-context';
import { SimHttpError } from './sim-http';
import { type SimFlavor, type SimServer, type SimVolume, uuid } from './sim-state';

const COMPUTE_RESOURCES = ['cores', 'instances', 'ram'] as const;

/**
 * nova.conf [quota] instances, cores and ram, checked before anything is made. Nova lists every
 * resource over its limit, sorted, with the figures in the same order, e.g.
 * `Quota exceeded for cores, ram: Requested 32, 98304, but already used 0, 0 of 20, 51200 cores, ram`.
 */
export function checkComputeQuota(ctx: SimContext, projectId: string, flavor: SimFlavor): void {
  const state = ctx.state;
  const quota = state.quota(projectId);
  const mine = [...state.servers.values()].filter((s) => s.projectId === projectId);
  const used = {
    instances: mine.length,
    cores: mine.reduce((n, s) => n + (state.flavors.get(s.flavorId)?.vcpus ?? 0), 0),
    ram: mine.reduce((n, s) => n + (state.flavors.get(s.flavorId)?.ram ?? 0), 0),
  };
  const want = { instances: 1, cores: flavor.vcpus, ram: flavor.ram };
  const over = COMPUTE_RESOURCES.filter((k) => quota[k] >= 0 && used[k] + want[k] > quota[k]);
  if (over.length === 0) return;
  const list = (f: (k: (typeof COMPUTE_RESOURCES)[number]) => number | string): string => over.map(f).join(', ');
  throw new SimHttpError(
    403,
    `Quota exceeded for ${list((k) => k)}: Requested ${list((k) => want[k])}, but already used ${list((k) => used[k])} of ${list((k) => quota[k])} ${list((k) => k)}`,
  );
}

/** Nova's request schema for user_data: base64, at most 65535 characters. */
export function checkUserData(value: unknown): void {
  if (value === undefined || value === null) return;
  const text = String(value);
  const invalid = (why: string): SimHttpError => new SimHttpError(400, `Invalid input for field/attribute user_data. Value: ${text}. '${text}' ${why}`);
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text.replace(/\s/g, '')) || text.replace(/\s/g, '').length % 4 !== 0) throw invalid("is not a 'base64'");
  if (text.length > 65535) throw invalid('is too long');
}

/** The simulator has one zone, `nova`, as the real control plane (one compute host). */
export function checkAvailabilityZone(zone: string | undefined): string {
  if (zone === undefined || zone === '' || zone === 'nova') return 'nova';
  throw new SimHttpError(400, 'The requested availability zone is not available');
}

/** The boot volume asked for by block_device_mapping_v2 (boot_index 0, destination volume). */
export interface BootVolume {
  volume: SimVolume;
  deleteOnTermination: boolean;
}

/**
 * Resolves (source `volume`) or makes (source `image`: Nova asks Cinder for a volume of
 * `volume_size` GB from the image) the boot volume, before the server exists. Other mappings
 * (blank, snapshot, local destinations) are accepted and ignored.
 */
export function bootVolumeOf(ctx: SimContext, auth: SimAuth, bdm: Record<string, unknown> | undefined): BootVolume | undefined {
  if (!bdm || (bdm['destination_type'] ?? 'volume') !== 'volume') return undefined;
  const state = ctx.state;
  const id = typeof bdm['uuid'] === 'string' ? bdm['uuid'] : '';
  // Nova's default is false for every source.
  const deleteOnTermination = bdm['delete_on_termination'] === true;
  if (bdm['source_type'] === 'volume') {
    const volume = state.volumes.get(id);
    if (!volume || volume.projectId !== auth.projectId) throw new SimHttpError(400, `Block Device Mapping is Invalid: failed to get volume ${id}.`);
    if (volume.status !== 'available') throw new SimHttpError(400, `Invalid volume: volume '${id}' status must be 'available'. Currently in '${volume.status}'`);
    return { volume, deleteOnTermination };
  }
  if (bdm['source_type'] !== 'image') return undefined;
  const image = state.images.get(id);
  if (!image || image.status !== 'active') throw new SimHttpError(400, `Block Device Mapping is Invalid: failed to get image ${id}.`);
  const size = Number(bdm['volume_size']);
  if (!Number.isInteger(size) || size < 1) {
    throw new SimHttpError(400, "Block Device Mapping is Invalid: Images with destination_type 'volume' need to have a non-zero size specified");
  }
  const t = Date.now();
  const volume: SimVolume = {
    id: uuid(),
    name: '',
    projectId: auth.projectId,
    userId: auth.user.id,
    size,
    status: 'available',
    imageId: image.id,
    description: '',
    metadata: {},
    availabilityZone: 'nova',
    bootable: true,
    attachments: [],
    volumeType: '__DEFAULT__',
    createdAt: t,
    updatedAt: t,
  };
  state.volumes.set(volume.id, volume);
  return { volume, deleteOnTermination };
}

/** Attaches the boot volume as the server's root disk (/dev/vda). */
export function attachBootVolume(server: SimServer, boot: BootVolume): void {
  const now = Date.now();
  server.volumeIds.push(boot.volume.id);
  if (boot.deleteOnTermination) server.deleteOnTermination.push(boot.volume.id);
  Object.assign(boot.volume, { status: 'in-use', updatedAt: now });
  boot.volume.attachments.push({ serverId: server.id, attachmentId: uuid(), device: '/dev/vda', attachedAt: now });
}
