// `baton validate` and `baton plan` as a shell runs them: a child process whose exit status is
// what CI scripts test (0 valid, 1 invalid, 64 usage). The outputs in detail are specified in
// apps/cli/src/commands/template-commands.spec.ts.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(__dirname, '../../..');
const TSX = join(REPO, 'node_modules/.bin/tsx');
const FIXTURES = 'libs/tosca/test/fixtures';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function baton$(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(TSX, [join(REPO, 'apps/cli/src/main.ts'), ...args], { cwd: REPO, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('baton validate and baton plan (child process)', () => {
  it('validate exits 0 for a valid template', async () => {
    expect(await baton$(['validate', `${FIXTURES}/ok-hosted.yaml`, '--input', 'count=2'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('validate exits 1 for an invalid one, a file:line:col: error[code]: message line per error', async () => {
    const r = await baton$(['validate', `${FIXTURES}/err-unknown_property.yaml`]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(new RegExp(`^${FIXTURES}/err-unknown_property\\.yaml:\\d+:\\d+: (error|warning)\\[[a-z_]+\\]: .+$`));
    expect(lines.some((l) => l.includes(': error[unknown_property]: '))).toBe(true);
  });

  it('plan --json exits 0 with the plan on stdout, and validate 64 on a usage error', async () => {
    const plan = await baton$(['plan', `${FIXTURES}/ok-hosted.yaml`, '--json', '--input', 'count=1']);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ levels: [['vm_0'], ['app_0']], edges: [{ from: 'app_0', to: 'vm_0', relationship: 'tosca.relationships.HostedOn' }] });
    const usage = await baton$(['validate']);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toMatch(/^usage: baton validate FILE/);
  });
});
