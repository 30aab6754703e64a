// `baton validate` and `baton plan` through their run() entries, on the compiler's fixtures:
// exit codes, the `file:line:col: severity[code]: message` lines, the --json shapes, and inputs
// from --input and --inputs-file. (apps/cli/test/template-compile.int-spec.ts runs the same
// commands as a child process, for the exit status a shell sees.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run as plan } from './plan.command';
import { run as validate } from './validate.command';

const FIXTURES = relative(process.cwd(), join(__dirname, '../../../../libs/tosca/test/fixtures'));
const fixture = (name: string): string => join(FIXTURES, name);
const work = mkdtempSync(join(tmpdir(), 'baton-cli-template-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command with stdout and stderr collected instead of written. */
async function capture(command: (argv: string[]) => Promise<number>, argv: string[]): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await command(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function inputsFile(text: string): string {
  const path = join(work, `inputs-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, text);
  return path;
}

describe('baton validate', () => {
  it('exits 0 for a valid template and says so on stderr (stdout holds only diagnostics)', async () => {
    const file = fixture('ok-hosted.yaml');
    const r = await capture(validate, [file]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: `${file}: valid (0 errors, 0 warnings)\n` });
  });

  it('answers --help with its usage on stdout and exit 0', async () => {
    const r = await capture(validate, ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: baton validate FILE/);
    expect(r.stderr).toBe('');
  });

  it('exits 1 and prints one file:line:col: error[code]: message line per diagnostic', async () => {
    const file = fixture('err-type_mismatch.yaml');
    const r = await capture(validate, [file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${file}: invalid (2 errors, 0 warnings)\n`);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      `${file}:9:23: error[type_mismatch]: "two" is not a valid integer`,
      `${file}:10:23: error[invalid_scalar_unit]: "4 parsecs" is not a valid scalar-unit.size: expected a number and one of the units B, kB, KiB, MB, MiB, GB, GiB, TB, TiB`,
    ]);
  });

  it('prints with --json an array of diagnostics with code, severity, message, file, line, column and path', async () => {
    const file = fixture('err-type_mismatch.yaml');
    const r = await capture(validate, [file, '--json']);
    expect(r.code).toBe(1);
    const diagnostics = JSON.parse(r.stdout) as unknown[];
    expect(diagnostics).toHaveLength(2);
    expect(diagnostics[0]).toMatchObject({
      code: 'type_mismatch',
      severity: 'error',
      message: '"two" is not a valid integer',
      file,
      line: 9,
      column: 23,
      path: 'topology_template.node_templates.server.capabilities.host.properties.num_cpus',
    });
    expect(diagnostics[1]).toMatchObject({ code: 'invalid_scalar_unit', line: 10, column: 23, path: 'topology_template.node_templates.server.capabilities.host.properties.mem_size' });
  });

  it('prints an empty JSON array for a valid template', async () => {
    const r = await capture(validate, [fixture('ok-hosted.yaml'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('reports a missing required input as an error that names it', async () => {
    const file = fixture('err-missing_required_input.yaml');
    const r = await capture(validate, [file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${file}:5:7: error[missing_required_input]: the required input "cpus" has no value and no default\n`);
  });

  it('makes it the warning input_deferred with --defer-inputs, and exits 0', async () => {
    const file = fixture('err-missing_required_input.yaml');
    const r = await capture(validate, [file, '--defer-inputs', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ code: 'input_deferred', severity: 'warning', line: 5, column: 7, path: 'topology_template.inputs.cpus' })]);
  });

  it('refuses --defer-inputs together with --require-inputs as a usage error', async () => {
    const r = await capture(validate, [fixture('err-missing_required_input.yaml'), '--defer-inputs', '--require-inputs']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('usage: baton validate');
  });

  it('checks a value given with --input against the input’s type and constraints', async () => {
    const file = fixture('err-missing_required_input.yaml');
    expect(await capture(validate, [file, '--input', 'cpus=4'])).toMatchObject({ code: 0, stdout: '' });
    const r = await capture(validate, [file, '--input', 'cpus=9', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ code: 'constraint_violation', severity: 'error', path: 'topology_template.inputs.cpus' })]);
  });

  it('reads inputs from --inputs-file, overlaid by --input', async () => {
    const file = fixture('err-missing_required_input.yaml');
    expect((await capture(validate, [file, '--inputs-file', inputsFile('cpus: 2\n')])).code).toBe(0);
    const r = await capture(validate, [file, '--inputs-file', inputsFile('cpus: 2\n'), '--input', 'cpus=9', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ code: 'constraint_violation', path: 'topology_template.inputs.cpus' })]);
  });

  it('answers 64 with the usage line when FILE is missing', async () => {
    const r = await capture(validate, ['--json']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/^usage: baton validate FILE/);
  });
});

interface PlanView {
  nodes: Array<{ id: string; template: string; type: string; index: number }>;
  edges: Array<{ from: string; to: string; relationship: string }>;
  levels: string[][];
  outputs: Record<string, unknown>;
}

describe('baton plan', () => {
  it('prints with --json the nodes, edges, levels and outputs (resolved or deferred) of the instance plan', async () => {
    const r = await capture(plan, [fixture('ok-hosted.yaml'), '--json', '--input', 'count=2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const view = JSON.parse(r.stdout) as PlanView;
    expect(view.nodes).toEqual([
      { id: 'app_0', template: 'app', type: 'tosca.nodes.SoftwareComponent', index: 0 },
      { id: 'app_1', template: 'app', type: 'tosca.nodes.SoftwareComponent', index: 1 },
      { id: 'vm_0', template: 'vm', type: 'tosca.nodes.Compute', index: 0 },
      { id: 'vm_1', template: 'vm', type: 'tosca.nodes.Compute', index: 1 },
    ]);
    expect(view.edges).toEqual([
      { from: 'app_0', to: 'vm_0', relationship: 'tosca.relationships.HostedOn' },
      { from: 'app_1', to: 'vm_1', relationship: 'tosca.relationships.HostedOn' },
    ]);
    expect(view.levels).toEqual([
      ['vm_0', 'vm_1'],
      ['app_0', 'app_1'],
    ]);
    expect(view.outputs).toEqual({
      address: { $deferred: 'concat', args: ['http://', { $deferred: 'get_attribute', entity: 'vm', attribute: 'public_address', keys: [] }, ':', '1.0'] },
      version: 'b',
    });
  });

  it('takes the instance count from --inputs-file, and --input over it', async () => {
    const file = inputsFile('count: 4\n');
    const fromFile = JSON.parse((await capture(plan, [fixture('ok-hosted.yaml'), '--json', '--inputs-file', file])).stdout) as PlanView;
    expect(fromFile.nodes.filter((n) => n.template === 'vm').map((n) => n.index)).toEqual([0, 1, 2, 3]);
    const overlaid = JSON.parse((await capture(plan, [fixture('ok-hosted.yaml'), '--json', '--inputs-file', file, '--input', 'count=1'])).stdout) as PlanView;
    expect(overlaid.levels).toEqual([['vm_0'], ['app_0']]);
  });

  it('uses the input defaults when none is given', async () => {
    const view = JSON.parse((await capture(plan, [fixture('ok-hosted.yaml'), '--json'])).stdout) as PlanView;
    expect(view.levels).toEqual([
      ['vm_0', 'vm_1', 'vm_2'],
      ['app_0', 'app_1', 'app_2'],
    ]);
  });

  it('prints levels, edges and outputs as text without --json', async () => {
    const r = await capture(plan, [fixture('ok-hosted.yaml'), '--input', 'count=1']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual(['level 0: vm_0', 'level 1: app_0', '  app_0 -> vm_0 (tosca.relationships.HostedOn)']);
    expect(r.stdout).toContain('output version = "b"\n');
  });

  it('exits 1 with the diagnostics on stderr and nothing on stdout for an invalid template', async () => {
    const file = fixture('err-missing_required_input.yaml');
    const r = await capture(plan, [file, '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${file}:5:7: error[missing_required_input]: the required input "cpus" has no value and no default\n`);
  });

  it('names the dependency cycle and gives no plan', async () => {
    const file = fixture('err-dependency_cycle.yaml');
    const r = await capture(plan, [file, '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error[dependency_cycle]');
  });
});
