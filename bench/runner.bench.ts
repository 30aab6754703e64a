// npm run bench:runner — the same playbooks run by libs/runner and by ansible-playbook against
// real OpenSSH sshd's on loopback addresses (HOSTS hosts, forks 20), from a clean state each time:
// (a) flat: TASKS tasks of command, copy, template and lineinfile in turn; (b) role: a
// real-world-shaped role (bench-role.ts: defaults, vars, a meta dependency with parameters, bare
// includes, templates, loops, handlers, 30+ tasks). Prints both wall times and the ratio of
// each. BENCH_HOSTS / BENCH_TASKS change the size (defaults 20 × 30).
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateKeyPair, parseInventory, runPlaybook } from '@lib/runner';
import { ensureTestUser, startSshd, TEST_USER, type SshdHandle } from '../libs/runner/test/sshd-fixture';
import { writeBenchRole } from './bench-role';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 20);
const TASKS = Number(process.env.BENCH_TASKS ?? 30);
const FORKS = 20;
const run = promisify(execFile);

function playbookText(): string {
  const tasks: string[] = [];
  for (let i = 0; i < TASKS; i++) {
    const dir = `{{ work }}/{{ inventory_hostname }}`;
    switch (i % 4) {
      case 0:
        tasks.push(`    - name: command ${i}\n      command: mkdir -p ${dir}/d${i}`);
        break;
      case 1:
        tasks.push(`    - name: copy ${i}\n      copy:\n        content: "file ${i} for {{ inventory_hostname }}\\n"\n        dest: "${dir}/copy${i}.txt"\n        mode: "0644"`);
        break;
      case 2:
        tasks.push(`    - name: template ${i}\n      template:\n        src: page.j2\n        dest: "${dir}/tpl${i}.txt"`);
        break;
      default:
        tasks.push(`    - name: lineinfile ${i}\n      lineinfile:\n        path: "${dir}/conf.txt"\n        line: "key${i}=value{{ ${i} * 2 }}"\n        create: true`);
    }
  }
  return `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: host dir\n      file: path={{ work }}/{{ inventory_hostname }} state=directory\n${tasks.join('\n')}\n`;
}

async function main(): Promise<void> {
  const dropUser = ensureTestUser();
  const key = generateKeyPair('bench');
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  // The hosts log in as the test user, who must reach the output folder inside.
  chmodSync(dir, 0o755);
  const work = join(dir, 'out');
  execFileSync('install', ['-d', '-o', TEST_USER, work]);
  const keyFile = join(dir, 'id_ed25519');
  writeFileSync(keyFile, key.privateKey, { mode: 0o600 });
  writeFileSync(join(dir, 'page.j2'), '{% for i in range(5) %}\nline {{ i }} on {{ inventory_hostname }}\n{% endfor %}\n');
  writeFileSync(join(dir, 'site.yml'), playbookText());
  const sshds: SshdHandle[] = [];
  try {
    for (let i = 0; i < HOSTS; i += 5) {
      sshds.push(...(await Promise.all(Array.from({ length: Math.min(5, HOSTS - i) }, (_, j) => startSshd(`127.0.1.${i + j + 1}`, key)))));
    }
    const inventory = sshds.map((s, i) => `h${i + 1} ansible_host=${s.address} ansible_port=${s.port}`).join('\n');
    writeFileSync(join(dir, 'hosts.ini'), `${inventory}\n[all:vars]\nansible_user=${TEST_USER}\nansible_ssh_private_key_file=${keyFile}\nwork=${work}\n`);
    const clean = () => execFileSync('sh', ['-c', `rm -rf ${work}/*`]);

    writeBenchRole(dir);
    const lines = [`runner bench: ${HOSTS} hosts, forks ${FORKS}`];
    for (const [label, file] of [[`(a) flat, ${TASKS + 1} tasks`, 'site.yml'], ['(b) role', 'role.yml']]) {
      clean();
      let t0 = Date.now();
      let firstFailure = '';
      let tasks = 0;
      const ours = await runPlaybook({
        playbook: join(dir, file),
        inventory: parseInventory(join(dir, 'hosts.ini')),
        forks: FORKS,
        onEvent: (e) => {
          if (e.type === 'task_end' && e.host === 'h1') tasks++;
          if (e.type === 'task_end' && e.status !== 'ok' && e.status !== 'changed' && e.status !== 'skipped') firstFailure ||= `${e.host} ${e.task}: ${e.msg ?? JSON.stringify(e.result)}`;
        },
      });
      const oursSeconds = (Date.now() - t0) / 1000;
      if (!ours.ok) throw new Error(`runner failed on ${file} (${firstFailure}): ${JSON.stringify(ours.recap.h1)}`);

      clean();
      t0 = Date.now();
      const ansible = await run('ansible-playbook', ['-i', join(dir, 'hosts.ini'), join(dir, file), '-f', String(FORKS)], {
        cwd: dir,
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_PIPELINING: 'True', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: 'False', ANSIBLE_DEPRECATION_WARNINGS: 'False' },
      });
      const ansibleSeconds = (Date.now() - t0) / 1000;
      const recapLine = ansible.stdout.split('\n').find((l) => l.startsWith('h1 '));
      const ratio = ansibleSeconds / oursSeconds;
      lines.push(
        `${label}: ${tasks} task results per host`,
        `  libs/runner       ${oursSeconds.toFixed(1)} s   (h1: ok=${ours.recap.h1.ok} changed=${ours.recap.h1.changed} skipped=${ours.recap.h1.skipped})`,
        `  ansible-playbook  ${ansibleSeconds.toFixed(1)} s   (${recapLine?.replace(/\s+/g, ' ').trim()})`,
        `  ratio             ${ratio.toFixed(2)}x ${ratio >= 3 ? '(target >= 3x met)' : '(target >= 3x NOT met)'}`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await Promise.all(sshds.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
    dropUser();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
