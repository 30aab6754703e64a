// What a fresh simulator holds: the same as ../shared/openstack-sim's up.sh creates (admin and
// demo users, m1.* flavors, the `ossim-tiny` image, the external network `public` on
// 203.0.113.0/24), so that tests and templates run unchanged against either.
import type { SimState } from './sim-state';
import { hexId, uuid } from './sim-state';

export interface SeedOptions {
  username: string;
  password: string;
  projectName: string;
  /** Extra images (active, public), by name. */
  images?: { name: string; properties?: Record<string, unknown> }[];
  flavors?: { name: string; vcpus: number; ram: number; disk: number }[];
}

/** Exactly up.sh's flavors (a template wanting more than 2 vCPUs or 4 GB fails on both alike). */
export const DEFAULT_FLAVORS = [
  { name: 'm1.tiny', vcpus: 1, ram: 512, disk: 1 },
  { name: 'm1.small', vcpus: 1, ram: 2048, disk: 20 },
  { name: 'm1.medium', vcpus: 2, ram: 4096, disk: 40 },
];

export function seed(state: SimState, options: SeedOptions): { projectId: string; userId: string } {
  const admin = { id: hexId(), name: options.projectName, domainId: 'default' };
  const demo = { id: hexId(), name: 'demo', domainId: 'default' };
  state.projects.set(admin.id, admin);
  state.projects.set(demo.id, demo);
  const user = { id: hexId(), name: options.username, domainId: 'default', password: options.password, roles: new Map([[admin.id, ['admin', 'member', 'reader']]]) };
  state.users.set(user.id, user);
  const demoUser = { id: hexId(), name: 'demo', domainId: 'default', password: options.password, roles: new Map([[demo.id, ['member', 'reader']]]) };
  if (options.username !== 'demo') state.users.set(demoUser.id, demoUser);

  for (const f of options.flavors ?? DEFAULT_FLAVORS) {
    const id = uuid();
    state.flavors.set(id, { id, name: f.name, vcpus: f.vcpus, ram: f.ram, disk: f.disk, ephemeral: 0, swap: 0, isPublic: true, extraSpecs: {} });
  }
  const t = Date.now();
  const images = [{ name: 'ossim-tiny', properties: {} as Record<string, unknown> }, ...(options.images ?? [])];
  images.forEach((img, i) => {
    const id = uuid();
    state.images.set(id, {
      id,
      name: img.name,
      status: 'active',
      visibility: 'public',
      diskFormat: 'raw',
      containerFormat: 'bare',
      size: 65536,
      checksum: hexId(),
      owner: admin.id,
      minDisk: 0,
      minRam: 0,
      tags: [],
      // What `openstack image create --file` records (as up.sh does for ossim-tiny).
      properties: { 'owner_specified.openstack.md5': '', 'owner_specified.openstack.sha256': '', 'owner_specified.openstack.object': `images/${img.name}`, stores: 'file', ...img.properties },
      createdAt: t + i,
      updatedAt: t + i,
      protected: false,
    });
  });

  const net = {
    id: uuid(),
    name: 'public',
    projectId: admin.id,
    external: true,
    shared: true,
    adminStateUp: true,
    description: '',
    mtu: 1500,
    segmentationId: 0,
    createdAt: t,
    updatedAt: t,
    revision: 2,
    tags: [],
  };
  state.networks.set(net.id, net);
  const subnetId = uuid();
  state.subnets.set(subnetId, {
    id: subnetId,
    name: 'public-subnet',
    networkId: net.id,
    projectId: admin.id,
    cidr: '203.0.113.0/24',
    ipVersion: 4,
    gatewayIp: '203.0.113.1',
    enableDhcp: false,
    pools: [{ start: '203.0.113.10', end: '203.0.113.250' }],
    dnsNameservers: [],
    description: '',
    createdAt: t,
    updatedAt: t,
    revision: 0,
  });
  return { projectId: admin.id, userId: user.id };
}
