// The in-process cloud: the embedded default when no provider file is given, and the strict
// test double of the cloud port. It keeps every object it was asked to create, enforces
// quotas, boots servers after `bootMs`, and can be told to fail servers (status ERROR).
import { randomUUID } from 'node:crypto';
import type { CloudProvider, CloudSession, CloudTags, CreateServerRequest, FlavorInfo, ImageInfo, PortRule, ServerInfo } from './cloud.port';
import { CloudOperationError } from './errors';
import type { CloudResourceKind } from './store.port';

export interface MemoryCloudObject {
  id: string;
  kind: CloudResourceKind;
  name: string;
  deploymentId: string;
  createdAt: number;
  status: string;
  detail: Record<string, unknown>;
}

export interface MemoryCloudOptions {
  name?: string;
  rank?: number;
  bootMs?: number;
  maxInstances?: number;
  /** Servers whose name matches go to ERROR instead of ACTIVE. */
  failServers?: RegExp;
  /** Gives a booted server an SSH endpoint (the simulator binds real hosts this way). */
  bindSsh?: (server: { id: string; name: string }) => { host: string; port: number } | undefined;
  flavors?: FlavorInfo[];
  images?: ImageInfo[];
  sshUser?: string;
}

const DEFAULT_FLAVORS: FlavorInfo[] = [
  { id: 'f-small', name: 'm1.small', vcpus: 1, ramMb: 2048, diskGb: 20 },
  { id: 'f-medium', name: 'm1.medium', vcpus: 2, ramMb: 4096, diskGb: 40 },
  { id: 'f-large', name: 'm1.large', vcpus: 4, ramMb: 8192, diskGb: 80 },
  { id: 'f-xlarge', name: 'm1.xlarge', vcpus: 8, ramMb: 16384, diskGb: 160 },
];
const DEFAULT_IMAGES: ImageInfo[] = [
  { id: 'i-ubuntu', name: 'ubuntu-22.04', osType: 'linux', distribution: 'ubuntu', version: '22.04', architecture: 'x86_64' },
  { id: 'i-debian', name: 'debian-12', osType: 'linux', distribution: 'debian', version: '12', architecture: 'x86_64' },
  { id: 'i-centos', name: 'centos-7', osType: 'linux', distribution: 'centos', version: '7', architecture: 'x86_64' },
];

export class MemoryCloudProvider implements CloudProvider {
  readonly name: string;
  readonly rank: number;
  readonly sshUser: string;
  readonly endpoint = { deploymentType: 'OPENSTACK' as const, iaasType: 'OPENSTACK' as const, cpEndpoint: 'memory://cloud', region: 'local' };
  /** None declared: `maxInstances` is the cloud's own enforcement (a 403 at create), not operator config. */
  readonly quotas = {};
  private readonly objects = new Map<string, MemoryCloudObject>();
  private nextIp = 10;
  /** Every call made, for assertions: `createServer:web_0`. */
  readonly calls: string[] = [];

  constructor(private readonly options: MemoryCloudOptions = {}) {
    this.name = options.name ?? 'memory';
    this.rank = options.rank ?? 100;
    this.sshUser = options.sshUser ?? 'root';
  }

  /** Live objects (not deleted), optionally of one deployment and kind. */
  list(filter: { deploymentId?: string; kind?: CloudResourceKind } = {}): MemoryCloudObject[] {
    return [...this.objects.values()].filter(
      (o) => o.status !== 'DELETED' && (!filter.deploymentId || o.deploymentId === filter.deploymentId) && (!filter.kind || o.kind === filter.kind),
    );
  }

  async open(): Promise<CloudSession> {
    return this.session();
  }

  private add(kind: CloudResourceKind, name: string, tags: CloudTags, status: string, detail: Record<string, unknown> = {}): MemoryCloudObject {
    const object = { id: `${kind}-${randomUUID()}`, kind, name, deploymentId: tags.deploymentId, createdAt: Date.now(), status, detail };
    this.objects.set(object.id, object);
    this.calls.push(`create:${kind}:${name}`);
    return object;
  }

