// Testbed VMs (../shared/testbed) for tests that install packages or compare with Ansible.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const TESTBED = resolve(__dirname, '../../../../shared/testbed');
export const TESTBED_KEY = '/var/lib/testbed/id_ed25519';
export const TESTBED_KNOWN_HOSTS = '/var/lib/testbed/known_hosts';

export function testbedAvailable(): boolean {
  return existsSync(`${TESTBED}/vm-up.sh`) && process.getuid?.() === 0;
}

/** Starts (fresh) VMs in parallel; returns name → IP. */
export async function vmsUp(names: string[], options: { fresh?: boolean } = {}): Promise<Record<string, string>> {
  if (options.fresh) await vmsDown(names);
  const ips = await Promise.all(
    names.map(async (n) => {
      // The first start builds the base image: minutes on a loaded machine.
      const { stdout } = await run(`${TESTBED}/vm-up.sh`, [n], { timeout: 1_800_000 });
      return stdout.trim().split('\n').pop()!.trim();
    }),
  );
  return Object.fromEntries(names.map((n, i) => [n, ips[i]]));
}

export async function vmsDown(names: string[]): Promise<void> {
  if (names.length) await run(`${TESTBED}/vm-down.sh`, names, { timeout: 120_000 }).catch(() => undefined);
}

/** Runs a shell script on a VM as root with the plain OpenSSH client (independent of libs/runner). */
export async function sshRoot(ip: string, script: string): Promise<string> {
  const { stdout } = await run('ssh', ['-i', TESTBED_KEY, '-o', `UserKnownHostsFile=${TESTBED_KNOWN_HOSTS}`, '-o', 'StrictHostKeyChecking=no', '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', `root@${ip}`, script], { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
  return stdout;
}
