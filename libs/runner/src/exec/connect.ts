// From a host's variables (ansible_host, ansible_user, ansible_port, keys, ProxyJump) to a
// connected target. Variables may be templated, so they are read through the host's scope.
import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { SshError } from '../errors';
import type { HostKeyStore } from '../ssh/host-key-store';
import { LocalTarget } from '../ssh/local-target';
import { SshTarget, type SshEndpoint, type SshTargetOptions } from '../ssh/ssh-target';
import type { CommandTarget } from '../ssh/target';
import { isMapping } from '../template/python';
import type { Scope } from '../template/templater';

export interface ConnectOptions {
  hostKeys: HostKeyStore;
  connectDeadlineMs?: number;
  connectTimeoutMs?: number;
  /** SSH keep-alive interval (0: off). */
  keepaliveIntervalMs?: number;
  signal?: AbortSignal;
  /** Default private key (PEM/OpenSSH text) for hosts that name none. */
  privateKey?: string;
}

function get(scope: Scope, ...names: string[]): unknown {
  for (const n of names) if (scope.has(n)) return scope.get(n);
  return undefined;
}

function readKey(path: string): string {
  try {
    return readFileSync(path.replace(/^~/, homedir()), 'utf8');
  } catch (error) {
    throw new SshError('ssh_auth_failed', `cannot read private key file ${path}`, false, { cause: error });
  }
}

function parseJump(spec: string, user: string, key?: string, password?: string): SshEndpoint {
  const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec.split(',')[0]);
  if (!m) throw new SshError('ssh_connect_failed', `cannot parse ProxyJump '${spec}'`);
  return { host: m[2].replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : 22, user: m[1] ?? user, privateKey: key, password };
}

/** The SSH endpoint of a host from its variables. */
export function endpointFor(name: string, scope: Scope, defaults: ConnectOptions): SshEndpoint {
  const user = String(get(scope, 'ansible_user', 'ansible_ssh_user', 'remote_user') ?? userInfo().username);
  const keyText = get(scope, 'baton_ssh_private_key', 'ansible_ssh_private_key');
  const keyFile = get(scope, 'ansible_ssh_private_key_file', 'ansible_private_key_file');
  const privateKey = keyText ? String(keyText) : keyFile ? readKey(String(keyFile)) : defaults.privateKey;
  const password = get(scope, 'ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password');
  const endpoint: SshEndpoint = {
    host: String(get(scope, 'ansible_host', 'ansible_ssh_host') ?? name),
    port: Number(get(scope, 'ansible_port', 'ansible_ssh_port') ?? 22),
    user,
    privateKey,
    password: password === undefined ? undefined : String(password),
  };
  const bastion = get(scope, 'baton_bastion');
  if (isMapping(bastion)) {
    const bKeyFile = bastion.private_key_file;
    endpoint.bastion = {
      host: String(bastion.host ?? bastion.address),
      port: Number(bastion.port ?? 22),
      user: String(bastion.user ?? user),
      privateKey: bastion.private_key ? String(bastion.private_key) : bKeyFile ? readKey(String(bKeyFile)) : privateKey,
      password: bastion.password === undefined ? undefined : String(bastion.password),
    };
  } else {
    const args = `${String(get(scope, 'ansible_ssh_common_args') ?? '')} ${String(get(scope, 'ansible_ssh_extra_args') ?? '')}`;
    const jump = /(?:-o\s*['"]?ProxyJump=|-J\s+)([^\s'"]+)/.exec(args);
    if (jump) endpoint.bastion = parseJump(jump[1], user, privateKey, endpoint.password);
  }
  return endpoint;
}

/** The SSH options of a run, as every host's connection gets them. */
export function sshOptions(options: ConnectOptions): SshTargetOptions {
  return {
    hostKeys: options.hostKeys,
    connectDeadlineMs: options.connectDeadlineMs,
    connectTimeoutMs: options.connectTimeoutMs,
    keepaliveIntervalMs: options.keepaliveIntervalMs,
    signal: options.signal,
  };
}

/** `allowLocal` false (localhost 'node'): always SSH, whatever `ansible_connection` says. */
export async function connectHost(name: string, scope: Scope, options: ConnectOptions, allowLocal = true): Promise<CommandTarget> {
  const conn = get(scope, 'ansible_connection');
  if (allowLocal && (conn === 'local' || (conn === undefined && (name === 'localhost' || name === '127.0.0.1') && !scope.has('ansible_host')))) return new LocalTarget();
  return SshTarget.connect(name, endpointFor(name, scope, options), sshOptions(options));
}
