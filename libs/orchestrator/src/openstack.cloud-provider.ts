// The cloud port over @lib/openstack: real OpenStack clouds and the built-in simulator speak
// the same API. Objects carry the deployment id (server metadata PAAS_DEP_UUID, description of
// networks, groups and floating IPs) and a deterministic name, so `find` is exact (rule 17).
import { OpenStackClient, OpenStackError, type OpenStackAuth, type Server } from '@lib/openstack';
import type { CloudProvider, CloudSession, CloudSessionContext, CloudTags, FlavorInfo, ImageInfo, ProviderQuotas, ServerInfo } from './cloud.port';
import type { CloudProviderEndpoint } from './domain.types';
import { CloudOperationError } from './errors';
import type { CloudResourceKind } from './store.port';
import { ttlCached } from './ttl-cached';

export interface OpenStackProviderConfig {
  name: string;
  rank?: number;
  authUrl: string;
  region?: string;
  /** Password, application credential, or `oidc_access_token` (the user's IAM token through Keystone federation). */
  auth: OpenStackAuth;
  /** External network for router gateways and floating IPs (default: the first external one). */
  externalNetwork?: string;
  /** Template image names → cloud image names. */
  imageMappings?: Record<string, string>;
  quotas?: ProviderQuotas;
  sshUser?: string;
  /** Addresses where SSH answers; absent = every server address (a real cloud). The simulator lists its bound hosts. */
  sshAddresses?: () => string[] | undefined;
  endpointOverrides?: Record<string, string>;
}

const DEPLOYMENT_KEY = 'PAAS_DEP_UUID';

/** Turns an OpenStack failure into the engine's: transient (retry) or permanent (no retry). */
function mapped<T>(what: string, fn: () => Promise<T>): Promise<T> {
  return fn().catch((error: unknown) => {
    if (error instanceof OpenStackError) {
      const status = (error as { status?: number }).status;
      throw new CloudOperationError(`${what}: ${error.message}`, !error.transient, status, { cause: error });
    }
    throw error;
  });
}

function isNotFound(error: unknown): boolean {
  return error instanceof OpenStackError && error.code === 'not_found';
}

export class OpenStackCloudProvider implements CloudProvider {
  readonly name: string;
  readonly rank: number;
  readonly sshUser: string;
  readonly quotas?: ProviderQuotas;
  readonly endpoint: CloudProviderEndpoint;
  readonly imageMappings: Record<string, string>;
  private shared?: OpenStackSessionAdapter;

  constructor(private readonly config: OpenStackProviderConfig) {
    this.name = config.name;
    this.rank = config.rank ?? 10;
    this.sshUser = config.sshUser ?? 'cloudadm';
    this.quotas = config.quotas;
    this.imageMappings = config.imageMappings ?? {};
    this.endpoint = { cpEndpoint: config.authUrl, region: config.region, cpComputeServiceId: `${config.name}-compute`, deploymentType: 'OPENSTACK', iaasType: 'OPENSTACK' };
  }

  /** Keystone federation with no fixed token configured (the providers file's `method: oidc`). */
  get usesOwnerToken(): boolean {
    return this.config.auth.type === 'oidc_access_token' && !this.config.auth.accessToken;
  }

  async open(context: CloudSessionContext): Promise<CloudSession> {
    if (this.usesOwnerToken) {
      // The providers file holds no token: it is the owner's, fetched per Keystone login.
      if (!context.userToken) throw new CloudOperationError(`${this.name} authenticates with the deployment owner's IAM token, and none was given`, true);
      const auth = { ...(this.config.auth as Extract<OpenStackAuth, { type: 'oidc_access_token' }>), accessToken: context.userToken };
      return new OpenStackSessionAdapter(this.client(auth), this.config, { owned: true });
    }
    // The provider's own credentials: one client, so one Keystone token (renewed before expiry
    // and on a 401) and one catalogue serve every step, instead of a login per step.
    this.shared ??= new OpenStackSessionAdapter(this.client(this.config.auth), this.config, { owned: false });
    return this.shared;
  }

  private client(auth: OpenStackAuth): OpenStackClient {
    return new OpenStackClient({ authUrl: this.config.authUrl, auth, region: this.config.region, endpointOverrides: this.config.endpointOverrides as never });
  }
}

const CATALOGUE_TTL_MS = 60_000;


class OpenStackSessionAdapter implements CloudSession {
  private externalId?: string;

  constructor(
    private readonly os: OpenStackClient,
    private readonly config: OpenStackProviderConfig,
    /** A shared session outlives the steps that use it: their close() leaves it open. */
    private readonly lifetime: { owned: boolean },
  ) {}

  // Flavors and images change rarely, and a step reads them for every server it makes.
  readonly listFlavors = ttlCached(CATALOGUE_TTL_MS, () => this.fetchFlavors());
  readonly listImages = ttlCached(CATALOGUE_TTL_MS, () => this.fetchImages());

