// The command-line client as a CI pipeline uses it: a real child process, the orchestrator's
// URL and an IAM access token from the environment (baton's names or orchent's), a real OpenID
// provider, and exit codes a pipeline can branch on.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcEnv, startBaton, type RunningBaton } from './support/baton.harness';
import { request } from './support/http.client';
import { startTestIssuer, type TestIssuer } from './support/issuer.harness';

const REPO = join(__dirname, '../..');
const TSX = join(REPO, 'node_modules/.bin/tsx');
const TEMPLATE = join(REPO, 'templates/virtual-machines.yaml');

let idp: TestIssuer;
let baton: RunningBaton;
let token: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `baton ARGS...` in a child process with only the given variables (and PATH) set. */
function baton$(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(TSX, [join(REPO, 'apps/cli/src/main.ts'), ...args], { cwd: REPO, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 180_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  idp = await startTestIssuer();
  baton = await startBaton(oidcEnv(idp));
  token = await idp.mintToken({ sub: 'ci-bot', groups: ['ci'] });
}, 600_000);

afterAll(async () => {
  await baton?.close();
  await idp?.close();
}, 120_000);

describe('baton deployments (the CLI for pipelines)', () => {
  it('creates and waits, lists, reads outputs and log, scales, deletes and waits', async () => {
    const env = { BATON_URL: baton.url, BATON_TOKEN: token };
    const created = await baton$(['deployments', 'create', TEMPLATE, '--input', 'count=2', '--wait', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const deployment = JSON.parse(created.stdout) as { uuid: string; status: string; outputs: { private_addresses: string[] } };
    // Named before the wait, so a pipeline killed meanwhile still knows what to delete.
    expect(created.stderr).toContain(`created ${deployment.uuid}, waiting`);
    expect(deployment.status).toBe('CREATE_COMPLETE');
    expect(deployment.outputs.private_addresses).toHaveLength(2);

    // orchent's variable names work as they are.
    const listed = await baton$(['deployments', 'list'], { ORCHENT_URL: `${baton.url}/`, ORCHENT_TOKEN: token });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${deployment.uuid}\\s+CREATE_COMPLETE`, 'm'));

    const outputs = await baton$(['deployments', 'outputs', deployment.uuid], env);
    expect(JSON.parse(outputs.stdout)).toEqual(deployment.outputs);

    const log = await baton$(['deployments', 'log', deployment.uuid], env);
    expect(log.code).toBe(0);
    expect(log.stdout).toContain('CREATE_COMPLETE');
    // --follow of a settled deployment prints the same log and returns instead of hanging.
    const followed = await baton$(['deployments', 'log', deployment.uuid, '--follow'], env);
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout.trimEnd()).toBe(log.stdout.trimEnd());
    expect(followed.stderr).toContain('settled: CREATE_COMPLETE');

    const updated = await baton$(['deployments', 'update', deployment.uuid, TEMPLATE, '--input', 'count=3', '--wait', '--json'], env);
    expect(updated.code, updated.stderr).toBe(0);
    const after = JSON.parse(updated.stdout) as { status: string; outputs: { private_addresses: string[] } };
    expect(after.status).toBe('UPDATE_COMPLETE');
    expect(after.outputs.private_addresses).toHaveLength(3);

    const deleted = await baton$(['deployments', 'delete', deployment.uuid, '--wait'], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stderr).toContain(`${deployment.uuid} deleted`);
    expect((await request('GET', `${baton.url}/deployments/${deployment.uuid}`, { authorization: `Bearer ${token}` })).status).toBe(404);
  }, 300_000);

  it('says so when the caller has no deployments, and follows a log until the update settles', async () => {
    const newcomer = await idp.mintToken({ sub: 'newcomer', groups: ['ci'] });
    const empty = await baton$(['deployments', 'list'], { BATON_URL: baton.url, BATON_TOKEN: newcomer });
    expect(empty).toMatchObject({ code: 0, stdout: '' });
    expect(empty.stderr).toContain('you have no deployments');

    const env = { BATON_URL: baton.url, BATON_TOKEN: newcomer };
    const created = await baton$(['deployments', 'create', TEMPLATE, '--input', 'count=1', '--json'], env);
    const { uuid } = JSON.parse(created.stdout) as { uuid: string };
    // Started while the create is under way: it ends by itself once the deployment settles.
    const followed = await baton$(['deployments', 'log', uuid, '--follow'], env);
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stderr).toMatch(/settled: CREATE_COMPLETE/);
    expect(followed.stdout).toContain('CREATE_COMPLETE');
    expect((await baton$(['deployments', 'delete', uuid, '--wait'], env)).code).toBe(0);
  }, 300_000);

  it('fails a pipeline step with the API’s own message: no token, a template with errors, an unknown id', async () => {
    const noToken = await baton$(['deployments', 'list'], { BATON_URL: baton.url });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('401');

    const env = { BATON_URL: baton.url, BATON_TOKEN: token };
    const bad = await baton$(['deployments', 'create', TEMPLATE, '--input', 'count=0'], env);
    expect(bad.code).toBe(1);
    // Every diagnostic, with its code, line and column and where in the template it is.
    expect(bad.stderr).toMatch(/template\.yaml:\d+:\d+ error\[constraint_violation\] .*in_range.*\(at topology_template\.inputs\.count\)/);
    expect(bad.stderr).not.toContain(token);

    const unknown = await baton$(['deployments', 'show', '00000000-0000-0000-0000-000000000000'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('404');
  }, 120_000);

  it('answers a wrong command line with its usage and exit code 64, and a bad URL with 78', async () => {
    expect((await baton$(['deployments', 'launch'], {})).code).toBe(64);
    expect((await baton$(['deployments', 'show'], {})).code).toBe(64);
    expect((await baton$(['deployments', 'create', TEMPLATE, '--wait-minutes', 'soon'], { BATON_URL: baton.url })).code).toBe(64);
    const badUrl = await baton$(['deployments', 'list'], { BATON_URL: 'ftp://x', BATON_TOKEN: 'do-not-echo' });
    expect(badUrl.code).toBe(78);
    expect(badUrl.stderr).toContain('BATON_URL');
    expect(badUrl.stderr).not.toContain('do-not-echo');
  }, 120_000);
});
