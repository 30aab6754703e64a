// One SSH connection per host, opened once and reused by every task (no per-task upload, unlike
// Ansible's AnsiballZ): commands run over exec channels, file content travels on stdin.
import type { ClientChannel, ConnectConfig } from 'ssh2';
import { NodeSSH } from 'node-ssh';
import { SshError } from '../errors';
import { fingerprint, type HostKeyStore } from './host-key-store';
import type { CommandTarget, ExecOptions, ExecResult } from './target';
import { takePid, wrapCommand } from './wrap-command';

/** How to reach one SSH endpoint. Secrets (password, privateKey) are never logged. */
export interface SshEndpoint {
  host: string;
  port?: number;
  user: string;
  password?: string;
  /** OpenSSH or PEM private key text. */
  privateKey?: string;
  /** A jump host: the target is reached by a TCP forward through it (ProxyJump). */
  bastion?: SshEndpoint;
}

export interface SshTargetOptions {
  hostKeys: HostKeyStore;
  /** Keep retrying transient connect failures (host booting) until this many ms have passed. */
  connectDeadlineMs?: number;
  /** Time-out of one connect attempt (TCP + handshake). */
  connectTimeoutMs?: number;
  /** Keep-alive probe interval; 0 turns keep-alives off (default {@link DEFAULT_KEEPALIVE_MS}). */
  keepaliveIntervalMs?: number;
  signal?: AbortSignal;
}

const TRANSIENT = /ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET|Timed out|timed out|EPIPE|ENOTFOUND|EAI_AGAIN|Connection lost|handshake/i;
const MAX_OUTPUT = 16 * 1024 * 1024;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}

/** Default keep-alive: an idle connection (a long `pause`, a slow host) is probed every 15 s. */
export const DEFAULT_KEEPALIVE_MS = 15_000;

/**
 * The ssh2 configuration for one endpoint: time-outs, keep-alives, and the host key check (trusted
 * on first use, then compared). `mismatched()` tells whether a failure came from a changed key.
 */
export function connectConfig(endpoint: SshEndpoint, options: SshTargetOptions): { config: ConnectConfig; mismatched: () => boolean } {
  const port = endpoint.port ?? 22;
  const hostPort = `${endpoint.host}:${port}`;
  let mismatch = false;
  const config: ConnectConfig = {
    host: endpoint.host,
    port,
    username: endpoint.user,
    password: endpoint.password,
    privateKey: endpoint.privateKey,
    readyTimeout: options.connectTimeoutMs ?? 10_000,
    keepaliveInterval: options.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_MS,
    keepaliveCountMax: 4,
    hostVerifier: (key: Buffer) => {
      const fp = fingerprint(key);
      const known = options.hostKeys.get(hostPort);
      if (known === undefined) {
        options.hostKeys.set(hostPort, fp);
        return true;
      }
      mismatch = known !== fp;
      return !mismatch;
    },
  };
  return { config, mismatched: () => mismatch };
}

async function connectOnce(endpoint: SshEndpoint, options: SshTargetOptions, sock?: NodeJS.ReadableStream): Promise<NodeSSH> {
  const hostPort = `${endpoint.host}:${endpoint.port ?? 22}`;
  const { config, mismatched } = connectConfig(endpoint, options);
  if (sock) (config as { sock?: unknown }).sock = sock;
  const ssh = new NodeSSH();
  try {
    await ssh.connect(config as Parameters<NodeSSH['connect']>[0]);
    return ssh;
  } catch (error) {
    ssh.dispose();
    if (mismatched()) {
      throw new SshError('host_key_mismatch', `host key of ${hostPort} changed since it was first trusted`, false, { cause: error });
    }
    const text = error instanceof Error ? error.message : String(error);
    if (/authentication/i.test(text)) {
      throw new SshError('ssh_auth_failed', `authentication failed for ${endpoint.user}@${hostPort}`, false, { cause: error });
    }
    throw new SshError('ssh_connect_failed', `cannot connect to ${hostPort}: ${text}`, TRANSIENT.test(text), { cause: error });
  }
}

async function connectWithRetry(endpoint: SshEndpoint, options: SshTargetOptions, sock?: () => Promise<NodeJS.ReadableStream>): Promise<NodeSSH> {
  const deadline = Date.now() + (options.connectDeadlineMs ?? 0);
  let delay = 250;
  for (;;) {
    if (options.signal?.aborted) throw new SshError('aborted', `connection to ${endpoint.host} aborted`);
    try {
      return await connectOnce(endpoint, options, sock ? await sock() : undefined);
    } catch (error) {
      const transient = error instanceof SshError && error.transient;
      if (!transient || Date.now() + delay > deadline) throw error;
      await sleep(delay, options.signal);
      delay = Math.min(delay * 2, 3000);
    }
  }
}

