// Runs one playbook of test/ansible-compat through ansible-playbook and through libs/runner,
// against twin hosts, and collects what the test compares: per-host task statuses, the recap,
// and a snapshot of the files and services the playbook declares in its header:
//   # compare: /srv/c01 /etc/motd      (paths: type, mode, owner, group, content)
//   # services: demo                   (`service NAME status` exit code)
//   # args: --check                    (extra ansible-playbook/runner arguments: --check, -e k=v)
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseInventory, runPlaybook, type HostStats, type RunnerEvent } from '@lib/runner';
import { sshRoot, TESTBED_KEY } from './testbed';

const run = promisify(execFile);

export const COMPAT_DIR = join(__dirname, '../../../test/ansible-compat');

export interface Header {
  compare: string[];
  services: string[];
  check: boolean;
  extraVars: Record<string, string>;
}

export function readHeader(playbook: string): Header {
  const text = readFileSync(playbook, 'utf8');
  const h: Header = { compare: [], services: [], check: false, extraVars: {} };
  for (const m of text.matchAll(/^# (compare|services|args): (.*)$/gm)) {
    const words = m[2].trim().split(/\s+/);
    if (m[1] === 'compare') h.compare.push(...words);
    else if (m[1] === 'services') h.services.push(...words);
    else {
      for (let i = 0; i < words.length; i++) {
        if (words[i] === '--check') h.check = true;
        if (words[i] === '-e') {
          const [k, v] = words[++i].split('=');
          h.extraVars[k] = v;
        }
      }
    }
  }
  return h;
}

export interface SideResult {
  /** host → ["task|status|ignored", ...] in order. */
  tasks: Record<string, string[]>;
  recap: Record<string, HostStats>;
  rc: number;
  seconds: number;
}

/**
 * Inventory for one side: inventory.ini.tmpl with {{H1}}, {{H2}} replaced by the side's IPs, and
 * beside it the group_vars/ and host_vars/ of inventory-vars/ (the inventory-adjacent folders).
 */
export function inventoryFor(ips: string[], dir: string): string {
  let text = readFileSync(join(COMPAT_DIR, 'inventory.ini.tmpl'), 'utf8');
  ips.forEach((ip, i) => (text = text.split(`{{H${i + 1}}}`).join(ip)));
  const path = join(dir, 'inventory.ini');
  writeFileSync(path, text);
  cpSync(join(COMPAT_DIR, 'inventory-vars'), dir, { recursive: true });
  return path;
}

export async function runAnsible(playbook: string, inventory: string, header: Header): Promise<SideResult> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-compat-'));
  const record = join(dir, 'record.json');
  const args = ['-i', inventory, playbook, '--private-key', TESTBED_KEY, '-f', '20'];
  if (header.check) args.push('--check');
  for (const [k, v] of Object.entries(header.extraVars)) args.push('-e', `${k}=${v}`);
  const started = Date.now();
  let rc = 0;
  let stderr = '';
  try {
    await run('ansible-playbook', args, {
      cwd: COMPAT_DIR,
      timeout: 900_000,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        ANSIBLE_CALLBACK_PLUGINS: join(COMPAT_DIR, 'callback_plugins'),
        ANSIBLE_CALLBACKS_ENABLED: 'baton_record',
        BATON_RECORD: record,
        ANSIBLE_HOST_KEY_CHECKING: 'False',
        ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
        ANSIBLE_PIPELINING: 'True',
        ANSIBLE_RETRY_FILES_ENABLED: 'False',
        ANSIBLE_TIMEOUT: '30',
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'),
        ANSIBLE_SSH_CONTROL_PATH_DIR: join(dir, 'cp'),
      },
    });
  } catch (error) {
    rc = (error as { code?: number }).code ?? 1;
    stderr = String((error as { stderr?: string; stdout?: string }).stdout ?? '').slice(-2000) + String((error as { stderr?: string }).stderr ?? '').slice(-2000);
  }
  if (!existsSync(record)) throw new Error(`ansible-playbook ${playbook} exited ${rc} without a record: ${stderr}`);
  const data = JSON.parse(readFileSync(record, 'utf8')) as { events: { host: string; task: string; status: string; ignored: boolean | null }[]; recap: Record<string, HostStats> };
  const tasks: Record<string, string[]> = {};
  for (const e of data.events) (tasks[e.host] ??= []).push(`${e.task}|${e.status}|${e.ignored === true}`);
  return { tasks, recap: data.recap, rc, seconds: (Date.now() - started) / 1000 };
}

export async function runOurs(playbook: string, inventory: string, header: Header): Promise<SideResult> {
  const tasks: Record<string, string[]> = {};
  const started = Date.now();
  const onEvent = (e: RunnerEvent) => {
    if (e.type === 'task_end') (tasks[e.host] ??= []).push(`${e.task}|${e.status}|${e.ignored}`);
  };
  const result = await runPlaybook({
    playbook,
    inventory: parseInventory(inventory),
    privateKey: readFileSync(TESTBED_KEY, 'utf8'),
    check: header.check,
    extraVars: header.extraVars,
    forks: 20,
    connectTimeoutMs: 30_000,
    connectDeadlineMs: 60_000,
    onEvent,
  });
  return { tasks, recap: result.recap, rc: result.exitCode, seconds: (Date.now() - started) / 1000 };
}

/** What the playbook left behind on a host, with host-specific names normalized. */
export async function snapshot(ip: string, hostName: string, header: Header): Promise<string> {
  const paths = header.compare.map((p) => `'${p}'`).join(' ');
  const script = `for p in ${paths}; do if [ -e "$p" ] || [ -L "$p" ]; then find "$p" | sort | while IFS= read -r f; do stat -c '%n|%F|%a|%U|%G' "$f"; if [ -L "$f" ]; then echo "-> $(readlink "$f")"; elif [ -f "$f" ]; then cat "$f"; echo; fi; done; else echo "absent $p"; fi; done
for s in ${header.services.join(' ')}; do service "$s" status >/dev/null 2>&1; echo "service $s: $?"; done; true`;
  const out = await sshRoot(ip, script);
  return out.split(ip).join('<IP>').split(hostName).join('<HOSTNAME>');
}
