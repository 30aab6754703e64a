// `baton playbook` as a user runs it: a child process against a real OpenSSH sshd on loopback,
// printing Ansible's recap and exiting as ansible-playbook does (0 ok, 2 failed host,
// 4 unreachable host or bad playbook).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '@lib/runner';
import { ensureTestUser, freePort, startSshd, TEST_USER, type SshdHandle } from '../../../libs/runner/test/sshd-fixture';

const REPO = join(__dirname, '../../..');
const TSX = join(REPO, 'node_modules/.bin/tsx');
const work = mkdtempSync(join(tmpdir(), 'baton-cli-playbook-'));
const key = generateKeyPair('cli-playbook');
let sshd: SshdHandle;
let dropUser: () => void;
let inventory: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `baton`; host keys go to a file of this test unless the arguments name one. */
function baton$(args: string[]): Promise<Run> {
  const known = args.includes('--known-hosts') ? [] : ['--known-hosts', join(work, 'known_hosts.json')];
  return new Promise((resolve) => {
    execFile(TSX, [join(REPO, 'apps/cli/src/main.ts'), ...args, ...known], { cwd: REPO, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

const PLAYBOOK = `- hosts: "{{ target | default('up') }}"
  gather_facts: false
  tasks:
    - name: run the command
      command: "{{ cmd }}"
    - name: write a marker
      copy: content="{{ cmd }}\\n" dest=${work}/marker-{{ cmd }}
`;

beforeAll(async () => {
  dropUser = ensureTestUser();
  sshd = await startSshd('127.0.0.5', key);
  const keyFile = file('id_ed25519', key.privateKey);
  const deadPort = await freePort('127.0.0.6');
  inventory = file(
    'hosts.ini',
    `up ansible_host=${sshd.address} ansible_port=${sshd.port} ansible_user=${TEST_USER} ansible_ssh_private_key_file=${keyFile}\n` +
      `down ansible_host=127.0.0.6 ansible_port=${deadPort} ansible_user=${TEST_USER} ansible_ssh_private_key_file=${keyFile}\n`,
  );
  // The test user writes the markers.
  execFileSync('chmod', ['0777', work]);
}, 60_000);

afterAll(async () => {
  await sshd?.stop();
  dropUser?.();
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(process.getuid?.() !== 0)('baton playbook', () => {
  it('exits 0 and prints the recap when every host succeeds; --check changes nothing', async () => {
    const pb = file('site.yml', PLAYBOOK);
    const ok = await baton$(['playbook', pb, '-i', inventory, '-e', 'cmd=true', '--forks', '2']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/PLAY RECAP \*+/);
    expect(ok.stdout).toMatch(/^up\s+: ok=2\s+changed=2\s+unreachable=0\s+failed=0\s+skipped=0\s+rescued=0\s+ignored=0/m);
    // The real run wrote its marker, so the path is writable and an absent marker below means something.
    expect(readFileSync(join(work, 'marker-true'), 'utf8')).toBe('true\n');

    const checked = await baton$(['playbook', pb, '-i', inventory, '-e', 'cmd=false', '--check']);
    expect(checked.code, checked.stdout).toBe(0);
    expect(checked.stdout).toMatch(/^up\s+: ok=1\s+changed=1\s+unreachable=0\s+failed=0\s+skipped=1/m);
    expect(existsSync(join(work, 'marker-false'))).toBe(false);
  });

  it('exits 2 when a host fails and 4 when a host is unreachable', async () => {
    const pb = file('site.yml', PLAYBOOK);
    const failed = await baton$(['playbook', pb, '-i', inventory, '-e', 'cmd=false']);
    expect(failed.code, failed.stdout).toBe(2);
    expect(failed.stdout).toMatch(/^up\s+: ok=0\s+changed=0\s+unreachable=0\s+failed=1/m);

    const unreachable = await baton$(['playbook', pb, '-i', inventory, '-e', 'cmd=true', '-e', 'target=all']);
    expect(unreachable.code, unreachable.stdout).toBe(4);
    expect(unreachable.stdout).toMatch(/^down\s+: ok=0\s+changed=0\s+unreachable=1\s+failed=0/m);
    expect(unreachable.stdout).toMatch(/^up\s+: ok=2\s+changed=1/m);
  });

  it('exits 4 for a playbook naming an unsupported module, before running anything', async () => {
    const pb = file('bad.yml', '- hosts: up\n  tasks:\n    - name: not here\n      docker_container: name=x\n');
    const bad = await baton$(['playbook', pb, '-i', inventory]);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/docker_container/);
  });

  it('remembers host keys between runs: a changed host key makes the host unreachable', async () => {
    const known = join(work, 'known-hosts-rotate.json');
    const own = await startSshd('127.0.0.7', key);
    try {
      const inv = file('rotate.ini', `rot ansible_host=${own.address} ansible_port=${own.port} ansible_user=${TEST_USER} ansible_ssh_private_key_file=${join(work, 'id_ed25519')}\n`);
      const pb = file('rotate.yml', '- hosts: rot\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
      const first = await baton$(['playbook', pb, '-i', inv, '--known-hosts', known]);
      expect(first.code, first.stdout + first.stderr).toBe(0);
      expect(JSON.parse(readFileSync(known, 'utf8'))).toEqual({ [`${own.address}:${own.port}`]: own.hostKeyFingerprint });

      // The same address and port, a new host key (a reinstalled host, or a man in the middle).
      const port = own.port;
      await own.stop();
      const rotated = await startSshd('127.0.0.7', key, port);
      try {
        expect(rotated.hostKeyFingerprint).not.toBe(own.hostKeyFingerprint);
        const second = await baton$(['playbook', pb, '-i', inv, '--known-hosts', known]);
        expect(second.code, second.stdout + second.stderr).toBe(4);
        expect(second.stdout).toMatch(/^fatal: \[rot\]: UNREACHABLE! => .*host key of 127\.0\.0\.7:\d+ changed since it was first trusted/m);
        expect(second.stdout).toMatch(/^rot\s+: ok=0\s+changed=0\s+unreachable=1\s+failed=0/m);
        // The trusted key is kept, not replaced by the new one.
        expect(JSON.parse(readFileSync(known, 'utf8'))).toEqual({ [`127.0.0.7:${port}`]: own.hostKeyFingerprint });
      } finally {
        await rotated.stop();
      }
    } finally {
      await own.stop();
    }
  });
});
