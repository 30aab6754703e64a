// Cinder (block-storage /v3/{project_id}) of the simulator: volumes with the creating →
// available life cycle, quotas, and delete (refused while attached, as Cinder does).
import type { SimContext } from './sim-context';
import { json, obj, SimHttpError, type SimRequest, SimRouter, str } from './sim-http';
import { type SimVolume, uuid } from './sim-state';

function cinderTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000');
}

export function renderVolume(origin: string, v: SimVolume): Record<string, unknown> {
  return {
    id: v.id,
    status: v.status,
    size: v.size,
    availability_zone: v.availabilityZone,
    created_at: cinderTime(v.createdAt),
    updated_at: cinderTime(v.updatedAt),
    name: v.name,
    description: v.description,
    volume_type: v.volumeType,
    snapshot_id: null,
    source_volid: null,
    metadata: v.metadata,
    links: [
      { rel: 'self', href: `${origin}/volume/v3/${v.projectId}/volumes/${v.id}` },
      { rel: 'bookmark', href: `${origin}/volume/${v.projectId}/volumes/${v.id}` },
    ],
    user_id: v.userId,
    bootable: String(v.bootable),
    encrypted: false,
    replication_status: null,
    consistencygroup_id: null,
    multiattach: false,
    attachments: v.attachments.map((a) => ({
      id: v.id,
      attachment_id: a.attachmentId,
      volume_id: v.id,
      server_id: a.serverId,
      host_name: null,
      device: a.device,
      attached_at: cinderTime(a.attachedAt),
    })),
    'os-vol-tenant-attr:tenant_id': v.projectId,
    ...(v.imageId ? { volume_image_metadata: { image_id: v.imageId } } : {}),
  };
}

export function cinderRoutes(ctx: SimContext): SimRouter {
  const state = ctx.state;
  const volume = (req: SimRequest): SimVolume => {
    const a = ctx.authenticate(req);
    const v = state.volumes.get(req.params['id']);
    if (!v || (v.projectId !== a.projectId && !a.isAdmin)) throw new SimHttpError(404, `Volume ${req.params['id']} could not be found.`);
    return v;
  };
  const list = (req: SimRequest, detail: boolean) => {
    const a = ctx.authenticate(req);
    const name = req.query.get('name');
    const status = req.query.get('status');
    const volumes = [...state.volumes.values()]
      .filter((v) => v.projectId === a.projectId)
      .filter((v) => !name || v.name === name)
      .filter((v) => !status || v.status === status)
      .sort((x, y) => y.createdAt - x.createdAt)
      .map((v) => (detail ? renderVolume(req.origin, v) : { id: v.id, name: v.name, links: renderVolume(req.origin, v)['links'] }));
    return json(200, { volumes });
  };

  return new SimRouter()
    .on('GET', '/volumes', (req) => list(req, false))
    .on('GET', '/volumes/detail', (req) => list(req, true))
    .on('GET', '/volumes/:id', (req) => json(200, { volume: renderVolume(req.origin, volume(req)) }))
    .on('POST', '/volumes', (req) => {
      const a = ctx.authenticate(req);
      const b = obj(req.body, 'volume');
      const size = Number(b?.['size']);
      if (!b || !Number.isInteger(size) || size < 1) throw new SimHttpError(400, `Invalid input for field/attribute size. Value: ${String(b?.['size'])}.`);
      const quota = state.quota(a.projectId);
      const mine = [...state.volumes.values()].filter((v) => v.projectId === a.projectId);
      if (quota.volumes >= 0 && mine.length + 1 > quota.volumes) {
        throw new SimHttpError(413, `VolumeLimitExceeded: Maximum number of volumes allowed (${quota.volumes}) exceeded for quota 'volumes'.`);
      }
      const used = mine.reduce((n, v) => n + v.size, 0);
      if (quota.gigabytes >= 0 && used + size > quota.gigabytes) {
        throw new SimHttpError(413, `VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested ${size}G, quota is ${quota.gigabytes}G and ${used}G has been consumed.`);
      }
      const imageId = str(b, 'imageRef') ?? null;
      if (imageId && !state.images.has(imageId)) throw new SimHttpError(400, `Invalid image identifier or unable to access requested image.`);
      const t = Date.now();
      const v: SimVolume = {
        id: uuid(),
        name: str(b, 'name') ?? null,
        projectId: a.projectId,
        userId: a.user.id,
        size,
        status: 'creating',
        imageId,
        description: str(b, 'description') ?? null,
        metadata: (obj(b, 'metadata') as Record<string, string> | undefined) ?? {},
        availabilityZone: str(b, 'availability_zone') ?? 'nova',
        bootable: imageId !== null,
        attachments: [],
        volumeType: str(b, 'volume_type') ?? '__DEFAULT__',
        createdAt: t,
        updatedAt: t,
      };
      state.volumes.set(v.id, v);
      const timer = setTimeout(() => {
        if (v.status === 'creating') Object.assign(v, { status: 'available', updatedAt: Date.now() });
      }, ctx.controls.volumeTimeMs);
      timer.unref();
      return json(202, { volume: renderVolume(req.origin, v) });
    })
    .on('PUT', '/volumes/:id', (req) => {
      const v = volume(req);
      const b = obj(req.body, 'volume') ?? {};
      if (typeof b['name'] === 'string') v.name = b['name'];
      if (typeof b['description'] === 'string') v.description = b['description'];
      v.updatedAt = Date.now();
      return json(200, { volume: renderVolume(req.origin, v) });
    })
    .on('DELETE', '/volumes/:id', (req) => {
      const v = volume(req);
      if (v.attachments.length > 0 || !['available', 'error', 'error_restoring', 'error_extending', 'error_managing'].includes(v.status)) {
        throw new SimHttpError(
          400,
          'Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.',
        );
      }
      v.status = 'deleting';
      const timer = setTimeout(() => state.volumes.delete(v.id), Math.min(ctx.controls.volumeTimeMs, 200));
      timer.unref();
      return json(202);
    })
    .on('GET', '/limits', (req) => {
      const a = ctx.authenticate(req);
      const q = state.quota(a.projectId);
      const mine = [...state.volumes.values()].filter((v) => v.projectId === a.projectId);
      return json(200, {
        limits: {
          rate: [],
          absolute: {
            totalSnapshotsUsed: 0,
            maxTotalBackups: 10,
            maxTotalVolumeGigabytes: q.gigabytes,
            maxTotalSnapshots: 10,
            maxTotalBackupGigabytes: 1000,
            totalBackupGigabytesUsed: 0,
            maxTotalVolumes: q.volumes,
            totalVolumesUsed: mine.length,
            totalBackupsUsed: 0,
            totalGigabytesUsed: mine.reduce((n, v) => n + v.size, 0),
          },
        },
      });
    });
}
