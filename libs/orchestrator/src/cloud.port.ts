// The cloud port (STYLE.md rule 5): an in-process cloud (embedded default, strict test double)
// and OpenStack over @lib/openstack (real clouds and the simulator). The engine only ever
// creates objects under deterministic names, so `find` makes every step idempotent (rule 17).
import type { CloudProviderEndpoint } from './domain.types';
import type { CloudResourceKind } from './store.port';

export interface FlavorInfo {
  id: string;
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  gpus?: number;
}

export interface ImageInfo {
  id: string;
  name: string;
  osType?: string;
  distribution?: string;
  version?: string;
  architecture?: string;
}

export interface PortRule {
  protocol: 'tcp' | 'udp' | 'icmp';
  portMin: number;
  portMax: number;
  remoteCidr: string;
}

export interface ServerInfo {
  id: string;
  name: string;
  /** OpenStack status: BUILD, ACTIVE, ERROR, SHUTOFF... */
  status: string;
  fault?: string;
  privateAddress?: string;
  publicAddress?: string;
  /** Where SSH answers, when anything does (a simulated server has one only when bound to a host). */
  ssh?: { host: string; port: number };
}

export interface CreateServerRequest {
  name: string;
  flavorId: string;
  imageId: string;
  networkId: string;
  securityGroupIds: string[];
  keyName: string;
  metadata: Record<string, string>;
}

/** Tags put on every object: the deployment that owns it (reference: PAAS_DEP_UUID). */
export interface CloudTags {
  deploymentId: string;
}

/** Cloud operations for one deployment attempt, with the credentials of that deployment. */
export interface CloudSession {
  listFlavors(): Promise<FlavorInfo[]>;
  listImages(): Promise<ImageInfo[]>;
  /** Looks an object up by its deterministic name (and owning deployment tag). */
  find(kind: CloudResourceKind, name: string, tags: CloudTags): Promise<{ id: string } | null>;
  /** A private network with its subnet and router to the external network. */
  createNetwork(name: string, tags: CloudTags): Promise<{ id: string }>;
  createSecurityGroup(name: string, rules: PortRule[], tags: CloudTags): Promise<{ id: string }>;
  createKeyPair(name: string, publicKey: string, tags: CloudTags): Promise<{ id: string }>;
  createVolume(name: string, sizeGb: number, tags: CloudTags): Promise<{ id: string }>;
  createServer(request: CreateServerRequest, tags: CloudTags): Promise<{ id: string }>;
  getServer(id: string): Promise<ServerInfo | null>;
  attachVolume(serverId: string, volumeId: string): Promise<void>;
  /** Allocates a floating IP named `name` and associates it with the server. */
  attachFloatingIp(name: string, serverId: string, tags: CloudTags): Promise<{ id: string; address: string }>;
  startServer(id: string): Promise<void>;
  stopServer(id: string): Promise<void>;
  /** Deletes one object; an object already gone counts as deleted. */
  delete(kind: CloudResourceKind, id: string): Promise<void>;
  close(): Promise<void>;
}

export interface ProviderQuotas {
  instances?: number;
  cores?: number;
  ramMb?: number;
}

export interface CloudSessionContext {
  deploymentId: string;
  /** The owner's access token, fresh on each call (a second call follows a 401: it skips caches). */
  userToken?: () => Promise<string>;
}

/** One configured cloud (from the providers file) or the built-in one. */
export interface CloudProvider {
  readonly name: string;
  readonly endpoint: CloudProviderEndpoint;
  /** Used for ranking when no placement policy picks one (lower = tried first). */
  readonly rank: number;
  readonly quotas?: ProviderQuotas;
  /** Default login for configuration over SSH (e.g. `cloudadm`, `debian`). */
  readonly sshUser: string;
  /** Template image names → this cloud's image names (from the providers file). */
  readonly imageMappings?: Record<string, string>;
  /**
   * True when the cloud authenticates as the deployment's owner, with their IAM access token
   * (Keystone federation): the engine then passes `userToken` to `open`.
   */
  readonly usesOwnerToken?: boolean;
  open(context: CloudSessionContext): Promise<CloudSession>;
}