  private fetchFlavors(): Promise<FlavorInfo[]> {
    return mapped('list flavors', async () => (await this.os.compute.listFlavors()).map((f) => ({ id: f.id, name: f.name, vcpus: f.vcpus, ramMb: f.ram, diskGb: f.disk })));
  }

  private fetchImages(): Promise<ImageInfo[]> {
    return mapped('list images', async () =>
      (await this.os.image.listImages()).map((i) => ({
        id: i.id,
        name: i.name ?? i.id,
        osType: i.os_type as string | undefined,
        distribution: i.os_distro as string | undefined,
        version: i.os_version as string | undefined,
        architecture: i.architecture as string | undefined,
      })),
    );
  }

  find(kind: CloudResourceKind, name: string, tags: CloudTags): Promise<{ id: string } | null> {
    return mapped(`find ${kind} ${name}`, async () => {
      const hit = (items: Array<{ id: string; name?: string | null; description?: string | null }>) => {
        const found = items.find((i) => (i.name === name || i.description === name) && (!i.description || i.description === tags.deploymentId || i.description === name));
        return found ? { id: found.id } : null;
      };
      switch (kind) {
        case 'server': {
          const servers = await this.os.compute.listServers({ name: `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` });
          const s = servers.find((x) => x.name === name && x.metadata[DEPLOYMENT_KEY] === tags.deploymentId);
          return s ? { id: s.id } : null;
        }
        case 'network':
          return hit(await this.os.network.listNetworks({ name }));
        case 'subnet':
          return hit(await this.os.network.listSubnets({ name }));
        case 'router':
          return hit(await this.os.network.listRouters({ name }));
        case 'security_group':
          return hit(await this.os.network.listSecurityGroups({ name }));
        case 'keypair':
          return (await this.os.compute.getKeypair(name)) ? { id: name } : null;
        case 'volume':
          return hit(await this.os.volume.listVolumes({ name }));
        case 'floating_ip': {
          const fips = await this.os.network.listFloatingIps({ description: name });
          const f = fips.find((x) => x.description === name);
          return f ? { id: f.id } : null;
        }
      }
    });
  }

  createNetwork(name: string, tags: CloudTags) {
    return mapped(`create network ${name}`, async () => {
      const net = await this.os.network.createNetwork({ name, description: tags.deploymentId });
      const subnet = await this.os.network.createSubnet({ name: `${name}-subnet`, networkId: net.id, cidr: '192.168.100.0/24', dnsNameservers: ['8.8.8.8'] });
      const external = await this.externalNetworkId();
      if (external) {
        const router = await this.os.network.createRouter({ name: `${name}-router`, externalNetworkId: external, description: tags.deploymentId });
        await this.os.network.addRouterInterface(router.id, subnet.id);
      }
      return { id: net.id };
    });
  }

  createSecurityGroup(name: string, rules: Parameters<CloudSession['createSecurityGroup']>[1], tags: CloudTags) {
    return mapped(`create security group ${name}`, async () => {
      const sg = await this.os.network.createSecurityGroup({ name, description: tags.deploymentId });
      for (const r of rules) {
        await this.os.network.createSecurityGroupRule({
          securityGroupId: sg.id,
          direction: 'ingress',
          ethertype: 'IPv4',
          protocol: r.protocol,
          ...(r.protocol === 'icmp' ? {} : { portRangeMin: r.portMin, portRangeMax: r.portMax }),
          remoteIpPrefix: r.remoteCidr,
        });
      }
      return { id: sg.id };
    });
  }

  createKeyPair(name: string, publicKey: string) {
    return mapped(`create key pair ${name}`, async () => {
      await this.os.compute.createKeypair(name, publicKey);
      return { id: name };
    });
  }

  createVolume(name: string, sizeGb: number, tags: CloudTags) {
    return mapped(`create volume ${name}`, async () => {
      const v = await this.os.volume.createVolume({ name, sizeGb, description: tags.deploymentId, metadata: { [DEPLOYMENT_KEY]: tags.deploymentId } }, `${tags.deploymentId}:${name}`);
      await this.os.volume.waitForVolume(v.id, 'available');
      return { id: v.id };
    });
  }

  createServer(request: Parameters<CloudSession['createServer']>[0], tags: CloudTags) {
    return mapped(`create server ${request.name}`, async () => {
      const groups = await this.os.network.listSecurityGroups();
      const names = request.securityGroupIds.map((id) => groups.find((g) => g.id === id)?.name ?? id);
      const server = await this.os.compute.createServer(
        {
          name: request.name,
          flavorId: request.flavorId,
          imageId: request.imageId,
          networks: [{ uuid: request.networkId }],
          keyName: request.keyName,
          securityGroups: names,
          metadata: { ...request.metadata, [DEPLOYMENT_KEY]: tags.deploymentId },
        },
        `${tags.deploymentId}:${request.name}`,
      );
      return { id: server.id };
    });
  }