/** A connected SSH host. Open with {@link SshTarget.connect}. */
export class SshTarget implements CommandTarget {
  /** Kill commands in flight; close() waits for them so an abort really reaches the host. */
  private readonly kills = new Set<Promise<void>>();

  private constructor(
    readonly name: string,
    private readonly ssh: NodeSSH,
    private readonly bastion?: NodeSSH,
  ) {}

  static async connect(name: string, endpoint: SshEndpoint, options: SshTargetOptions): Promise<SshTarget> {
    if (!endpoint.bastion) return new SshTarget(name, await connectWithRetry(endpoint, options));
    const bastion = await connectWithRetry(endpoint.bastion, options);
    try {
      const forward = () =>
        new Promise<NodeJS.ReadableStream>((resolve, reject) => {
          bastion.connection!.forwardOut('127.0.0.1', 0, endpoint.host, endpoint.port ?? 22, (err, stream) => {
            if (err) reject(new SshError('ssh_connect_failed', `bastion cannot reach ${endpoint.host}:${endpoint.port ?? 22}: ${err.message}`, true, { cause: err }));
            else resolve(stream);
          });
        });
      const ssh = await connectWithRetry(endpoint, options, forward);
      return new SshTarget(name, ssh, bastion);
    } catch (error) {
      bastion.dispose();
      throw error;
    }
  }

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const client = this.ssh.connection;
    if (!client) return Promise.reject(new SshError('ssh_connect_failed', `${this.name}: connection closed`, true));
    const line = wrapCommand(command, options);
    return new Promise<ExecResult>((resolve, reject) => {
      client.exec(line, { pty: options.pty === true }, (err, channel: ClientChannel) => {
        if (err) {
          reject(new SshError('ssh_connect_failed', `${this.name}: cannot open a channel: ${err.message}`, true, { cause: err }));
          return;
        }
        const out: Buffer[] = [];
        const errs: Buffer[] = [];
        let outLen = 0;
        let errLen = 0;
        let pid: number | undefined;
        let timedOut = false;
        let aborted = false;
        let rc = -1;
        let settled = false;
        const finish = () => {
          if (settled) return;
          settled = true;
          if (timer) clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          if (aborted) {
            reject(new SshError('aborted', `${this.name}: command aborted`));
            return;
          }
          const stderr = takePid(Buffer.concat(errs).toString()).rest;
          // Under a terminal the pid line comes on stdout, with the command's stderr.
          const stdout = options.pty ? takePid(Buffer.concat(out).toString()).rest : Buffer.concat(out).toString();
          resolve({ rc: timedOut ? -1 : rc, stdout, stderr, timedOut });
        };
        // sshd keeps a channel open while its process lives, so a time-out or an abort kills
        // the process group by pid (the first stderr line) and settles without waiting.
        const kill = () => {
          const p = pid ?? takePid(Buffer.concat(options.pty ? out : errs).toString()).pid;
          if (p) {
            const k = `kill -TERM -${p} 2>/dev/null; sleep 1; kill -KILL -${p} 2>/dev/null; true`;
            const killing = this.exec(k, { become: options.become, becomeUser: 'root', becomePassword: options.becomePassword }).then(
              () => undefined,
              () => undefined,
            );
            this.kills.add(killing);
            void killing.finally(() => this.kills.delete(killing));
          }
          channel.close();
          finish();
        };
        const timer = options.timeoutMs
          ? setTimeout(() => {
              timedOut = true;
              kill();
            }, options.timeoutMs)
          : undefined;
        const onAbort = () => {
          aborted = true;
          kill();
        };
        if (options.signal?.aborted) setImmediate(onAbort);
        options.signal?.addEventListener('abort', onAbort, { once: true });
        channel.on('data', (d: Buffer) => {
          if (outLen < MAX_OUTPUT) out.push(d);
          outLen += d.length;
          if (options.pty && pid === undefined) pid = takePid(Buffer.concat(out).toString()).pid;
        });
        channel.stderr.on('data', (d: Buffer) => {
          if (errLen < MAX_OUTPUT) errs.push(d);
          errLen += d.length;
          if (pid === undefined) pid = takePid(Buffer.concat(errs).toString()).pid;
        });
        channel.on('exit', (code: number | null) => {
          rc = code ?? -1;
        });
        channel.on('close', finish);
        if (options.becomePassword !== undefined) channel.write(`${options.becomePassword}\n`);
        if (options.stdin !== undefined) channel.end(options.stdin);
        else channel.end();
      });
    });
  }

  async close(): Promise<void> {
    if (this.kills.size > 0) await Promise.race([Promise.all(this.kills), new Promise((r) => setTimeout(r, 5000))]);
    this.ssh.dispose();
    this.bastion?.dispose();
  }
}
