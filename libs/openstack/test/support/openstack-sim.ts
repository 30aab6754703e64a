// Starts the real OpenStack control plane of ../shared/openstack-sim (idempotent: seconds when it
// already runs, 1-4 minutes otherwise), for the suites that run against real services.
// Asynchronous on purpose: a synchronous child process would block the test worker for minutes,
// and vitest's worker RPC times out meanwhile.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../../../..');
export const OPENSTACK_SIM_UP = resolve(REPO_ROOT, '../shared/openstack-sim/up.sh');

export function ensureOpenStackSim(timeoutMs = 840_000): Promise<void> {
  if (!existsSync(OPENSTACK_SIM_UP)) {
    return Promise.reject(new Error(`${OPENSTACK_SIM_UP} is missing: clone the repo with shared/ beside it`));
  }
  const asRoot = process.getuid?.() === 0;
  const child = spawn(asRoot ? 'bash' : 'sudo', asRoot ? [OPENSTACK_SIM_UP] : ['bash', OPENSTACK_SIM_UP], { stdio: 'inherit' });
  return new Promise((done, fail) => {
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) done();
      else fail(new Error(`openstack-sim up.sh ended with ${signal ?? `exit code ${code}`}`));
    });
  });
}
