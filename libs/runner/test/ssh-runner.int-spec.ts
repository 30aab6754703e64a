// libs/runner against real OpenSSH sshd processes on loopback addresses: key and password
// login, sudo for become, trust-on-first-use host keys, a bastion, connection retries, command
// time-outs, abort, parallel hosts with per-host failure, unsupported modules, redaction.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateKeyPair,
  inventoryFromServers,
  MemoryHostKeyStore,
  parseInventory,
  runPlaybook,
  UnsupportedModuleError,
  type RunnerEvent,
} from '@lib/runner';
import { ensureTestUser, freePort, startPrivateSshd, startSshd, TEST_PASSWORD, TEST_USER, type PrivatePair, type SshdHandle } from './sshd-fixture';

const key = generateKeyPair('int-spec');
let h2: SshdHandle;
let h3: SshdHandle;
let priv: PrivatePair;
let dropUser: () => void;
const work = mkdtempSync(join(tmpdir(), 'baton-runner-int-'));
const prefix = `rn${process.pid}`;

function pb(name: string, yaml: string): string {
  const p = join(work, name);
  writeFileSync(p, yaml);
  return p;
}

function endEvents(events: RunnerEvent[]) {
  return events.filter((e): e is Extract<RunnerEvent, { type: 'task_end' }> => e.type === 'task_end');
}

beforeAll(async () => {
  dropUser = ensureTestUser();
  [h2, h3, priv] = await Promise.all([startSshd('127.0.0.2', key), startSshd('127.0.0.3', key), startPrivateSshd('127.0.0.4', key)]);
}, 60_000);

afterAll(async () => {
  await Promise.all([h2?.stop(), h3?.stop(), priv?.bastion.stop()]);
  execFileSync('sh', ['-c', `rm -rf /tmp/${prefix}-*`]);
  dropUser?.();
  rmSync(work, { recursive: true, force: true });
});

