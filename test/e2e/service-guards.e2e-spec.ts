// Issue 8, finding 9, over HTTP:
// - with auth off, a `Host` other than a loopback name or the service's own is refused (421): a
//   web page that rebinds its name to 127.0.0.1 cannot drive a developer's local baton;
// - BATON_READ_RULE=owner: with two users of the real OpenID provider, the other user gets 404 on
//   every read of the owner's deployment, a member of its userGroup reads it (the default rule,
//   any user of the issuer, is asserted in auth.e2e-spec.ts);
// - `baton serve` (its own process) exits within BATON_SHUTDOWN_DEADLINE_MS of SIGTERM while the
//   store is busy: a transaction of the test holds the deployments table and a request waits on it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcEnv, startBaton, type RunningBaton } from './support/baton.harness';
import { request, waitFor } from './support/http.client';
import { startTestIssuer, type TestIssuer } from './support/issuer.harness';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database';

const PG_ADMIN = process.env.BATON_E2E_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REPO = join(__dirname, '../..');
const ONE_VM = `tosca_definitions_version: tosca_simple_yaml_1_0
topology_template:
  node_templates:
    vm:
      type: tosca.nodes.Compute
`;

/** GET with a `Host` header of our choice (fetch does not let a caller set it). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('auth off: the Host header', () => {
  let baton: RunningBaton;
  beforeAll(async () => {
    baton = await startBaton();
  }, 300_000);
  afterAll(async () => baton?.close(), 120_000);

  it('serves loopback names and refuses any other with 421 and the reason (DNS rebinding)', async () => {
    const port = new URL(baton.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `app.localhost:${port}`]) {
      expect((await getWithHost(`${baton.url}/deployments`, host)).status, host).toBe(200);
    }
    for (const host of [`rebind.attacker.example:${port}`, 'rebind.attacker.example', `192.168.1.5:${port}`]) {
      const answer = await getWithHost(`${baton.url}/deployments`, host);
      expect(answer.status, host).toBe(421);
      const body = JSON.parse(answer.body) as { message: string };
      expect(body.message).toContain('with authentication off, baton answers only to loopback names');
      expect(body.message).toContain('BATON_PUBLIC_URL');
    }
  });
});

describe('BATON_READ_RULE=owner', () => {
  let idp: TestIssuer;
  let baton: RunningBaton;
  beforeAll(async () => {
    idp = await startTestIssuer();
    baton = await startBaton({ ...oidcEnv(idp), BATON_READ_RULE: 'owner' });
  }, 300_000);
  afterAll(async () => {
    await baton?.close();
    await idp?.close();
  }, 120_000);

  it('shows a deployment to its owner and its userGroup, and to another user of the issuer not at all (404)', async () => {
    const alice = await idp.mintToken({ sub: 'alice', groups: ['cms'] });
    const bob = await idp.mintToken({ sub: 'bob', groups: ['atlas'] });
    const carol = await idp.mintToken({ sub: 'carol', groups: ['cms'] });
    const created = await request('POST', `${baton.url}/deployments`, { authorization: `Bearer ${alice}`, body: { template: ONE_VM, userGroup: 'cms' } });
    expect(created.status, created.text).toBe(201);
    const id = (created.json as { uuid: string }).uuid;
    const reads = [`/deployments/${id}`, `/deployments/${id}/template`, `/deployments/${id}/resources`];
    for (const path of reads) {
      expect((await request('GET', `${baton.url}${path}`, { authorization: `Bearer ${alice}` })).status, path).toBe(200);
      expect((await request('GET', `${baton.url}${path}`, { authorization: `Bearer ${carol}` })).status, path).toBe(200);
      const refused = await request('GET', `${baton.url}${path}`, { authorization: `Bearer ${bob}` });
      expect(refused.status, path).toBe(404);
      expect((refused.json as { message: string }).message).toBe(`The deployment ${id} doesn't exist`);
    }
    // Writes stay the owner's: bob learns nothing more from a DELETE than from a GET.
    expect((await request('DELETE', `${baton.url}/deployments/${id}`, { authorization: `Bearer ${bob}` })).status).toBe(404);
  });
});

describe('shutdown deadline', () => {
  let db: ScratchDatabase;
  let child: ChildProcess | undefined;
  let holder: Client | undefined;
  beforeAll(async () => {
    db = await createScratchDatabase(PG_ADMIN, 'baton_e2e_shutdown');
  }, 60_000);
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await holder?.query('ROLLBACK').catch(() => undefined);
    await holder?.end().catch(() => undefined);
    await db?.drop();
  }, 60_000);

  it('SIGTERM ends `baton serve` within BATON_SHUTDOWN_DEADLINE_MS while the store is held, and says what had not closed', async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: db.url,
      BATON_SECRET_KEY: randomBytes(32).toString('base64'),
      BATON_LISTEN: '127.0.0.1:0',
      BATON_SHUTDOWN_TIMEOUT_MS: '1000',
      BATON_SHUTDOWN_DEADLINE_MS: '4000',
      BATON_LOG_LEVEL: 'warn',
    };
    const proc = spawn(join(REPO, 'node_modules/.bin/tsx'), [join(REPO, 'apps/cli/src/main.ts'), 'serve', '--no-dashboard'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => proc.once('exit', (code) => resolve({ code, at: Date.now() })));
    const url = await waitFor('baton listening', async () => {
      if (proc.exitCode !== null) throw new Error(`baton serve exited early:\n${stderr}`);
      return /baton listening on (\S+)/.exec(stdout)?.[1];
    }, 240_000, 100);

    // The store is busy: the test holds the deployments table, and a request waits on it.
    holder = new Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE deployments IN ACCESS EXCLUSIVE MODE');
    const waiting = request('GET', `${url}/deployments/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}`, { timeoutMs: 120_000 }).catch((e: unknown) => e);
    await waitFor('a query waiting on the lock', async () => {
      const r = await holder!.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
      return (r.rows[0] as { n: number }).n > 0 ? true : undefined;
    }, 30_000, 100);

    const sentAt = Date.now();
    proc.kill('SIGTERM');
    const outcome = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
    expect(outcome, `still running 60 s after SIGTERM:\n${stderr.slice(-2000)}`).not.toBeNull();
    expect(outcome!.code).toBe(1);
    // 4 s of deadline; the rest is a loaded machine's margin, far below the "never" of before.
    expect(outcome!.at - sentAt).toBeLessThan(20_000);
    expect(stderr).toMatch(/baton serve: the shutdown deadline of 4000 ms \(BATON_SHUTDOWN_DEADLINE_MS\) passed while closing .+; exiting/);
    await waiting;
  }, 300_000);
});
