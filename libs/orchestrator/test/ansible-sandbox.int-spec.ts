// The confinement of ansible-playbook runs (src/ansible/sandbox.ts): a playbook that reads a file
// of the orchestrator host on the controller (`hosts: localhost`, a `file` lookup, `pipe`, `env`)
// sees only the run's work folder. The same run unconfined reads it, so the test would catch a leak.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunnerEvent } from '@lib/runner';
import { afterAll, describe, expect, it } from 'vitest';
import { runWithAnsible } from '../src/ansible/ansible-playbook.executor';

// A file of the orchestrator host, outside any run's work folder (this repository's package.json).
const HOST_FILE = resolve(__dirname, '../../../package.json');
const root = mkdtempSync(join(tmpdir(), 'baton-sandbox-spec-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function readHostFile(sandbox: boolean): Promise<{ ok: boolean; events: RunnerEvent[] }> {
  const workDir = mkdtempSync(join(root, 'run-'));
  writeFileSync(
    join(workDir, 'site.yml'),
    `- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: read a file of the orchestrator
      debug: msg="{{ lookup('file', '${HOST_FILE}') | length }}"
    - name: list the orchestrator's processes
      debug: msg="{{ lookup('pipe', 'ls /proc | wc -l') }}"
`,
  );
  const events: RunnerEvent[] = [];
  const result = await runWithAnsible({
    workDir,
    playbookPath: join(workDir, 'site.yml'),
    inventory: { hosts: { localhost: { ansible_connection: 'local', ansible_python_interpreter: '/usr/bin/python3' } }, groups: {}, all: {} },
    target: 'localhost',
    privateKey: 'not a key',
    extraVars: {},
    signal: AbortSignal.timeout(120_000),
    timeoutMs: 120_000,
    sandbox,
    onEvent: (e) => events.push(e),
    onLine: () => undefined,
  });
  return { ok: result.ok, events };
}

describe('ansible-playbook confined by bubblewrap', () => {
  it('cannot read a file of the orchestrator host; unconfined, the same playbook can', async () => {
    const confined = await readHostFile(true);
    expect(confined.ok).toBe(false);
    const failed = confined.events.find((e) => e.type === 'task_end' && e.status === 'failed');
    expect(failed).toMatchObject({ task: 'read a file of the orchestrator', host: 'localhost' });
    expect(JSON.stringify(failed)).toContain('could not locate file');

    const open = await readHostFile(false);
    expect(open.ok).toBe(true);
    const read = open.events.find((e) => e.type === 'task_end' && e.task === 'read a file of the orchestrator');
    expect(Number((read as unknown as { result: { msg: string } }).result.msg)).toBeGreaterThan(100);
  }, 240_000);
});
