// Nova (compute /v2.1). Every call sends the configured microversion (see OpenStackSession).
import type {
  AbsoluteLimits,
  ComputeQuotaSet,
  Flavor,
  Keypair,
  Server,
  ServerAction,
  ServerCreateSpec,
  ServerGroup,
  ServerGroupPolicy,
  ServerListFilters,
  VolumeAttachment,
} from './compute.types';
import { createOnce } from './create-once';
import { OpenStackNameLookupError } from './errors';
import type { CallOptions, OpenStackSession } from './openstack.session';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import { orGone, pollUntil, type WaitOptions } from './wait-for';

/** The metadata key that tags a server with the caller's idempotency key. */
export const IDEMPOTENCY_METADATA_KEY = 'baton_idempotency_key';

export class ComputeClient {
  constructor(private readonly session: OpenStackSession) {}

  /**
   * Creates a server once: the server is tagged (its name plus the idempotency key in its
   * metadata) and looked up before the POST and before any retry, so a lost answer never
   * makes a second server. Returns the server as found or as created (status BUILD at first).
   */
  async createServer(spec: ServerCreateSpec, idempotencyKey: string, options: CallOptions = {}): Promise<Server> {
    const tagged: ServerCreateSpec = { ...spec, metadata: { ...spec.metadata, [IDEMPOTENCY_METADATA_KEY]: idempotencyKey } };
    return createOnce({
      what: `compute create server ${spec.name}`,
      policy: { ...DEFAULT_RETRY_POLICY, ...this.session.options.retry },
      signal: options.signal,
      random: this.session.options.random,
      find: () => this.findTaggedServer(spec.name, idempotencyKey, options),
      create: async () => {
        const { id } = await this.postServer(tagged, options);
        return this.getServer(id, options);
      },
    });
  }

  /** One POST /servers, never retried (use createServer unless you handle duplicates yourself). */
  async postServer(spec: ServerCreateSpec, options: CallOptions = {}): Promise<{ id: string }> {
    const response = await this.session.request<{ server: { id: string } }>('compute', 'POST', '/servers', {
      ...options,
      body: serverBody(spec),
    });
    return { id: response.body.server.id };
  }

  /** The server with this name and idempotency key, if it exists. */
  async findTaggedServer(name: string, idempotencyKey: string, options: CallOptions = {}): Promise<Server | undefined> {
    const servers = await this.listServers({ name: `^${escapeRegex(name)}$` }, options);
    return servers.find((s) => s.name === name && s.metadata[IDEMPOTENCY_METADATA_KEY] === idempotencyKey);
  }

  async getServer(id: string, options: CallOptions = {}): Promise<Server> {
    return (await this.session.request<{ server: Server }>('compute', 'GET', `/servers/${enc(id)}`, options)).body.server;
  }

  /** GET /servers/detail with filters; `name` is a regular expression on Nova's side. */
  async listServers(filters: ServerListFilters = {}, options: CallOptions = {}): Promise<Server[]> {
    const query = { name: filters.name, status: filters.status, tags: filters.tags?.join(','), limit: filters.limit };
    return (await this.session.request<{ servers: Server[] }>('compute', 'GET', '/servers/detail', { ...options, query })).body.servers;
  }

  /** Deletes a server; a server already gone (404) counts as deleted. */
  async deleteServer(id: string, options: CallOptions = {}): Promise<void> {
    await orGone(this.session.request('compute', 'DELETE', `/servers/${enc(id)}`, options));
  }

  /** Polls until the server is ACTIVE (or another status); throws with Nova's fault on ERROR. */
  async waitForServer(id: string, status: Server['status'] = 'ACTIVE', options: WaitOptions = {}): Promise<Server> {
    const server = await pollUntil<Server>(
      {
        resourceType: 'server',
        id,
        get: () => this.getServer(id, { signal: options.signal }),
        status: (s) => s?.status ?? 'gone',
        done: (s) => s?.status === status,
        failed: (s) => (s.status === 'ERROR' ? (s.fault?.message ?? 'no fault recorded') : undefined),
      },
      options,
    );
    return server!;
  }

  /** Polls until GET answers 404. */
  async waitForServerGone(id: string, options: WaitOptions = {}): Promise<void> {
    await pollUntil<Server>(
      {
        resourceType: 'server',
        id,
        get: () => orGone(this.getServer(id, { signal: options.signal })),
        status: (s) => s?.status ?? 'gone',
        done: (s) => s === undefined,
        failed: (s) => (s.status === 'ERROR' && s['OS-EXT-STS:task_state'] !== 'deleting' ? s.fault?.message : undefined),
      },
      options,
    );
  }

  /** start, stop, soft or hard reboot. Repeating one is harmless (Nova answers 409 if already there). */
  async serverAction(id: string, action: ServerAction, options: CallOptions = {}): Promise<void> {
    const body =
      action === 'start' ? { 'os-start': null } : action === 'stop' ? { 'os-stop': null } : { reboot: { type: action === 'reboot-hard' ? 'HARD' : 'SOFT' } };
    await this.session.request('compute', 'POST', `/servers/${enc(id)}/action`, { ...options, body });
  }

  async listFlavors(options: CallOptions = {}): Promise<Flavor[]> {
    return (await this.session.request<{ flavors: Flavor[] }>('compute', 'GET', '/flavors/detail', options)).body.flavors;
  }

  /** A flavor by id or by (unique) name. */
  async findFlavor(nameOrId: string, options: CallOptions = {}): Promise<Flavor> {
    const flavors = await this.listFlavors(options);
    const byId = flavors.find((f) => f.id === nameOrId);
    if (byId) return byId;
    const byName = flavors.filter((f) => f.name === nameOrId);
    if (byName.length !== 1) throw new OpenStackNameLookupError('flavor', nameOrId, byName.length);
    return byName[0];
  }

