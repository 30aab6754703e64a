// Real OpenSSH sshd instances for the integration tests and the benchmark: each listens on
// its own loopback address and free port, with generated host keys and authorized_keys in a
// temporary folder. `startPrivateSshd` puts a target in a network namespace whose only way in
// is a bastion sshd (run in inetd mode inside that namespace), so the target is reachable
// only through the bastion, without any firewall rule.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyPair } from '@lib/runner';

export const TEST_USER = 'batontest';
export const TEST_PASSWORD = 'Bt-pass-8c1f2e';

export interface SshdHandle {
  address: string;
  port: number;
  dir: string;
  hostKeyFingerprint: string;
  stop(): Promise<void>;
}

export async function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, address, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Creates the sudo-capable test user once (idempotent); returns a cleanup function. */
export function ensureTestUser(): () => void {
  let created = false;
  try {
    execFileSync('id', [TEST_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['-m', '-s', '/bin/bash', TEST_USER]);
    created = true;
  }
  execFileSync('chpasswd', { input: `${TEST_USER}:${TEST_PASSWORD}\n` });
  writeFileSync(`/etc/sudoers.d/${TEST_USER}`, `${TEST_USER} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
  return () => {
    rmSync(`/etc/sudoers.d/${TEST_USER}`, { force: true });
    if (created) {
      try {
        execFileSync('userdel', ['-r', TEST_USER], { stdio: 'ignore' });
      } catch {
        // user still has processes; leave it
      }
    }
  };
}

function writeConfig(dir: string, listen: string[], clientKey: KeyPair, extra: string[] = []): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  writeFileSync(join(dir, 'authorized_keys'), `${clientKey.publicKey}\n`, { mode: 0o644 });
  const conf = join(dir, 'sshd_config');
  writeFileSync(
    conf,
    [
      ...listen.map((l) => `ListenAddress ${l}`),
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin yes',
      'AllowTcpForwarding yes',
      'MaxSessions 64',
      'MaxStartups 200',
      'LogLevel ERROR',
      'Subsystem sftp /usr/lib/openssh/sftp-server',
      'AcceptEnv LANG LC_*',
      ...extra,
      '',
    ].join('\n'),
  );
  return conf;
}

export function fingerprintOf(dir: string): string {
  const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'host_key.pub')]).toString();
  return out.split(' ')[1];
}

async function waitPort(address: string, port: number, ms = 60_000): Promise<void> {
  const { connect } = await import('node:net');
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, address);
      s.once('data', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
      setTimeout(() => (s.destroy(), resolve(false)), 1000);
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`sshd on ${address}:${port} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  });
}

/** Starts sshd on address:port (a free port when omitted); `extraConfig` lines end sshd_config. */
export async function startSshd(address: string, clientKey: KeyPair, port?: number, extraConfig: string[] = []): Promise<SshdHandle> {
  execFileSync('mkdir', ['-p', '/run/sshd']);
  const dir = mkdtempSync(join(tmpdir(), 'baton-sshd-'));
  chmodSync(dir, 0o755);
  const p = port ?? (await freePort(address));
  const conf = writeConfig(dir, [`${address}:${p}`], clientKey, extraConfig);
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  try {
    await waitPort(address, p);
  } catch (e) {
    await stopChild(child);
    throw new Error(`${(e as Error).message}: ${err}`);
  }
  return {
    address,
    port: p,
    dir,
    hostKeyFingerprint: fingerprintOf(dir),
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivatePair {
  bastion: SshdHandle;
  /** Address and port as seen from the bastion (inside the namespace). */
  target: SshdHandle;
  netns: string;
}

/**
 * A target sshd on 127.0.0.1:2222 inside a fresh network namespace, and a bastion reachable on
 * `bastionAddress` from here whose sshd runs (inetd mode, one process per connection) inside
 * that namespace: the bastion reaches the target, nothing else does.
 */
export async function startPrivateSshd(bastionAddress: string, clientKey: KeyPair): Promise<PrivatePair> {
  const netns = `baton-rn-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  execFileSync('ip', ['netns', 'add', netns]);
  execFileSync('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
  const tdir = mkdtempSync(join(tmpdir(), 'baton-sshd-t-'));
  chmodSync(tdir, 0o755);
  const tconf = writeConfig(tdir, ['127.0.0.1:2222'], clientKey);
  const target = spawn('ip', ['netns', 'exec', netns, '/usr/sbin/sshd', '-D', '-e', '-f', tconf], { stdio: 'ignore' });
  const bdir = mkdtempSync(join(tmpdir(), 'baton-sshd-b-'));
  chmodSync(bdir, 0o755);
  const bconf = writeConfig(bdir, ['127.0.0.1:22'], clientKey);
  const children = new Set<ChildProcess>();
  const server: Server = createServer((sock) => {
    const child = spawn('ip', ['netns', 'exec', netns, '/usr/sbin/sshd', '-i', '-e', '-f', bconf], { stdio: ['pipe', 'pipe', 'ignore'] });
    children.add(child);
    child.on('exit', () => (children.delete(child), sock.destroy()));
    sock.on('error', () => child.kill());
    child.stdin!.on('error', () => undefined);
    sock.pipe(child.stdin!);
    child.stdout!.pipe(sock);
    sock.on('close', () => child.kill());
  });
  const port = await freePort(bastionAddress);
  await new Promise<void>((resolve) => server.listen(port, bastionAddress, resolve));
  await new Promise((r) => setTimeout(r, 300));
  const stopAll = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([...children].map(stopChild));
    await stopChild(target);
    try {
      execFileSync('ip', ['netns', 'del', netns]);
    } catch {
      // already gone
    }
    rmSync(tdir, { recursive: true, force: true });
    rmSync(bdir, { recursive: true, force: true });
  };
  return {
    netns,
    bastion: { address: bastionAddress, port, dir: bdir, hostKeyFingerprint: fingerprintOf(bdir), stop: stopAll },
    target: { address: '127.0.0.1', port: 2222, dir: tdir, hostKeyFingerprint: fingerprintOf(tdir), stop: async () => undefined },
  };
}
