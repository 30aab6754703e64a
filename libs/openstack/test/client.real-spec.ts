// The client's conformance scenarios against a real OpenStack control plane (Keystone, Nova,
// Neutron, Glance from Debian packages; no Cinder), started by ../shared/openstack-sim/up.sh.
import { beforeAll } from 'vitest';
import { defineClientConformance } from './client-conformance';
import { ensureOpenStackSim } from './support/openstack-sim';

const password = process.env['OS_SIM_ADMIN_PASSWORD'] ?? 'ossim-admin';

beforeAll(() => ensureOpenStackSim(), 900_000);

defineClientConformance(() => ({
  name: 'openstack-sim (real services)',
  options: () => ({
    authUrl: 'http://127.0.0.1:5000/v3',
    auth: { type: 'password', username: 'admin', password, projectName: 'admin', userDomainName: 'Default', projectDomainName: 'Default' },
    region: 'RegionOne',
    // The shared machine can be very loaded (load average 40 seen): Nova took over 60 s to answer a POST.
    timeoutMs: 180_000,
    retry: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 2_000 },
  }),
  externalNetwork: 'public',
  image: 'ossim-tiny',
  flavor: 'm1.tiny',
  hasVolumes: false,
  pollMs: 1_000,
  waitTimeoutMs: 600_000,
}));
