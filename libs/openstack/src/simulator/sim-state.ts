// The simulator's in-memory state: every resource of every service, keyed by id. Plain records
// shaped like the services' own database rows; rendering to API JSON happens in the routes.
import { randomBytes, randomUUID } from 'node:crypto';

export function hexId(): string {
  return randomBytes(16).toString('hex');
}
export const uuid = randomUUID;

export interface SimProject {
  id: string;
  name: string;
  domainId: string;
}

export interface SimUser {
  id: string;
  name: string;
  domainId: string;
  /** Absent for federated users. */
  password?: string;
  /** Project id → role names. */
  roles: Map<string, string[]>;
  federated?: { idp: string; protocol: string; subject: string };
}

export interface SimAppCredential {
  id: string;
  name: string;
  secret: string;
  userId: string;
  projectId: string;
}

export interface SimToken {
  value: string;
  userId: string;
  projectId?: string;
  methods: string[];
  issuedAt: number;
  expiresAt: number;
  auditId: string;
  appCredentialId?: string;
}

export interface SimFlavor {
  id: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
  ephemeral: number;
  swap: number;
  isPublic: boolean;
  extraSpecs: Record<string, string>;
}

export interface SimImage {
  id: string;
  name: string | null;
  status: string;
  visibility: string;
  diskFormat: string | null;
  containerFormat: string | null;
  size: number | null;
  checksum: string | null;
  owner: string;
  minDisk: number;
  minRam: number;
  tags: string[];
  properties: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  protected: boolean;
}

export interface SimNetwork {
  id: string;
  name: string;
  projectId: string;
  external: boolean;
  shared: boolean;
  adminStateUp: boolean;
  description: string;
  mtu: number;
  segmentationId: number;
  createdAt: number;
  updatedAt: number;
  revision: number;
  tags: string[];
}

export interface SimSubnet {
  id: string;
  name: string;
  networkId: string;
  projectId: string;
  cidr: string;
  ipVersion: 4 | 6;
  gatewayIp: string | null;
  enableDhcp: boolean;
  pools: { start: string; end: string }[];
  dnsNameservers: string[];
  description: string;
  createdAt: number;
  updatedAt: number;
  revision: number;
}

export interface SimPort {
  id: string;
  name: string;
  networkId: string;
  projectId: string;
  macAddress: string;
  fixedIps: { subnet_id: string; ip_address: string }[];
  deviceId: string;
  deviceOwner: string;
  securityGroups: string[];
  adminStateUp: boolean;
  status: string;
  description: string;
  hostId: string;
  createdAt: number;
  updatedAt: number;
  revision: number;
}

export interface SimRouter {
  id: string;
  name: string;
  projectId: string;
  adminStateUp: boolean;
  description: string;
  gateway: { networkId: string; enableSnat: boolean; portId: string } | null;
  createdAt: number;
  updatedAt: number;
  revision: number;
}

export interface SimSecurityGroupRule {
  id: string;
  securityGroupId: string;
  projectId: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  portRangeMin: number | null;
  portRangeMax: number | null;
  remoteIpPrefix: string | null;
  remoteGroupId: string | null;
  description: string;
  createdAt: number;
  updatedAt: number;
  revision: number;
}

export interface SimSecurityGroup {
  id: string;
  name: string;
  projectId: string;
  description: string;
  stateful: boolean;
  createdAt: number;
  updatedAt: number;
  revision: number;
}

export interface SimFloatingIp {
  id: string;
  address: string;
  networkId: string;
  projectId: string;
  portId: string | null;
  fixedIp: string | null;
  routerId: string | null;
  description: string;
  /** The port Neutron made to hold the address on the external network. */
  holderPortId: string;
  createdAt: number;
  updatedAt: number;
  revision: number;
}

export interface SimKeypair {
  name: string;
  userId: string;
  publicKey: string;
  fingerprint: string;
  type: string;
  createdAt: number;
}