// Needs root: it creates a sudo-capable user and a network namespace.
describe.skipIf(process.getuid?.() !== 0)('SSH runner on real sshd', () => {
  it('logs in with a generated key as a non-root user and becomes root with sudo', async () => {
    const events: RunnerEvent[] = [];
    const result = await runPlaybook({
      playbook: pb('become.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - command: whoami
      register: me
    - command: whoami
      become: true
      register: root
    - copy: content="{{ me.stdout }} {{ root.stdout }}\\n" dest=/tmp/${prefix}-become.txt mode=0640
      become: true
`),
      inventory: inventoryFromServers([{ name: 'h2', address: '127.0.0.2', port: h2.port, user: TEST_USER, privateKey: key.privateKey }]),
      onEvent: (e) => events.push(e),
    });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(`/tmp/${prefix}-become.txt`, 'utf8')).toBe(`${TEST_USER} root\n`);
    expect(execFileSync('stat', ['-c', '%U %a', `/tmp/${prefix}-become.txt`]).toString().trim()).toBe('root 640');
    expect(endEvents(events).map((e) => e.status)).toEqual(['changed', 'changed', 'changed']);
    expect(result.recap.h2).toEqual({ ok: 3, changed: 3, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
  });

  it('logs in with a password and never shows it in events', async () => {
    const events: RunnerEvent[] = [];
    const result = await runPlaybook({
      playbook: pb('password.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - shell: echo "pw is {{ ansible_password }}"
`),
      inventory: parseInventory(`h2 ansible_host=127.0.0.2 ansible_port=${h2.port} ansible_user=${TEST_USER} ansible_password=${TEST_PASSWORD}\n`),
      onEvent: (e) => events.push(e),
    });
    expect(result.exitCode).toBe(0);
    const end = endEvents(events)[0];
    expect(end.stdout).toBe('pw is ********');
    expect(JSON.stringify(events)).not.toContain(TEST_PASSWORD);
  });

  it('trusts a host key on first use and refuses a changed one', async () => {
    const hostKeys = new MemoryHostKeyStore();
    const inventory = inventoryFromServers([{ name: 'h3', address: '127.0.0.3', port: h3.port, user: TEST_USER, privateKey: key.privateKey }]);
    const playbook = pb('ping.yml', '- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n');
    expect((await runPlaybook({ playbook, inventory, hostKeys })).exitCode).toBe(0);
    expect(hostKeys.get(`127.0.0.3:${h3.port}`)).toBe(h3.hostKeyFingerprint);
    expect((await runPlaybook({ playbook, inventory, hostKeys })).exitCode).toBe(0);
    const forged = new MemoryHostKeyStore({ [`127.0.0.3:${h3.port}`]: h2.hostKeyFingerprint });
    const events: RunnerEvent[] = [];
    const bad = await runPlaybook({ playbook, inventory, hostKeys: forged, onEvent: (e) => events.push(e) });
    expect(bad.exitCode).toBe(4);
    expect(endEvents(events)[0].msg).toMatch(/host key .* changed/);
  });

  it('reaches a host that only a bastion can reach', async () => {
    const server = { name: 'inner', address: priv.target.address, port: priv.target.port, user: 'root', privateKey: key.privateKey };
    const playbook = pb('bastion.yml', `
- hosts: all
  tasks:
    - command: cat /proc/self/net/dev
      register: dev
    - assert:
        that: ansible_hostname | length > 0
`);
    const direct = await runPlaybook({ playbook, inventory: inventoryFromServers([server]), connectTimeoutMs: 3000 });
    expect(direct.exitCode).toBe(4);
    const via = await runPlaybook({
      playbook,
      inventory: inventoryFromServers([{ ...server, bastion: { address: priv.bastion.address, port: priv.bastion.port, user: 'root', privateKey: key.privateKey } }]),
    });
    expect(via.recap.inner).toMatchObject({ ok: 3, failed: 0, unreachable: 0 });
    // The same through Ansible's spelling: ProxyJump in ansible_ssh_common_args.
    const jump = await runPlaybook({
      playbook,
      inventory: parseInventory(`inner ansible_host=127.0.0.1 ansible_port=2222 ansible_user=root ansible_ssh_common_args='-o ProxyJump=root@${priv.bastion.address}:${priv.bastion.port}'\n`),
      privateKey: key.privateKey,
    });
    expect(jump.exitCode).toBe(0);
  });

  it('keeps retrying a host that is still booting until the deadline', async () => {
    const port = await freePort('127.0.0.5');
    const late = new Promise<SshdHandle>((resolve, reject) => setTimeout(() => startSshd('127.0.0.5', key, port).then(resolve, reject), 1500));
    const started = Date.now();
    const result = await runPlaybook({
      playbook: pb('boot.yml', '- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n'),
      inventory: inventoryFromServers([{ name: 'late', address: '127.0.0.5', port, user: TEST_USER, privateKey: key.privateKey }]),
      connectDeadlineMs: 20_000,
    });
    const sshd = await late;
    await sshd.stop();
    expect(result.exitCode).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  });

  it('kills a command at its time-out, and the remote process on abort', async () => {
    const inventory = inventoryFromServers([{ name: 'h2', address: '127.0.0.2', port: h2.port, user: TEST_USER, privateKey: key.privateKey }]);
    const events: RunnerEvent[] = [];
    const timed = await runPlaybook({
      playbook: pb('timeout.yml', `- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 41${process.pid % 10}\n      timeout: 1\n`),
      inventory,
      onEvent: (e) => events.push(e),
    });
    expect(timed.exitCode).toBe(2);
    expect(endEvents(events)[0].msg).toMatch(/timed out/);
    const controller = new AbortController();
    const marker = `sleep 42${process.pid % 10}`;
    const running = runPlaybook({
      playbook: pb('abort.yml', `- hosts: all\n  gather_facts: false\n  tasks:\n    - shell: ${marker}; echo done > /tmp/${prefix}-abort\n`),
      inventory,
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(processesMatching(marker)).not.toBe('');
    const t0 = Date.now();
    controller.abort();
    await running;
    expect(Date.now() - t0).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 2500));
    expect(processesMatching(marker)).toBe('');
    expect(processesMatching(`sleep 41${process.pid % 10}`)).toBe('');
    expect(existsSync(`/tmp/${prefix}-abort`)).toBe(false);
  });

  it('runs at most `forks` hosts at once: task intervals overlap with forks 2, never with forks 1', async () => {
    const inventory = parseInventory(`[web]
a ansible_host=127.0.0.2 ansible_port=${h2.port}
b ansible_host=127.0.0.3 ansible_port=${h3.port}
[web:vars]
ansible_user=${TEST_USER}
`);
    const playbook = pb('forks.yml', '- hosts: web\n  gather_facts: false\n  tasks:\n    - name: slow\n      shell: sleep 1\n    - name: quick\n      command: "true"\n');
    const intervals = async (forks: number) => {
      const events: RunnerEvent[] = [];
      const result = await runPlaybook({ playbook, inventory, privateKey: key.privateKey, forks, onEvent: (e) => events.push(e) });
      expect(result.exitCode).toBe(0);
      return ['slow', 'quick'].map((task) => taskIntervals(events, task));
    };
    // Ordering of events, not wall-clock time: [start index, end index] per host.
    for (const [a, b] of await intervals(2)) expect(a[0] < b[1] && b[0] < a[1], `forks 2: ${JSON.stringify([a, b])}`).toBe(true);
    for (const [a, b] of await intervals(1)) expect(a[1] < b[0] || b[1] < a[0], `forks 1: ${JSON.stringify([a, b])}`).toBe(true);
  });

  it('a failed host stops alone; unreachable hosts exit 4', async () => {
    const events: RunnerEvent[] = [];
    const inventory = parseInventory(`[web]
a ansible_host=127.0.0.2 ansible_port=${h2.port}
b ansible_host=127.0.0.3 ansible_port=${h3.port}
[web:vars]
ansible_user=${TEST_USER}
`);
    const result = await runPlaybook({
      playbook: pb('fail.yml', `
- hosts: web
  gather_facts: false
  tasks:
    - command: "{{ '/bin/false' if inventory_hostname == 'b' else 'true' }}"
    - shell: sleep 1
    - debug: msg=after
`),
      inventory,
      privateKey: key.privateKey,
      forks: 5,
      onEvent: (e) => events.push(e),
    });
    expect(result.exitCode).toBe(2);
    expect(result.failedHosts).toEqual(['b']);
    expect(result.recap.a).toMatchObject({ ok: 3, changed: 2, failed: 0 });
    expect(result.recap.b).toMatchObject({ ok: 0, failed: 1 });
    expect(endEvents(events).filter((e) => e.host === 'b')).toHaveLength(1);
    const dead = await runPlaybook({
      playbook: pb('dead.yml', '- hosts: all\n  tasks:\n    - ping:\n'),
      inventory: parseInventory(`x ansible_host=127.0.0.9 ansible_port=${await freePort('127.0.0.9')} ansible_user=${TEST_USER}\n`),
      privateKey: key.privateKey,
    });
    expect(dead.exitCode).toBe(4);
    expect(dead.recap.x.unreachable).toBe(1);
  });

  it('refuses an unsupported module before running anything, naming module and task', async () => {
    const events: RunnerEvent[] = [];
    const run = runPlaybook({
      playbook: pb('bad.yml', `
- hosts: all
  tasks:
    - copy: content=x dest=/tmp/${prefix}-never
    - name: frobnicate things
      community.general.frobnicate: level=3
`),
      inventory: inventoryFromServers([{ name: 'h2', address: '127.0.0.2', port: h2.port, user: TEST_USER, privateKey: key.privateKey }]),
      onEvent: (e) => events.push(e),
    });
    await expect(run).rejects.toThrow(UnsupportedModuleError);
    await expect(run).rejects.toThrow(/community.general.frobnicate.*frobnicate things/);
    expect(events).toEqual([]);
    expect(existsSync(`/tmp/${prefix}-never`)).toBe(false);
  });

  it('gathers facts once per host and exposes the usual ones', async () => {
    // An sshd that counts the fact-gathering commands it runs (ForceCommand logs, then runs the command).
    const dir = mkdtempSync(join(tmpdir(), 'baton-facts-count-'));
    chmodSync(dir, 0o755);
    const log = join(dir, 'facts.log');
    writeFileSync(log, '', { mode: 0o666 });
    chmodSync(log, 0o666);
    const wrapper = join(dir, 'count.sh');
    writeFileSync(wrapper, `#!/bin/sh\ncase "$SSH_ORIGINAL_COMMAND" in *@hostname*) echo gathered >> ${log};; esac\nexec /bin/sh -c "$SSH_ORIGINAL_COMMAND"\n`, { mode: 0o755 });
    const counted = await startSshd('127.0.0.2', key, undefined, [`ForceCommand ${wrapper}`]);
    const gatherings = () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
    try {
      const events: RunnerEvent[] = [];
    const result = await runPlaybook({
      playbook: pb('facts.yml', `
- hosts: all
  tasks:
    - assert:
        that:
          - ansible_hostname | length > 0
          - ansible_os_family == 'Debian'
          - ansible_distribution == 'Debian'
          - ansible_distribution_major_version | int >= 11
          - ansible_processor_vcpus >= 1
          - ansible_memtotal_mb > 100
          - ansible_facts.os_family == 'Debian'
          - ansible_user_id == '${TEST_USER}'
- hosts: all
  tasks:
    - debug: msg="{{ ansible_default_ipv4 }}"
`),
      inventory: inventoryFromServers([{ name: 'h2', address: '127.0.0.2', port: counted.port, user: TEST_USER, privateKey: key.privateKey }]),
      onEvent: (e) => events.push(e),
    });
    expect(result.exitCode).toBe(0);
    // Two plays, two "Gathering Facts" results (as Ansible counts them), one gathering on the host.
    expect(endEvents(events).filter((e) => e.task === 'Gathering Facts')).toHaveLength(2);
    expect(result.recap.h2.ok).toBe(4);
    expect(gatherings()).toBe(1);
    // The counter counts: an explicit setup task gathers again, as in Ansible.
    const again = await runPlaybook({
      playbook: pb('facts-again.yml', '- hosts: all\n  gather_facts: false\n  tasks:\n    - setup:\n'),
      inventory: inventoryFromServers([{ name: 'h2', address: '127.0.0.2', port: counted.port, user: TEST_USER, privateKey: key.privateKey }]),
    });
    expect(again.exitCode).toBe(0);
    expect(gatherings()).toBe(2);
    } finally {
      await counted.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Each host's [task_start, task_end] positions in the event stream for one task (hosts a and b). */
function taskIntervals(events: RunnerEvent[], task: string): [number, number][] {
  const at = (type: string, host: string) => events.findIndex((e) => e.type === type && 'task' in e && e.task === task && e.host === host);
  return ['a', 'b'].map((h) => [at('task_start', h), at('task_end', h)] as [number, number]).map(([s0, e0]) => {
    expect(s0, `task_start of ${task}`).toBeGreaterThanOrEqual(0);
    expect(e0, `task_end of ${task}`).toBeGreaterThan(s0);
    return [s0, e0];
  });
}

/**
 * Pids of processes whose command line matches `pattern`. pgrep is run directly, never through
 * `sh -c`: that shell's own command line would contain the pattern and match itself.
 */
function processesMatching(pattern: string): string {
  try {
    return execFileSync('pgrep', ['-f', pattern]).toString().trim();
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
}
