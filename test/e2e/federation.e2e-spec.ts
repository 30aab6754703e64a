// Issue 5, Keystone federation over HTTP: a cloud configured with `auth.method: oidc` holds no
// credentials of its own; it is reached with the deployment owner's IAM access token. The API
// process (no worker) exchanges the caller's token (RFC 8693, real oidc-provider) and keeps the
// refresh token sealed in PostgreSQL; a worker engine of its own (another cache, shared database
// and Redis queue only) refreshes it and logs in to the OpenStack simulator, which accepts only
// federated logins whose token it checks against the provider's JWKS.
// Needs PostgreSQL on 127.0.0.1:5432 and Redis on :6379.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@lib/config';
import { OpenStackClient, startCloudSimulator, type CloudSimulator } from '@lib/openstack';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../apps/worker/src/engine.composition';
import { startJobWorker, type RunningWorker } from '../../apps/worker/src/main';
import { oidcEnv, startBaton, type RunningBaton } from './support/baton.harness';
import { request, waitFor, type HttpAnswer } from './support/http.client';
import { startTestIssuer, type TestIssuer } from './support/issuer.harness';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database';

const TEMPLATE = readFileSync(join(__dirname, 'fixtures/compute-pair.yaml'), 'utf8');
const PG_ADMIN = process.env.BATON_E2E_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.BATON_E2E_REDIS_URL ?? 'redis://127.0.0.1:6379';
const IMAGES = [{ name: 'debian-12', properties: { os_type: 'linux', os_distro: 'debian', os_version: '12', architecture: 'x86_64' } }];
const TIMINGS = { pollMs: 200, backoffMs: 200, stepAttempts: 3 };

interface Deployment {
  uuid: string;
  status: string;
  statusReason?: string;
  physicalId?: string;
}