export interface SimServer {
  id: string;
  name: string;
  projectId: string;
  userId: string;
  flavorId: string;
  imageId: string;
  keyName: string | null;
  securityGroups: string[];
  metadata: Record<string, string>;
  userData: string | null;
  availabilityZone: string;
  description: string | null;
  tags: string[];
  /** Ports Nova made for this server (deleted with it) or that the user passed in. */
  portIds: string[];
  createdPortIds: string[];
  status: string;
  vmState: string;
  taskState: string | null;
  powerState: number;
  fault: { code: number; message: string; created: number; details?: string } | null;
  createdAt: number;
  updatedAt: number;
  launchedAt: number | null;
  instanceName: string;
  reservationId: string;
  hostId: string;
  volumeIds: string[];
  /** Volumes Nova deletes with the server (block device mappings with delete_on_termination). */
  deleteOnTermination: string[];
  serverGroupId?: string;
  timers: NodeJS.Timeout[];
}

export interface SimVolume {
  id: string;
  name: string | null;
  projectId: string;
  userId: string;
  size: number;
  status: string;
  imageId: string | null;
  description: string | null;
  metadata: Record<string, string>;
  availabilityZone: string;
  bootable: boolean;
  attachments: { serverId: string; attachmentId: string; device: string; attachedAt: number }[];
  volumeType: string;
  createdAt: number;
  updatedAt: number;
}

/** A Nova server group (os-server-groups); `policy` as 2.64+ shows it, `policies` before. */
export interface SimServerGroup {
  id: string;
  name: string;
  projectId: string;
  userId: string;
  policy: string;
  rules: Record<string, number>;
  /** Ids of the servers created into the group that still exist. */
  members: string[];
}

/** Quotas of one project; -1 is unlimited, as in OpenStack. */
export interface SimQuota {
  instances: number;
  cores: number;
  ram: number;
  key_pairs: number;
  server_groups: number;
  server_group_members: number;
  floatingip: number;
  network: number;
  subnet: number;
  port: number;
  router: number;
  security_group: number;
  security_group_rule: number;
  volumes: number;
  gigabytes: number;
}

/** The defaults of a stock Zed deployment (nova.conf [quota], neutron.conf [quotas], cinder.conf). */
export const DEFAULT_QUOTA: SimQuota = {
  instances: 10,
  cores: 20,
  ram: 51200,
  key_pairs: 100,
  server_groups: 10,
  server_group_members: 10,
  floatingip: 50,
  network: 100,
  subnet: 100,
  port: 500,
  router: 10,
  security_group: 10,
  security_group_rule: 100,
  volumes: 10,
  gigabytes: 1000,
};

export class SimState {
  readonly projects = new Map<string, SimProject>();
  readonly users = new Map<string, SimUser>();
  readonly appCredentials = new Map<string, SimAppCredential>();
  readonly tokens = new Map<string, SimToken>();
  readonly flavors = new Map<string, SimFlavor>();
  readonly images = new Map<string, SimImage>();
  readonly networks = new Map<string, SimNetwork>();
  readonly subnets = new Map<string, SimSubnet>();
  readonly ports = new Map<string, SimPort>();
  readonly routers = new Map<string, SimRouter>();
  readonly securityGroups = new Map<string, SimSecurityGroup>();
  readonly securityGroupRules = new Map<string, SimSecurityGroupRule>();
  readonly floatingIps = new Map<string, SimFloatingIp>();
  /** Keyed by `${userId}/${name}`: key pairs belong to users. */
  readonly keypairs = new Map<string, SimKeypair>();
  readonly servers = new Map<string, SimServer>();
  readonly serverGroups = new Map<string, SimServerGroup>();
  readonly volumes = new Map<string, SimVolume>();
  readonly quotas = new Map<string, SimQuota>();
  readonly defaultQuota: SimQuota = { ...DEFAULT_QUOTA };
  instanceCounter = 0;
  segmentCounter = 0;

  quota(projectId: string): SimQuota {
    return this.quotas.get(projectId) ?? this.defaultQuota;
  }

  projectByName(name: string, domainId: string): SimProject | undefined {
    for (const p of this.projects.values()) if (p.name === name && p.domainId === domainId) return p;
    return undefined;
  }

  userByName(name: string, domainId: string): SimUser | undefined {
    for (const u of this.users.values()) if (u.name === name && u.domainId === domainId) return u;
    return undefined;
  }

  count<T extends { projectId: string }>(map: Map<string, T>, projectId: string): number {
    let n = 0;
    for (const v of map.values()) if (v.projectId === projectId) n++;
    return n;
  }
}

export function macAddress(): string {
  const b = randomBytes(3);
  return `fa:16:3e:${b.toString('hex').match(/../g)!.join(':')}`;
}