  async getServer(id: string): Promise<ServerInfo | null> {
    try {
      return this.toInfo(await this.os.compute.getServer(id));
    } catch (error) {
      if (isNotFound(error)) return null;
      return mapped(`get server ${id}`, () => Promise.reject(error));
    }
  }

  attachVolume(serverId: string, volumeId: string) {
    return mapped(`attach volume ${volumeId}`, async () => {
      await this.os.compute.attachVolume(serverId, volumeId);
      await this.os.volume.waitForVolume(volumeId, 'in-use');
    });
  }

  attachFloatingIp(name: string, serverId: string) {
    return mapped(`floating IP for ${serverId}`, async () => {
      const external = await this.externalNetworkId();
      if (!external) throw new CloudOperationError('no external network for floating IPs', true);
      const [port] = await this.os.network.listPorts({ device_id: serverId });
      if (!port) throw new CloudOperationError(`server ${serverId} has no port yet`, false);
      const fip = await this.os.network.allocateFloatingIp({ network: external, description: name, portId: port.id });
      return { id: fip.id, address: fip.floating_ip_address };
    });
  }

  startServer(id: string) {
    return mapped(`start server ${id}`, () => this.os.compute.serverAction(id, 'start'));
  }

  stopServer(id: string) {
    return mapped(`stop server ${id}`, () => this.os.compute.serverAction(id, 'stop'));
  }

  async delete(kind: CloudResourceKind, id: string): Promise<void> {
    try {
      await mapped(`delete ${kind} ${id}`, () => this.deleteOne(kind, id));
    } catch (error) {
      if (error instanceof CloudOperationError && isNotFound(error.cause)) return;
      throw error;
    }
  }

  private async deleteOne(kind: CloudResourceKind, id: string): Promise<void> {
    switch (kind) {
      case 'server':
        await this.os.compute.deleteServer(id);
        await this.os.compute.waitForServerGone(id);
        return;
      case 'floating_ip':
        return this.os.network.releaseFloatingIp(id);
      case 'volume':
        await this.os.volume.deleteVolume(id);
        return this.os.volume.waitForVolumeGone(id);
      case 'keypair':
        return this.os.compute.deleteKeypair(id);
      case 'security_group':
        return this.os.network.deleteSecurityGroup(id);
      case 'router':
        return this.os.network.deleteRouter(id);
      case 'subnet':
        return this.os.network.deleteSubnet(id);
      case 'network': {
        // The network owns its subnet and router (created together in createNetwork). The router
        // is found through its interface on this network, not by name: a namesake network (made
        // by an earlier attempt or an update) has a namesake router that must not be touched here.
        const subnets = await this.os.network.listSubnets({ network_id: id });
        const interfaces = await this.os.network.listPorts({ network_id: id, device_owner: 'network:router_interface' });
        for (const routerId of new Set(interfaces.map((p) => p.device_id))) {
          for (const s of subnets) await this.os.network.removeRouterInterface(routerId, s.id).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
          const stillAttached = await this.os.network.listPorts({ device_id: routerId, device_owner: 'network:router_interface' });
          if (stillAttached.length === 0) await this.os.network.deleteRouter(routerId);
        }
        for (const s of subnets) await this.os.network.deleteSubnet(s.id);
        return this.os.network.deleteNetwork(id);
      }
    }
  }

  async close(): Promise<void> {
    if (this.lifetime.owned) this.os.close();
  }

  private async externalNetworkId(): Promise<string | undefined> {
    if (this.externalId) return this.externalId;
    const nets = await this.os.network.listNetworks(this.config.externalNetwork ? { name: this.config.externalNetwork } : { 'router:external': true });
    this.externalId = nets[0]?.id;
    return this.externalId;
  }

  private toInfo(server: Server): ServerInfo {
    const all = Object.values(server.addresses).flat();
    const privateAddress = all.find((a) => a['OS-EXT-IPS:type'] !== 'floating' && a.version === 4)?.addr;
    const publicAddress = all.find((a) => a['OS-EXT-IPS:type'] === 'floating')?.addr;
    const reachable = this.config.sshAddresses?.();
    const sshHost = reachable === undefined ? (publicAddress ?? privateAddress) : [privateAddress, publicAddress].find((a) => a && reachable.includes(a));
    return {
      id: server.id,
      name: server.name,
      status: server.status,
      ...(server.fault ? { fault: server.fault.message } : {}),
      privateAddress,
      publicAddress,
      ...(sshHost && server.status === 'ACTIVE' ? { ssh: { host: sshHost, port: 22 } } : {}),
    };
  }
}
