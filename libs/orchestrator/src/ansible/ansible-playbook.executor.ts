// Runs an operation through Debian's ansible-playbook (with its collections) where our runner
// stops: same hosts, key, inventory and variables, events mapped to @lib/runner's RunnerEvent by
// our callback plugin (events-callback.ts), confined by bubblewrap (sandbox.ts) unless the
// operator turns that off.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { HostStats, RunnerEvent } from '@lib/runner';
import { CALLBACK_NAME, CALLBACK_SOURCE } from './events-callback';
import { sandboxArgs } from './sandbox';

export interface AnsibleInventory {
  hosts: Record<string, Record<string, unknown>>;
  groups: Record<string, string[]>;
  all: Record<string, unknown>;
}

export interface AnsibleRun {
  /** The run's own folder: holds the playbook and roles/ already; the only folder the run sees. */
  workDir: string;
  /** The playbook, inside workDir. */
  playbookPath: string;
  inventory: AnsibleInventory;
  /** The host the operation is for: its recap decides success. */
  target: string;
  privateKey: string;
  extraVars: Record<string, unknown>;
  signal: AbortSignal;
  timeoutMs: number;
  check?: boolean;
  /** Confine with bubblewrap (default true). */
  sandbox: boolean;
  onEvent(event: RunnerEvent): void;
  /** Lines ansible-playbook wrote outside events (warnings, errors). */
  onLine(line: string): void;
}

export interface AnsibleResult {
  ok: boolean;
  exitCode: number;
  recap: Record<string, HostStats>;
}

const CONFIG = (dir: string) => `[defaults]
stdout_callback = ${CALLBACK_NAME}
callback_plugins = ${join(dir, 'callback_plugins')}
roles_path = ${join(dir, 'roles')}
retry_files_enabled = False
interpreter_python = auto_silent
local_tmp = ${join(dir, '.ansible', 'tmp')}
deprecation_warnings = False
[ssh_connection]
control_path_dir = ${join(dir, '.ansible', 'cp')}
ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${join(dir, 'known_hosts')} -o StrictHostKeyChecking=accept-new -o BatchMode=yes
pipelining = True
`;

function inventoryJson(inv: AnsibleInventory, keyFile: string): unknown {
  const children: Record<string, unknown> = {};
  for (const [group, members] of Object.entries(inv.groups)) children[group] = { hosts: Object.fromEntries(members.map((m) => [m, {}])) };
  const hosts = Object.fromEntries(Object.entries(inv.hosts).map(([name, vars]) => [name, { ...vars, ansible_ssh_private_key_file: keyFile }]));
  return { all: { vars: inv.all, hosts, children } };
}

export async function runWithAnsible(run: AnsibleRun): Promise<AnsibleResult> {
  const dir = run.workDir;
  mkdirSync(join(dir, 'callback_plugins'), { recursive: true });
  mkdirSync(join(dir, '.ansible', 'tmp'), { recursive: true });
  writeFileSync(join(dir, 'callback_plugins', `${CALLBACK_NAME}.py`), CALLBACK_SOURCE);
  writeFileSync(join(dir, 'ansible.cfg'), CONFIG(dir));
  const keyFile = join(dir, 'id_deployment');
  writeFileSync(keyFile, run.privateKey.endsWith('\n') ? run.privateKey : `${run.privateKey}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'inventory.json'), JSON.stringify(inventoryJson(run.inventory, keyFile)));
  writeFileSync(join(dir, 'extra-vars.json'), JSON.stringify(run.extraVars));

  const env = { PATH: '/usr/bin:/usr/sbin', HOME: dir, LANG: 'C.UTF-8', ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_FORCE_COLOR: '0', PYTHONUNBUFFERED: '1' };
  const ansible = ['ansible-playbook', '-i', join(dir, 'inventory.json'), '-e', `@${join(dir, 'extra-vars.json')}`, ...(run.check ? ['--check'] : []), run.playbookPath];
  const [command, args] = run.sandbox
    ? ['bwrap', [...sandboxArgs(dir, existsSync), ...Object.entries(env).flatMap(([k, v]) => ['--setenv', k, v]), ...ansible]]
    : [ansible[0]!, ansible.slice(1)];
  const child = spawn(command, args, { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(kill, run.timeoutMs);
  run.signal.addEventListener('abort', kill, { once: true });
  let recap: Record<string, HostStats> = {};
  const stdout = createInterface({ input: child.stdout });
  stdout.on('line', (line) => {
    let event: RunnerEvent | undefined;
    try {
      event = JSON.parse(line) as RunnerEvent;
    } catch {
      if (line.trim()) run.onLine(line);
      return;
    }
    if (event.type === 'recap') recap = event.recap;
    run.onEvent(event);
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (line.trim()) run.onLine(line);
  });
  const exitCode = await new Promise<number>((resolveExit) => {
    child.on('error', (error) => {
      run.onLine(`ansible-playbook could not start: ${error.message}`);
      resolveExit(127);
    });
    child.on('close', (code) => resolveExit(code ?? 1));
  });
  clearTimeout(timer);
  run.signal.removeEventListener('abort', kill);
  const mine = recap[run.target];
  const ok = !!mine && mine.failed === 0 && mine.unreachable === 0 && (exitCode === 0 || exitCode === 2 || exitCode === 4);
  return { ok, exitCode, recap };
}