describe.sequential('a Keystone-federated cloud gets the owner’s fresh IAM token (PostgreSQL + Redis)', () => {
  let idp: TestIssuer;
  let simulator: CloudSimulator;
  let baton: RunningBaton;
  let workerEngine: Engine | undefined;
  let worker: RunningWorker | undefined;
  let db: ScratchDatabase | undefined;
  let dbUrl = '';
  let dir = '';
  let env: Record<string, string> = {};
  const queuePrefix = `e2e-fed-${randomBytes(4).toString('hex')}`;

  const as = (token: string) => (method: string, path: string, body?: unknown): Promise<HttpAnswer> =>
    request(method, `${baton.url}${path}`, { authorization: `Bearer ${token}`, ...(body !== undefined ? { body } : {}) });
  const sql = async <T>(text: string, params: unknown[] = []): Promise<T[]> => {
    const c = new Client({ connectionString: dbUrl });
    await c.connect();
    try {
      return (await c.query(text, params)).rows as T[];
    } finally {
      await c.end();
    }
  };
  const until = (api: ReturnType<typeof as>, id: string, wanted: string[]): Promise<Deployment> =>
    waitFor(wanted.join('|'), async () => {
      const d = (await api('GET', `/deployments/${id}`)).json as Deployment;
      return wanted.includes(d.status) ? d : undefined;
    }, 120_000, 300);

  beforeAll(async () => {
    idp = await startTestIssuer();
    const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
    simulator = await startCloudSimulator({
      bootTimeMs: 200,
      images: IMAGES,
      oidcProviders: [{ id: 'iam', protocol: 'openid', issuer: idp.issuer, jwks: discovery.jwks_uri, projects: ['admin'] }],
    });
    dir = await mkdtemp(join(tmpdir(), 'baton-federation-'));
    const providersFile = join(dir, 'providers.yaml');
    await writeFile(
      providersFile,
      [
        'providers:',
        '  - name: federated',
        '    type: openstack',
        `    auth_url: ${simulator.authUrl}`,
        `    region: ${simulator.region}`,
        '    auth:',
        '      method: oidc',
        '      identity_provider: iam',
        '      protocol: openid',
        `      project_name: ${simulator.projectName}`,
        '',
      ].join('\n'),
    );
    db = await createScratchDatabase(PG_ADMIN, 'baton_e2e_fed');
    dbUrl = db.url;
    env = { ...oidcEnv(idp), DATABASE_URL: dbUrl, REDIS_URL: REDIS, BATON_SECRET_KEY: randomBytes(32).toString('base64'), BATON_PROVIDERS: providersFile };
    // The API takes requests and delegates; it runs no jobs.
    baton = await startBaton(env, { worker: false, engine: { queuePrefix, timings: TIMINGS } });
  }, 300_000);

  afterAll(async () => {
    await worker?.close();
    await workerEngine?.close();
    await baton?.close();
    await simulator?.close();
    await idp?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('creates and deletes with the owner’s identity; without a delegated token the deployment fails with the reason', async () => {
    const alice = as(await idp.mintToken({ sub: 'alice', groups: ['cms'] }));
    const bob = as(await idp.mintToken({ sub: 'bob', groups: ['cms'] }));

    const forBob = await bob('POST', '/deployments', { template: TEMPLATE, parameters: { count: '1' }, userGroup: 'cms' });
    expect(forBob.status, forBob.text).toBe(201);
    // Bob's delegation is revoked before any worker runs (as after a logout at the IAM).
    const removed = await sql(`DELETE FROM delegated_tokens WHERE token_key LIKE $1 RETURNING token_key`, [`%"bob"%`]);
    expect(removed).toHaveLength(1);

    const forAlice = await alice('POST', '/deployments', { template: TEMPLATE, parameters: { count: '1' }, userGroup: 'cms' });
    expect(forAlice.status, forAlice.text).toBe(201);
    const stored = await sql<{ token_key: string; sealed: string }>('SELECT token_key, sealed FROM delegated_tokens');
    expect(stored.map((r) => JSON.parse(r.token_key)[1])).toEqual(['alice']);
    expect(stored[0].sealed).toMatch(/^v1:/);

    // A worker with its own engine: no token cache in common with the API, only the database.
    const workerConfig = loadConfig({ BATON_DATA_DIR: 'memory://', BATON_LOG_LEVEL: 'warn', ...env });
    workerEngine = await openEngine(workerConfig, { queuePrefix, timings: TIMINGS });
    worker = await startJobWorker(workerEngine, workerConfig);

    const aliceId = (forAlice.json as Deployment).uuid;
    const done = await until(alice, aliceId, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(done.status, done.statusReason).toBe('CREATE_COMPLETE');
    // The deployment's key pair belongs to alice's federated Keystone user: Nova key pairs are
    // per user, so her own login sees it and the simulator's password user does not.
    const asAlice = new OpenStackClient({
      authUrl: simulator.authUrl,
      region: simulator.region,
      auth: { type: 'oidc_access_token', identityProvider: 'iam', protocol: 'openid', accessToken: await idp.mintToken({ sub: 'alice' }), projectName: simulator.projectName },
    });
    const asAdmin = new OpenStackClient({
      authUrl: simulator.authUrl,
      region: simulator.region,
      auth: { type: 'password', username: simulator.username, password: simulator.password, userDomainName: simulator.userDomain, projectName: simulator.projectName, projectDomainName: simulator.projectDomain },
    });
    try {
      const keyName = `${done.physicalId}-key`;
      expect((await asAlice.compute.getKeypair(keyName))?.name).toBe(keyName);
      expect(await asAdmin.compute.getKeypair(keyName)).toBeUndefined();
      expect(simulator.admin.servers().filter((s) => s.metadata.PAAS_DEP_UUID === aliceId)).toHaveLength(1);
    } finally {
      asAlice.close();
      asAdmin.close();
    }

    const bobId = (forBob.json as Deployment).uuid;
    const failed = await until(bob, bobId, ['CREATE_FAILED', 'CREATE_COMPLETE']);
    expect(failed.status).toBe('CREATE_FAILED');
    expect(failed.statusReason).toMatch(/no access token for bob .*No delegated token is stored/);
    expect(simulator.admin.servers().filter((s) => s.metadata.PAAS_DEP_UUID === bobId)).toHaveLength(0);

    // DELETE (re-delegates alice on the API side), undeployed by the worker with her identity.
    expect((await alice('DELETE', `/deployments/${aliceId}`)).status).toBe(204);
    await waitFor('alice’s deployment gone', async () => ((await alice('GET', `/deployments/${aliceId}`)).status === 404 ? true : undefined), 120_000, 300);
    expect(simulator.admin.servers().filter((s) => s.metadata.PAAS_DEP_UUID === aliceId)).toHaveLength(0);
    // Her last deployment is gone, and with it the refresh token kept for it.
    expect((await sql<{ token_key: string }>('SELECT token_key FROM delegated_tokens')).filter((r) => r.token_key.includes('"alice"'))).toEqual([]);
  }, 300_000);
});
