// Secret inputs over HTTP (issue 5): an input of `type: password` or with a secret-looking name
// (one rule, isSecretInput of libs/tosca) is never returned or logged. A deployment whose outputs and
// undeclared parameters carry secrets reaches CREATE_COMPLETE, and not one secret value appears
// in GET /deployments (list and one), /template, /log, /extrainfo, /resources, any callback, or
// the service process's own stdout and stderr. The service is `baton serve` in a child process
// of its own, at the most verbose log level, so that everything it prints is captured.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcEnv } from './support/baton.harness';
import { request, waitFor } from './support/http.client';
import { startTestIssuer, type TestIssuer } from './support/issuer.harness';

const SECRETS = { db_password: 'Pw-4711-never-shown', app_credential: 'Key-0815-never-shown', extra_token: 'Tok-2342-never-shown', access_code: 'Code-9001-never-shown' };
const TEMPLATE = `tosca_definitions_version: tosca_simple_yaml_1_0
topology_template:
  inputs:
    db_password:
      type: string
    app_credential:
      type: string
    access_code:
      type: password
    label:
      type: string
  node_templates:
    vm:
      type: tosca.nodes.Compute
  outputs:
    db:
      value: { get_input: db_password }
    key:
      value: { concat: [ 'key=', { get_input: app_credential } ] }
    code:
      value: { get_input: access_code }
    label:
      value: { get_input: label }
`;

const REPO = join(__dirname, '../..');
const TSX = join(REPO, 'node_modules/.bin/tsx');

let idp: TestIssuer;
let service: ChildProcess | undefined;
let url = '';
let callbacks: Server;
const bodies: string[] = [];
/** Everything the service process wrote. */
const output = { stdout: '', stderr: '' };

/** `baton serve` as `npm start` runs it, with only these variables (and PATH); resolves with its URL. */
function startService(env: Record<string, string>): Promise<string> {
  service = spawn(TSX, [join(REPO, 'apps/cli/src/main.ts'), 'serve'], { cwd: REPO, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const child = service;
  child.stdout!.on('data', (c: Buffer) => (output.stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output.stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const listening = (): void => {
      const m = /baton listening on (\S+)/.exec(output.stdout);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', listening);
    child.once('exit', (code) => reject(new Error(`baton serve exited (${String(code)}) before listening:\n${output.stderr}`)));
  });
}

beforeAll(async () => {
  callbacks = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      bodies.push(data);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => callbacks.listen(0, '127.0.0.1', () => r()));
  idp = await startTestIssuer();
  url = await startService({ ...oidcEnv(idp), BATON_CALLBACK_PRIVATE_NETWORKS: '127.0.0.0/8', BATON_LISTEN: '127.0.0.1:0', BATON_DATA_DIR: 'memory://', BATON_LOG_LEVEL: 'trace' });
}, 300_000);

afterAll(async () => {
  const child = service;
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await idp?.close();
  await new Promise<void>((r) => callbacks.close(() => r()));
}, 120_000);

describe('secret inputs', () => {
  it('never appear in a response, the log or a callback', async () => {
    const token = await idp.mintToken({ sub: 'alice', groups: ['cms'] });
    const get = (path: string) => request('GET', `${url}${path}`, { authorization: `Bearer ${token}` });
    const port = (callbacks.address() as { port: number }).port;
    const created = await request('POST', `${url}/deployments`, {
      authorization: `Bearer ${token}`,
      body: { template: TEMPLATE, parameters: { ...SECRETS, label: 'visible-label' }, userGroup: 'cms', callback: `http://127.0.0.1:${port}/cb` },
    });
    expect(created.status, created.text).toBe(201);
    const id = (created.json as { uuid: string }).uuid;
    const done = await waitFor('CREATE_COMPLETE', async () => {
      const d = (await get(`/deployments/${id}`)).json as { status: string; statusReason?: string; outputs: Record<string, unknown> };
      if (d.status === 'CREATE_FAILED') throw new Error(d.statusReason);
      return d.status === 'CREATE_COMPLETE' ? d : undefined;
    }, 120_000, 300);
    // The plain input comes through, so this test would see a secret if one came through.
    expect(done.outputs.label).toBe('visible-label');
    expect(done.outputs.db).toBe('****');
    // Computed from a secret (concat): masked whole, since a fragment would not match.
    expect(done.outputs.key).toBe('****');
    expect(done.outputs.code).toBe('****');
    await waitFor('the completion callback', async () => (bodies.some((b) => b.includes('CREATE_COMPLETE')) ? true : undefined), 30_000);

    const answers = await Promise.all(
      [`/deployments/${id}`, '/deployments', `/deployments/${id}/template`, `/deployments/${id}/log`, `/deployments/${id}/extrainfo`, `/deployments/${id}/resources`].map(get),
    );
    for (const a of answers) expect(a.status, a.text).toBe(200);
    expect(answers[3].text).toContain('CREATE_COMPLETE');
    const seen = [...answers.map((a) => a.text), ...bodies];
    for (const value of Object.values(SECRETS)) {
      for (const text of seen) expect(text).not.toContain(value);
    }

    // The process's own output: it did log this deployment (so the capture works), and no secret
    // value, nor the caller's token, nor the OIDC client secret, is in it.
    expect(output.stderr).toContain(id);
    for (const value of [...Object.values(SECRETS), token, idp.client.secret]) {
      expect(output.stdout).not.toContain(value);
      expect(output.stderr).not.toContain(value);
    }
  }, 180_000);
});
