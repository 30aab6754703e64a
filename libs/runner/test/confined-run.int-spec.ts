// A run as the orchestrator makes it (localhost 'node', files confined to the playbook's folder,
// request values as unsafeVars), tried the way an attacker would: code in an input, connection
// variables in inputs and plays, localhost and connection: local, lookups and src: that lead out
// of the playbook's folder. The node is a real sshd on loopback, logged in to as a non-root user,
// while this process (the "orchestrator") runs as root: `whoami` tells where a command ran.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, inventoryFromServers, runPlaybook, type RunnerEvent, type RunPlaybookOptions } from '@lib/runner';
import { ensureTestUser, startSshd, TEST_USER, type SshdHandle } from './sshd-fixture';

const key = generateKeyPair('confined-spec');
const work = mkdtempSync(join(tmpdir(), 'baton-confined-'));
const artifacts = join(work, 'artifacts');
const secretFile = join(work, 'sealing.key');
const marker = join(work, 'pwned');
let node: SshdHandle;
let dropUser: () => void;

type TaskEnd = Extract<RunnerEvent, { type: 'task_end' }>;

async function confinedRun(playbook: string, unsafeVars: Record<string, unknown> = {}, more: Partial<RunPlaybookOptions> = {}) {
  const path = join(artifacts, 'play.yml');
  writeFileSync(path, playbook);
  const events: TaskEnd[] = [];
  const result = await runPlaybook({
    playbook: path,
    inventory: inventoryFromServers([{ name: '127.0.0.5', address: '127.0.0.5', port: node.port, user: TEST_USER, privateKey: key.privateKey }]),
    unsafeVars,
    localhost: 'node',
    confineFiles: [artifacts],
    connectDeadlineMs: 5_000,
    onEvent: (e) => void (e.type === 'task_end' && events.push(e)),
    ...more,
  });
  return { result, events, byName: (name: string) => events.find((e) => e.task === name) };
}

beforeAll(async () => {
  dropUser = ensureTestUser();
  node = await startSshd('127.0.0.5', key);
  mkdirSync(join(artifacts, 'files'), { recursive: true });
  writeFileSync(secretFile, 'SEALING-KEY-0123456789\n');
  writeFileSync(join(artifacts, 'files', 'motd'), 'welcome\n');
  symlinkSync(secretFile, join(artifacts, 'files', 'innocent.txt'));
}, 60_000);

afterAll(async () => {
  await node?.stop();
  dropUser?.();
  rmSync(work, { recursive: true, force: true });
  execFileSync('sh', ['-c', `rm -f /tmp/confined-spec-*`]);
});

describe.skipIf(process.getuid?.() !== 0)('a confined run (the orchestrator\'s)', () => {
  it('runs localhost, connection: local and delegate_to: localhost on the node, never here', async () => {
    const { result, byName } = await confinedRun(`
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: who
      command: whoami
      register: who
    - name: delegated
      command: whoami
      delegate_to: localhost
      register: delegated
    - name: report
      debug: { msg: "{{ who.stdout }} {{ delegated.stdout }}" }
`);
    expect(result.exitCode).toBe(0);
    expect(byName('report')?.result.msg).toBe(`${TEST_USER} ${TEST_USER}`);
  });

  it('reaches the node at the inventory\'s address whatever inputs, plays and set_fact say', async () => {
    const { result, byName } = await confinedRun(`
- hosts: all
  gather_facts: false
  vars: { ansible_connection: local, ansible_user: root, ansible_port: 1 }
  tasks:
    - name: redirect
      set_fact: { ansible_host: 127.0.0.1, ansible_ssh_private_key_file: ${secretFile} }
    - name: who
      command: whoami
      register: who
    - name: report
      debug: { msg: "{{ who.stdout }}" }
`, { ansible_connection: 'local', ansible_host: '127.0.0.1', ansible_port: 5432, baton_bastion: { host: '127.0.0.1', port: 6379 } });
    expect(result.exitCode).toBe(0);
    expect(byName('report')?.result.msg).toBe(TEST_USER);
  });

  it('never templates an input: the RCE payload of issue 8 is a literal user name', async () => {
    const payload = `{{ (['a'] | map(attribute='constructor.constructor') | first)("global.process.mainModule.require('fs').writeFileSync('${marker}', 'x')")() }}`;
    const { byName } = await confinedRun(`
- hosts: all
  gather_facts: false
  vars: { os_users: [] }
  tasks:
    - name: each user
      debug: { msg: "user {{ item.os_user_name }}" }
      loop: "{{ os_users }}"
    - name: facts too
      set_fact: { copied: "{{ os_users[0].os_user_name }}" }
    - name: copied
      debug: { msg: "{{ copied }}" }
`, { os_users: [{ os_user_name: payload }] });
    expect(existsSync(marker)).toBe(false);
    expect((byName('each user')?.result.results as Array<{ msg: string }>)[0].msg).toBe(`user ${payload}`);
    expect(byName('copied')?.result.msg).toBe(payload);
  });

  it('refuses lookups of this machine\'s files and environment, and src: leading out', async () => {
    const { events, byName } = await confinedRun(`
- hosts: all
  gather_facts: false
  tasks:
    - { name: key, debug: { msg: "{{ lookup('file', '${secretFile}') }}" }, ignore_errors: true }
    - { name: env, debug: { msg: "{{ lookup('env', 'PATH') }}" }, ignore_errors: true }
    - { name: dotdot, copy: { src: ../sealing.key, dest: /tmp/confined-spec-dotdot }, ignore_errors: true }
    - { name: absolute, copy: { src: '${secretFile}', dest: /tmp/confined-spec-abs }, ignore_errors: true }
    - { name: link, copy: { src: innocent.txt, dest: /tmp/confined-spec-link }, ignore_errors: true }
    - { name: own file, copy: { src: motd, dest: /tmp/confined-spec-motd } }
`);
    expect(byName('key')?.result.msg).toMatch(/absolute path outside the playbook's folder is refused/);
    expect(byName('env')?.result.msg).toMatch(/orchestrator's own environment/);
    expect(byName('dotdot')?.result.msg).toMatch(/'\.\.' is refused/);
    expect(byName('absolute')?.result.msg).toMatch(/absolute path outside/);
    expect(byName('link')?.result.msg).toMatch(/through a symbolic link/);
    expect(byName('own file')?.status).toBe('changed');
    expect(JSON.stringify(events)).not.toContain('SEALING-KEY');
    for (const f of ['dotdot', 'abs', 'link']) expect(existsSync(`/tmp/confined-spec-${f}`)).toBe(false);
  });
});