  private session(): CloudSession {
    const opts = this.options;
    return {
      listFlavors: async () => opts.flavors ?? DEFAULT_FLAVORS,
      listImages: async () => opts.images ?? DEFAULT_IMAGES,
      find: async (kind, name, tags) => {
        const hit = this.list({ deploymentId: tags.deploymentId, kind }).find((o) => o.name === name);
        return hit ? { id: hit.id } : null;
      },
      createNetwork: async (name, tags) => ({ id: this.add('network', name, tags, 'ACTIVE').id }),
      createSecurityGroup: async (name, rules: PortRule[], tags) => ({ id: this.add('security_group', name, tags, 'ACTIVE', { rules }).id }),
      createKeyPair: async (name, publicKey, tags) => ({ id: this.add('keypair', name, tags, 'ACTIVE', { publicKey }).id }),
      createVolume: async (name, sizeGb, tags) => ({ id: this.add('volume', name, tags, 'available', { sizeGb }).id }),
      createServer: async (request: CreateServerRequest, tags) => {
        const live = this.list({ kind: 'server' }).length;
        if (opts.maxInstances !== undefined && live >= opts.maxInstances) {
          throw new CloudOperationError(`Quota exceeded for instances: requested 1, but already used ${live} of ${opts.maxInstances} instances`, true, 403);
        }
        const server = this.add('server', request.name, tags, 'BUILD', {
          request,
          privateAddress: `192.168.0.${this.nextIp++}`,
          bootAt: Date.now() + (opts.bootMs ?? 0),
        });
        return { id: server.id };
      },
      getServer: async (id) => this.serverInfo(id),
      attachVolume: async (serverId, volumeId) => {
        const volume = this.objects.get(volumeId);
        if (!volume || !this.objects.get(serverId)) throw new CloudOperationError('volume or server not found', true, 404);
        volume.status = 'in-use';
        volume.detail.serverId = serverId;
      },
      attachFloatingIp: async (name, serverId, tags) => {
        const server = this.objects.get(serverId);
        if (!server) throw new CloudOperationError(`server ${serverId} not found`, true, 404);
        const address = `172.24.4.${this.nextIp++}`;
        const fip = this.add('floating_ip', name, tags, 'ACTIVE', { address, serverId });
        server.detail.publicAddress = address;
        return { id: fip.id, address };
      },
      startServer: async (id) => this.setServerStatus(id, 'ACTIVE'),
      stopServer: async (id) => this.setServerStatus(id, 'SHUTOFF'),
      delete: async (kind, id) => {
        const object = this.objects.get(id);
        this.calls.push(`delete:${kind}:${object?.name ?? id}`);
        if (object) object.status = 'DELETED';
      },
      close: async () => undefined,
    };
  }

  private setServerStatus(id: string, status: string): void {
    const server = this.objects.get(id);
    if (!server || server.status === 'DELETED') throw new CloudOperationError(`server ${id} not found`, true, 404);
    server.status = status;
  }

  private serverInfo(id: string): ServerInfo | null {
    const server = this.objects.get(id);
    if (!server || server.status === 'DELETED') return null;
    if (server.status === 'BUILD' && Date.now() >= (server.detail.bootAt as number)) {
      server.status = this.options.failServers?.test(server.name) ? 'ERROR' : 'ACTIVE';
      if (server.status === 'ACTIVE') server.detail.ssh = this.options.bindSsh?.({ id: server.id, name: server.name });
    }
    return {
      id: server.id,
      name: server.name,
      status: server.status,
      ...(server.status === 'ERROR' ? { fault: 'No valid host was found. There are not enough hosts available.' } : {}),
      privateAddress: server.detail.privateAddress as string,
      publicAddress: server.detail.publicAddress as string | undefined,
      ssh: server.detail.ssh as ServerInfo['ssh'],
    };
  }
}
