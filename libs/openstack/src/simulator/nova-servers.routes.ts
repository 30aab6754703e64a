// Nova servers of the simulator: create (with Neutron ports), the BUILD → ACTIVE/ERROR life
// cycle, delete (task_state deleting, then 404), actions, and volume attachments.
import { randomBytes } from 'node:crypto';
import { createPort, deletePort, ensureDefaultSecurityGroup } from './neutron-ops';
import { attachBootVolume, type BootVolume, bootVolumeOf, checkAvailabilityZone, checkComputeQuota, checkUserData } from './nova-boot';
import { detachVolume, reboot, scheduleBoot, startDelete } from './nova-lifecycle';
import { microversion, renderServer, serverLinks } from './nova-render';
import { hintedServerGroup, placementFailure } from './nova-server-groups.routes';
import type { SimContext } from './sim-context';
import { json, obj, SimHttpError, type SimRequest, SimRouter, str } from './sim-http';
import { hexId, type SimServer, uuid } from './sim-state';

export interface NovaHooks {
  /** The next address of the admin's pool, if one is set (bound SSH hosts). */
  nextPoolAddress(): string | undefined;
}

export function novaServerRoutes(ctx: SimContext, hooks: NovaHooks): SimRouter {
  const state = ctx.state;

  const visible = (req: SimRequest, id: string): SimServer => {
    const auth = ctx.authenticate(req);
    const server = state.servers.get(id);
    if (!server || (server.projectId !== auth.projectId && !auth.isAdmin)) throw new SimHttpError(404, `Instance ${id} could not be found.`);
    return server;
  };

  const touch = (s: SimServer): void => {
    s.updatedAt = Date.now();
  };

  const create = (req: SimRequest) => {
    const auth = ctx.authenticate(req);
    const mv = microversion(req);
    const body = obj(req.body, 'server');
    if (!body) throw new SimHttpError(400, "Invalid input for field/attribute server. Value: None. None is not of type 'object'");
    const name = str(body, 'name');
    if (!name || name.trim() === '') throw new SimHttpError(400, "Invalid input for field/attribute name. Value: None. None is not of type 'string'");
    const flavorRef = str(body, 'flavorRef') ?? '';
    const flavor = state.flavors.get(flavorRef) ?? state.flavors.get(flavorRef.split('/').pop() ?? '');
    if (!flavor) throw new SimHttpError(400, `Flavor ${flavorRef} could not be found.`);
    const bdm = (body['block_device_mapping_v2'] as Record<string, unknown>[] | undefined) ?? [];
    const bootBdm = bdm.find((b) => b['boot_index'] === 0 || b['boot_index'] === '0');
    let imageId = str(body, 'imageRef') ?? '';
    if (imageId) {
      const image = state.images.get(imageId.split('/').pop() ?? '');
      if (!image) throw new SimHttpError(400, 'Can not find requested image');
      if (image.status !== 'active') throw new SimHttpError(400, `Image ${image.id} is not active.`);
      imageId = image.id;
    } else if (!bootBdm) {
      throw new SimHttpError(400, 'Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.');
    }
    checkUserData(body['user_data']);
    const keyName = str(body, 'key_name') ?? null;
    if (keyName !== null && !state.keypairs.has(`${auth.user.id}/${keyName}`)) throw new SimHttpError(400, 'Invalid key_name provided.');
    const sgNames = ((body['security_groups'] as { name: string }[] | undefined) ?? [{ name: 'default' }]).map((g) => g.name);
    ensureDefaultSecurityGroup(ctx, auth.projectId);
    // Nova resolves names or ids through Neutron and shows the groups by name.
    const groups = sgNames.map((n) => {
      const sg = [...state.securityGroups.values()].find((g) => g.projectId === auth.projectId && (g.name === n || g.id === n));
      if (!sg) throw new SimHttpError(400, `Unable to find security_group with name or id '${n}'`);
      return sg;
    });
    const sgIds = groups.map((g) => g.id);
    const requestedNetworks = body['networks'];
    if (mv >= 37 && requestedNetworks === undefined) throw new SimHttpError(400, "Invalid input for field/attribute server. Value: ... 'networks' is a required property");
    checkComputeQuota(ctx, auth.projectId, flavor);
    const availabilityZone = checkAvailabilityZone(str(body, 'availability_zone'));
    const group = hintedServerGroup(ctx, auth, req.body);
    const serverId = uuid();
    const portIds: string[] = [];
    const createdPortIds: string[] = [];
    const networks = resolveNetworks(ctx, auth.projectId, requestedNetworks);
    let boot: BootVolume | undefined;
    try {
      for (const n of networks) {
        if ('port' in n) {
          const port = state.ports.get(n.port);
          if (!port) throw new SimHttpError(400, `Port ${n.port} could not be found.`);
          if (port.deviceId) throw new SimHttpError(409, `Port ${n.port} is still in use.`);
          port.deviceId = serverId;
          port.deviceOwner = 'compute:nova';
          portIds.push(port.id);
        } else {
          const port = createPort(ctx, {
            networkId: n.uuid,
            projectId: auth.projectId,
            deviceId: serverId,
            deviceOwner: 'compute:nova',
            securityGroups: sgIds,
            fixedIps: n.fixed_ip ? [{ ip_address: n.fixed_ip }] : undefined,
          });
          portIds.push(port.id);
          createdPortIds.push(port.id);
        }
      }
      // Last (it may make a volume), so that nothing can fail after it: a volume-backed server shows no image.
      boot = imageId ? undefined : bootVolumeOf(ctx, auth, bootBdm);
    } catch (error) {
      for (const id of createdPortIds) deletePort(ctx, id);
      for (const id of portIds.filter((p) => !createdPortIds.includes(p))) Object.assign(state.ports.get(id)!, { deviceId: '', deviceOwner: '' });
      if (error instanceof SimHttpError && error.kind === 'IpAddressGenerationFailure') throw new SimHttpError(409, error.message);
      throw error;
    }
    const bound = hooks.nextPoolAddress();
    if (bound && portIds.length > 0) {
      const port = state.ports.get(portIds[0])!;
      port.fixedIps = [{ subnet_id: port.fixedIps[0]?.subnet_id ?? '', ip_address: bound }];
    }
    const now = Date.now();
    const userData = str(body, 'user_data') ?? null;
    const server: SimServer = {
      id: serverId,
      name,
      projectId: auth.projectId,
      userId: auth.user.id,
      flavorId: flavor.id,
      imageId,
      keyName,
      securityGroups: groups.map((g) => g.name),
      metadata: (obj(body, 'metadata') as Record<string, string> | undefined) ?? {},
      userData,
      availabilityZone,
      // Nova stores the display name as the description when none is given.
      description: str(body, 'description') ?? name,
      tags: (body['tags'] as string[] | undefined) ?? [],
      portIds,
      createdPortIds,
      status: 'BUILD',
      vmState: 'building',
      taskState: 'scheduling',
      powerState: 0,
      fault: null,
      createdAt: now,
      updatedAt: now,
      launchedAt: null,
      instanceName: `instance-${(++state.instanceCounter).toString(16).padStart(8, '0')}`,
      reservationId: `r-${randomBytes(4).toString('hex').slice(0, 8)}`,
      hostId: hexId(),
      volumeIds: [],
      deleteOnTermination: [],
      serverGroupId: group?.id,
      timers: [],
    };
    state.servers.set(server.id, server);
    if (boot) attachBootVolume(server, boot);
    const unplaceable = placementFailure(group);
    group?.members.push(server.id);
    scheduleBoot(ctx, server, unplaceable);
    const out: Record<string, unknown> = {
      id: server.id,
      links: serverLinks(req.origin, server.id),
      'OS-DCF:diskConfig': 'MANUAL',
      security_groups: sgNames.map((n) => ({ name: n })),
      adminPass: randomBytes(9).toString('base64url'),
    };
    return json(202, { server: out }, { Location: `${req.origin}/compute/v2.1/servers/${server.id}` });
  };

  const list = (req: SimRequest, detail: boolean) => {
    const auth = ctx.authenticate(req);
    const mv = microversion(req);
    const nameRe = req.query.get('name') ? safeRegex(req.query.get('name')!) : undefined;
    const status = req.query.get('status');
    const tags = req.query.get('tags')?.split(',').filter(Boolean);
    const changesSince = req.query.get('changes-since');
    // A time without a zone is UTC to Nova.
    const since = changesSince === null ? undefined : Date.parse(/([zZ]|[+-]\d\d:?\d\d)$/.test(changesSince) ? changesSince : `${changesSince}Z`);
    if (since !== undefined && (Number.isNaN(since) || !/^\d{4}-\d\d-\d\dT/.test(changesSince!))) {
      throw new SimHttpError(400, `Invalid input for query parameters changes-since. Value: ${changesSince}. '${changesSince}' is not a 'date-time'`);
    }
    const allTenants = auth.isAdmin && ['1', 'true', 'True'].includes(req.query.get('all_tenants') ?? '');
    let servers = [...state.servers.values()]
      .filter((s) => allTenants || s.projectId === auth.projectId)
      .filter((s) => !nameRe || nameRe.test(s.name))
      .filter((s) => !status || s.status === status.toUpperCase())
      .filter((s) => !tags || tags.every((t) => s.tags.includes(t)))
      // Nova compares updated_at, which it stores in whole seconds.
      .filter((s) => since === undefined || Math.floor(s.updatedAt / 1000) * 1000 >= since)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    const marker = req.query.get('marker');
    if (marker) {
      const i = servers.findIndex((s) => s.id === marker);
      if (i < 0) throw new SimHttpError(400, `marker [${marker}] not found`);
      servers = servers.slice(i + 1);
    }
    const limit = Number(req.query.get('limit') ?? '1000');
    const page = servers.slice(0, limit);
    const body: Record<string, unknown> = {
      servers: page.map((s) => (detail ? renderServer(ctx, req, s, mv, auth.isAdmin) : { id: s.id, links: serverLinks(req.origin, s.id), name: s.name })),
    };
    if (servers.length > limit && page.length > 0) {
      body['servers_links'] = [{ rel: 'next', href: `${req.origin}/compute/v2.1/servers${detail ? '/detail' : ''}?limit=${limit}&marker=${page[page.length - 1].id}` }];
    }
    return json(200, body);
  };

  const action = (req: SimRequest) => {
    const server = visible(req, req.params['id']);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const name = Object.keys(body)[0] ?? '';
    const conflict = (what: string): SimHttpError =>
      new SimHttpError(409, `Cannot '${what}' instance ${server.id} while it is in vm_state ${server.vmState}`);
    if (server.taskState === 'deleting') throw new SimHttpError(409, `Cannot '${name}' instance ${server.id} while it is in task_state deleting`);
    switch (name) {
      case 'os-stop':
        if (server.vmState !== 'active') throw conflict('stop');
        Object.assign(server, { status: 'SHUTOFF', vmState: 'stopped', powerState: 4 });
        break;
      case 'os-start':
        if (server.vmState !== 'stopped') throw conflict('start');
        Object.assign(server, { status: 'ACTIVE', vmState: 'active', powerState: 1 });
        break;
      case 'reboot': {
        // Nova: a soft reboot needs an active server; a hard one also takes a stopped one.
        const hard = str(obj(body, 'reboot'), 'type')?.toUpperCase() === 'HARD';
        if (server.vmState !== 'active' && !(hard && server.vmState === 'stopped')) throw conflict('reboot');
        if (server.taskState !== null) throw new SimHttpError(409, `Cannot 'reboot' instance ${server.id} while it is in task_state ${server.taskState}`);
        reboot(ctx, server, hard);
        break;
      }
      default:
        throw new SimHttpError(400, `There is no such action: ${name}`);
    }
    touch(server);
    return json(202);
  };

  const attach = (req: SimRequest) => {
    const server = visible(req, req.params['id']);
    const ref = obj(req.body, 'volumeAttachment');
    const volumeId = str(ref, 'volumeId') ?? '';
    const volume = state.volumes.get(volumeId);
    if (!volume || volume.projectId !== server.projectId) throw new SimHttpError(404, `Volume ${volumeId} could not be found.`);
    if (volume.status !== 'available') {
      throw new SimHttpError(400, `Invalid volume: volume ${volumeId} status must be 'available'. Currently in '${volume.status}'`);
    }
    if (server.status !== 'ACTIVE' && server.status !== 'SHUTOFF') {
      throw new SimHttpError(409, `Cannot 'attach_volume' instance ${server.id} while it is in vm_state ${server.vmState}`);
    }
    const device = str(ref, 'device') ?? `/dev/vd${String.fromCharCode(98 + server.volumeIds.length)}`;
    server.volumeIds.push(volume.id);
    volume.status = 'attaching';
    volume.attachments.push({ serverId: server.id, attachmentId: uuid(), device, attachedAt: Date.now() });
    const timer = setTimeout(() => {
      if (volume.status === 'attaching') volume.status = 'in-use';
      volume.updatedAt = Date.now();
    }, ctx.controls.volumeTimeMs);
    timer.unref();
    return json(200, { volumeAttachment: { device, id: volume.id, serverId: server.id, volumeId: volume.id } });
  };

  const detach = (req: SimRequest) => {
    const server = visible(req, req.params['id']);
    const volumeId = req.params['volume'];
    if (!server.volumeIds.includes(volumeId)) throw new SimHttpError(404, `Volume ${volumeId} is not attached to instance ${server.id}.`);
    detachVolume(ctx, server, volumeId);
    return json(202);
  };

  return new SimRouter()
    .on('POST', '/servers', create)
    .on('GET', '/servers', (req) => list(req, false))
    .on('GET', '/servers/detail', (req) => list(req, true))
    .on('GET', '/servers/:id', (req) => {
      const auth = ctx.authenticate(req);
      return json(200, { server: renderServer(ctx, req, visible(req, req.params['id']), microversion(req), auth.isAdmin) });
    })
    .on('PUT', '/servers/:id', (req) => {
      const auth = ctx.authenticate(req);
      const server = visible(req, req.params['id']);
      const body = obj(req.body, 'server') ?? {};
      if (typeof body['name'] === 'string') server.name = body['name'];
      if (typeof body['description'] === 'string') server.description = body['description'];
      touch(server);
      return json(200, { server: renderServer(ctx, req, server, microversion(req), auth.isAdmin) });
    })
    .on('DELETE', '/servers/:id', (req) => {
      const server = visible(req, req.params['id']);
      if (server.taskState !== 'deleting') startDelete(ctx, server);
      return json(204);
    })
    .on('POST', '/servers/:id/action', action)
    .on('GET', '/servers/:id/metadata', (req) => json(200, { metadata: visible(req, req.params['id']).metadata }))
    .on('GET', '/servers/:id/os-interface', (req) => {
      const server = visible(req, req.params['id']);
      const interfaceAttachments = server.portIds
        .map((id) => state.ports.get(id))
        .filter((p) => p !== undefined)
        .map((p) => ({ port_state: p.status, fixed_ips: p.fixedIps, port_id: p.id, net_id: p.networkId, mac_addr: p.macAddress }));
      return json(200, { interfaceAttachments });
    })
    .on('GET', '/servers/:id/os-volume_attachments', (req) => {
      const server = visible(req, req.params['id']);
      const volumeAttachments = server.volumeIds.map((id) => {
        const a = state.volumes.get(id)?.attachments.find((x) => x.serverId === server.id);
        return { device: a?.device ?? null, id, serverId: server.id, volumeId: id };
      });
      return json(200, { volumeAttachments });
    })
    .on('POST', '/servers/:id/os-volume_attachments', attach)
    .on('DELETE', '/servers/:id/os-volume_attachments/:volume', detach);
}

