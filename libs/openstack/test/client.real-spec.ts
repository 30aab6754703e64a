// The client's conformance scenarios against a real OpenStack control plane (Keystone, Nova,
// Neutron, Glance from Debian packages; no Cinder), started by ../shared/openstack-sim/up.sh.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll } from 'vitest';
import { defineClientConformance } from './client-conformance';

const repoRoot = resolve(__dirname, '../../..');
const upScript = resolve(repoRoot, '../shared/openstack-sim/up.sh');
const password = process.env['OS_SIM_ADMIN_PASSWORD'] ?? 'ossim-admin';

beforeAll(() => {
  if (!existsSync(upScript)) throw new Error(`${upScript} is missing: clone the repo with shared/ beside it`);
  // Idempotent: ~0.3 s when the control plane already runs, ~1-4 min otherwise.
  const asRoot = process.getuid?.() === 0;
  execFileSync(asRoot ? 'bash' : 'sudo', asRoot ? [upScript] : ['bash', upScript], { stdio: 'inherit', timeout: 840_000 });
}, 900_000);

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
