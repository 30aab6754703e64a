// `baton validate` and `baton plan` as a shell runs them: a child process whose exit status is
// what CI scripts test (0 valid, 1 invalid, 64 usage). The outputs in detail are specified in
// apps/cli/src/commands/template-commands.spec.ts.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
    expect(await baton$(['validate', `${FIXTURES}/ok-hosted.yaml`, '--input', 'count=2'])).toEqual({ code: 0, stdout: '', stderr: `${FIXTURES}/ok-hosted.yaml: valid (0 errors, 0 warnings)\n` });
  });

  it('--version prints the package version; validate --help is not a usage error', async () => {
    const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    expect(await baton$(['--version'])).toEqual({ code: 0, stdout: `baton ${version}\n`, stderr: '' });
    const help = await baton$(['validate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: baton validate FILE/);
  });

  it('stops quietly when its reader goes away (`baton plan ... | head -c 100`)', async () => {
    // 900 instances: a JSON plan far larger than a pipe's buffer, so most of it is written after
    // the reader has gone.
    const dir = mkdtempSync(join(tmpdir(), 'baton-epipe-'));
    const file = join(dir, 'wide.yaml');
    const app = (name: string): string => `    ${name}:\n      type: tosca.nodes.SoftwareComponent\n      requirements:\n        - host: vm\n`;
    writeFileSync(
      file,
      `tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n${app('a')}${app('b')}    vm:\n      type: tosca.nodes.Compute\n      capabilities:\n        scalable:\n          properties: { default_instances: 300, max_instances: 300 }\n`,
    );
    try {
      const r = await new Promise<Run>((resolve) => {
        execFile('bash', ['-o', 'pipefail', '-c', `"${TSX}" apps/cli/src/main.ts plan "${file}" --json | head -c 100`], { cwd: REPO, timeout: 120_000 }, (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
        });
      });
      expect(r.stdout).toHaveLength(100);
      expect(r.stdout.startsWith('{')).toBe(true);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