  /** Imports a public key, or (without one, microversion < 2.92) lets Nova generate the pair. */
  async createKeypair(name: string, publicKey?: string, options: CallOptions = {}): Promise<Keypair> {
    const keypair: Record<string, string> = { name };
    if (publicKey) keypair['public_key'] = publicKey;
    return (await this.session.request<{ keypair: Keypair }>('compute', 'POST', '/os-keypairs', { ...options, body: { keypair } })).body.keypair;
  }

  async getKeypair(name: string, options: CallOptions = {}): Promise<Keypair | undefined> {
    const response = await orGone(this.session.request<{ keypair: Keypair }>('compute', 'GET', `/os-keypairs/${enc(name)}`, options));
    return response?.body.keypair;
  }

  async deleteKeypair(name: string, options: CallOptions = {}): Promise<void> {
    await orGone(this.session.request('compute', 'DELETE', `/os-keypairs/${enc(name)}`, options));
  }

  /** Absolute limits and usage of the project (GET /limits). */
  async getLimits(options: CallOptions = {}): Promise<AbsoluteLimits> {
    return (await this.session.request<{ limits: { absolute: AbsoluteLimits } }>('compute', 'GET', '/limits', options)).body.limits.absolute;
  }

  /** The compute quotas of a project (GET /os-quota-sets/{project}); the token's project when none is given. */
  async getQuotaSet(projectId?: string, options: CallOptions = {}): Promise<ComputeQuotaSet> {
    const project = projectId ?? (await this.session.projectId(options));
    return (await this.session.request<{ quota_set: ComputeQuotaSet }>('compute', 'GET', `/os-quota-sets/${enc(project)}`, options)).body.quota_set;
  }

  /**
   * Creates a server group (never retried: a group has no tag to look it up by, and two groups
   * of one name are legal). Sends `policies` below microversion 2.64 and `policy` from 2.64.
   */
  async createServerGroup(name: string, policy: ServerGroupPolicy, options: CallOptions = {}): Promise<ServerGroup> {
    const version = this.session.options.computeMicroversion ?? '2.1';
    const minor = version === 'latest' ? Infinity : Number(/^2\.(\d+)$/.exec(version)?.[1] ?? 1);
    const server_group = minor >= 64 ? { name, policy } : { name, policies: [policy] };
    return (await this.session.request<{ server_group: ServerGroup }>('compute', 'POST', '/os-server-groups', { ...options, body: { server_group } })).body.server_group;
  }

  async getServerGroup(id: string, options: CallOptions = {}): Promise<ServerGroup> {
    return (await this.session.request<{ server_group: ServerGroup }>('compute', 'GET', `/os-server-groups/${enc(id)}`, options)).body.server_group;
  }

  async listServerGroups(options: CallOptions = {}): Promise<ServerGroup[]> {
    return (await this.session.request<{ server_groups: ServerGroup[] }>('compute', 'GET', '/os-server-groups', options)).body.server_groups;
  }

  /** Deletes a server group; already gone (404) counts as deleted. */
  async deleteServerGroup(id: string, options: CallOptions = {}): Promise<void> {
    await orGone(this.session.request('compute', 'DELETE', `/os-server-groups/${enc(id)}`, options));
  }

  async attachVolume(serverId: string, volumeId: string, options: CallOptions & { device?: string } = {}): Promise<VolumeAttachment> {
    const volumeAttachment: Record<string, string> = { volumeId };
    if (options.device) volumeAttachment['device'] = options.device;
    const response = await this.session.request<{ volumeAttachment: { id: string; serverId: string; volumeId: string; device?: string } }>(
      'compute',
      'POST',
      `/servers/${enc(serverId)}/os-volume_attachments`,
      { ...options, body: { volumeAttachment } },
    );
    const a = response.body.volumeAttachment;
    return { id: a.id, serverId: a.serverId, volumeId: a.volumeId, device: a.device };
  }

  /** Detaches a volume; already detached (404) counts as done. */
  async detachVolume(serverId: string, volumeId: string, options: CallOptions = {}): Promise<void> {
    await orGone(this.session.request('compute', 'DELETE', `/servers/${enc(serverId)}/os-volume_attachments/${enc(volumeId)}`, options));
  }
}

function serverBody(spec: ServerCreateSpec): Record<string, unknown> {
  const server: Record<string, unknown> = { name: spec.name, flavorRef: spec.flavorId };
  if (spec.imageId && !spec.bootVolume) server['imageRef'] = spec.imageId;
  if (spec.bootVolume) {
    const v = spec.bootVolume;
    server['block_device_mapping_v2'] = [
      v.volumeId
        ? { boot_index: 0, uuid: v.volumeId, source_type: 'volume', destination_type: 'volume', delete_on_termination: v.deleteOnTermination ?? false }
        : {
            boot_index: 0,
            uuid: v.imageId ?? spec.imageId,
            source_type: 'image',
            destination_type: 'volume',
            volume_size: v.sizeGb,
            delete_on_termination: v.deleteOnTermination ?? true,
          },
    ];
  }
  if (spec.networks !== undefined) server['networks'] = spec.networks;
  if (spec.keyName) server['key_name'] = spec.keyName;
  if (spec.securityGroups) server['security_groups'] = spec.securityGroups.map((name) => ({ name }));
  if (spec.userData !== undefined) server['user_data'] = Buffer.from(spec.userData, 'utf8').toString('base64');
  if (spec.metadata) server['metadata'] = spec.metadata;
  if (spec.availabilityZone) server['availability_zone'] = spec.availabilityZone;
  const body: Record<string, unknown> = { server };
  if (spec.serverGroupId) body['os:scheduler_hints'] = { group: spec.serverGroupId };
  return body;
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