type RequestedNetwork = { uuid: string; fixed_ip?: string } | { port: string };

/** Nova's network choice: explicit list, `auto`/`none` (2.37+), or the only network available. */
function resolveNetworks(ctx: SimContext, projectId: string, requested: unknown): RequestedNetwork[] {
  if (requested === 'none') return [];
  const available = [...ctx.state.networks.values()].filter((n) => n.projectId === projectId || n.shared);
  if (requested === undefined || requested === 'auto') {
    if (available.length === 0) {
      if (requested === 'auto') throw new SimHttpError(400, 'Unable to automatically allocate a network for project ' + projectId);
      return [];
    }
    if (available.length > 1) throw new SimHttpError(409, 'Multiple possible networks found, use a Network ID to be more specific.');
    return [{ uuid: available[0].id }];
  }
  if (!Array.isArray(requested)) throw new SimHttpError(400, 'Bad networks format');
  return requested.map((n: Record<string, unknown>) => {
    if (typeof n['port'] === 'string' && n['port']) return { port: n['port'] };
    const id = typeof n['uuid'] === 'string' ? n['uuid'] : '';
    const network = ctx.state.networks.get(id);
    if (!network || (network.projectId !== projectId && !network.shared)) throw new SimHttpError(400, `Network ${id} could not be found.`);
    return typeof n['fixed_ip'] === 'string' ? { uuid: id, fixed_ip: n['fixed_ip'] } : { uuid: id };
  });
}

function safeRegex(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch {
    return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
}
