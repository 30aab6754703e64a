// One ed25519 key pair per deployment, made with ssh-keygen (OpenSSH format, which Ansible and
// every sshd read). The private key is sealed in the store and never logged.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DeploymentStore } from '../store.port';

const run = promisify(execFile);

export interface SshKeyPair {
  privateKey: string;
  publicKey: string;
}

export async function generateEd25519(comment: string): Promise<SshKeyPair> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-key-'));
  try {
    const file = join(dir, 'id_ed25519');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { timeout: 20_000 });
    return { privateKey: await readFile(file, 'utf8'), publicKey: (await readFile(`${file}.pub`, 'utf8')).trim() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The deployment's key pair, made on first use (idempotent across retries and processes). */
export async function deploymentKeyPair(store: DeploymentStore, deploymentId: string): Promise<SshKeyPair> {
  const privateKey = await store.getSecret(deploymentId, 'ssh_private_key');
  const publicKey = await store.getSecret(deploymentId, 'ssh_public_key');
  if (privateKey && publicKey) return { privateKey, publicKey };
  const pair = await generateEd25519(`baton-${deploymentId}`);
  // Two racing steps may both generate; the public key is written last, and both read back the
  // stored pair, so they agree on one.
  await store.putSecret(deploymentId, 'ssh_private_key', pair.privateKey);
  await store.putSecret(deploymentId, 'ssh_public_key', pair.publicKey);
  return pair;
}
