// Nova (compute v2.1) shapes, as far as the orchestrator reads them. Members that depend on the
// microversion are optional.

export type ServerStatus =
  | 'ACTIVE'
  | 'BUILD'
  | 'DELETED'
  | 'ERROR'
  | 'HARD_REBOOT'
  | 'MIGRATING'
  | 'PASSWORD'
  | 'PAUSED'
  | 'REBOOT'
  | 'REBUILD'
  | 'RESCUE'
  | 'RESIZE'
  | 'REVERT_RESIZE'
  | 'SHELVED'
  | 'SHELVED_OFFLOADED'
  | 'SHUTOFF'
  | 'SOFT_DELETED'
  | 'SUSPENDED'
  | 'UNKNOWN'
  | 'VERIFY_RESIZE';

export interface ServerAddress {
  version: 4 | 6;
  addr: string;
  'OS-EXT-IPS:type'?: 'fixed' | 'floating';
  'OS-EXT-IPS-MAC:mac_addr'?: string;
}

export interface Server {
  id: string;
  name: string;
  status: ServerStatus;
  tenant_id: string;
  user_id: string;
  metadata: Record<string, string>;
  addresses: Record<string, ServerAddress[]>;
  image: { id: string } | '';
  flavor: { id?: string; original_name?: string; vcpus?: number; ram?: number; disk?: number };
  key_name: string | null;
  created: string;
  updated: string;
  fault?: { code: number; message: string; created: string; details?: string };
  'OS-EXT-STS:vm_state'?: string;
  'OS-EXT-STS:task_state'?: string | null;
  'OS-EXT-STS:power_state'?: number;
  'OS-EXT-AZ:availability_zone'?: string;
  'os-extended-volumes:volumes_attached'?: { id: string }[];
  security_groups?: { name: string }[];
  tags?: string[];
}

/** One network of a new server: a network, a network with a fixed IP, or a port. */
export type ServerNetwork = { uuid: string; fixed_ip?: string } | { port: string };

export interface ServerCreateSpec {
  name: string;
  flavorId: string;
  /** Boot from this image (or give `bootVolume`). */
  imageId?: string;
  /** Boot from a volume: an existing one, or a new one made from an image. */
  bootVolume?: { volumeId?: string; imageId?: string; sizeGb?: number; deleteOnTermination?: boolean };
  /** Networks or ports; `auto`/`none` as Nova allows from microversion 2.37. */
  networks?: ServerNetwork[] | 'auto' | 'none';
  keyName?: string;
  /** Security group names. */
  securityGroups?: string[];
  /** Plain text; the client base64-encodes it. */
  userData?: string;
  metadata?: Record<string, string>;
  availabilityZone?: string;
  serverGroupId?: string;
}

export interface ServerListFilters {
  name?: string;
  status?: ServerStatus;
  /** Nova 2.26+: servers having all these tags. */
  tags?: string[];
  limit?: number;
}

export interface Flavor {
  id: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
  'OS-FLV-EXT-DATA:ephemeral'?: number;
  swap?: number | '';
  'os-flavor-access:is_public'?: boolean;
}

export interface Keypair {
  name: string;
  public_key: string;
  fingerprint: string;
  /** Only when Nova generated the key (create without a public key, microversion < 2.92). */
  private_key?: string;
  type?: string;
  user_id?: string;
}

export interface AbsoluteLimits {
  maxTotalInstances: number;
  maxTotalCores: number;
  maxTotalRAMSize: number;
  totalInstancesUsed: number;
  totalCoresUsed: number;
  totalRAMUsed: number;
  maxTotalKeypairs?: number;
  [name: string]: number | undefined;
}

export interface VolumeAttachment {
  id: string;
  serverId: string;
  volumeId: string;
  device?: string | null;
}

export type ServerAction = 'start' | 'stop' | 'reboot-soft' | 'reboot-hard';

/** A Nova server group as any microversion shows it: `policies` before 2.64, `policy` from 2.64. */
export interface ServerGroup {
  id: string;
  name: string;
  members: string[];
  policies?: string[];
  policy?: string;
  rules?: Record<string, number>;
  project_id?: string;
  user_id?: string;
}

export type ServerGroupPolicy = 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';

/** A project's compute quotas (GET /os-quota-sets/{project}); -1 is unlimited. */
export interface ComputeQuotaSet {
  id: string;
  instances: number;
  cores: number;
  ram: number;
  key_pairs: number;
  server_groups: number;
  server_group_members: number;
  metadata_items: number;
  [name: string]: number | string;
}
