// Real hosts for the simulated servers: testbed "VMs" (../shared/testbed: own address and
// filesystem, real sshd, Debian packages through a local proxy). The service's in-process cloud
// binds each server it boots to one of them, and the public key of the deployment's key pair is
// authorized on it, as cloud-init would do on a real cloud.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CloudProvider, CloudSession } from '@lib/orchestrator';

const run = promisify(execFile);
const TESTBED = process.env.BATON_TESTBED_DIR ?? join(__dirname, '../../../../shared/testbed');
export const TESTBED_KEY = '/var/lib/testbed/id_ed25519';
export const TESTBED_KNOWN_HOSTS = '/var/lib/testbed/known_hosts';

export interface TestbedHost {
  name: string;
  ip: string;
}

/** Starts (or reuses) VMs in parallel; returns them with their addresses. */
export async function hostsUp(names: string[]): Promise<TestbedHost[]> {
  return Promise.all(
    names.map(async (name) => {
      const { stdout } = await run(join(TESTBED, 'vm-up.sh'), [name], { timeout: 300_000 });
      const ip = stdout.trim().split('\n').pop()!.trim();
      if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new Error(`vm-up ${name} printed no address: ${stdout}`);
      return { name, ip };
    }),
  );
}

/** Stops the VMs and deletes their disks, so the next run starts from a clean system. */
export async function hostsDown(names: string[]): Promise<void> {
  if (names.length === 0) return;
  await run(join(TESTBED, 'vm-down.sh'), names, { timeout: 120_000 });
}

/** Adds a public key to root's and tester's authorized_keys of a running VM. */
export async function authorizeKey(host: TestbedHost, publicKey: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-e2e-key-'));
  try {
    const file = join(dir, 'key.pub');
    await writeFile(file, `${publicKey.trim()}\n`);
    await run(join(TESTBED, 'vm-up.sh'), [host.name, file], { timeout: 120_000 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs a command on a VM as root with the testbed's own key. */
export async function onHost(host: TestbedHost, command: string): Promise<string> {
  const { stdout } = await run(
    'ssh',
    ['-i', TESTBED_KEY, '-o', `UserKnownHostsFile=${TESTBED_KNOWN_HOSTS}`, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', `root@${host.ip}`, command],
    { timeout: 60_000 },
  );
  return stdout;
}

/**
 * A provider whose key pairs are authorized on `hosts` before the cloud records them (so before
 * any server boots), as cloud-init delivers them on a real cloud.
 */
export function withKeyDelivery(provider: CloudProvider, hosts: () => TestbedHost[]): CloudProvider {
  return new Proxy(provider, {
    get(target, property, receiver) {
      if (property !== 'open') return Reflect.get(target, property, receiver) as unknown;
      return async (context: Parameters<CloudProvider['open']>[0]): Promise<CloudSession> => {
        const session = await target.open(context);
        return new Proxy(session, {
          get(s, name) {
            const value = Reflect.get(s, name, s) as unknown;
            if (name === 'createKeyPair') {
              return async (...args: Parameters<CloudSession['createKeyPair']>) => {
                for (const host of hosts()) await authorizeKey(host, args[1]);
                return s.createKeyPair(...args);
              };
            }
            return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(s) : value;
          },
        });
      };
    },
  });
}
