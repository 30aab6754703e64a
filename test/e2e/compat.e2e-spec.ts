// The exact requests orchent 1.3 and the INFN dashboard send (reference §3.4, §4), against the
// real service over HTTP with real tokens from a real OpenID provider, checking every field
// these clients read: names, presence, null omission, date format, links, paging, errors.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudSimulator } from '@lib/openstack';
import { startSimulatorProvider } from '@lib/orchestrator';
import { nullPaths, request, waitFor, type HttpAnswer } from './support/http.client';
import { oidcEnv, startBaton, type RunningBaton } from './support/baton.harness';
import { startTestIssuer, type TestIssuer } from './support/issuer.harness';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database';

const TEMPLATE = readFileSync(join(__dirname, 'fixtures/compute-pair.yaml'), 'utf8');
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}\+0000$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STATUSES = ['CREATE_IN_PROGRESS', 'CREATE_COMPLETE', 'CREATE_FAILED', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE', 'UPDATE_FAILED', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE', 'DELETE_FAILED', 'UNKNOWN'];
const GROUP = 'beta-testers';
const PG_ADMIN = process.env.BATON_E2E_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.BATON_E2E_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** What GET /configuration must advertise (BATON_MONITORING_URL, BATON_SLAM_URL). */
const ENDPOINTS = { monitoring_url: 'https://monitoring.example.org/api/', slam_url: 'https://slam.example.org:8443' };

type Json = Record<string, unknown>;
const obj = (a: HttpAnswer): Json => a.json as Json;

let issuer: TestIssuer;
let simulator: CloudSimulator;
let baton: RunningBaton;
let alice: string; // full scopes, member of GROUP
let url: string;

/** orchent: `ORCHENT_URL` gets a trailing `/` and paths are relative (`./deployments`). */
const orchent = (path: string, token: string, init: { method?: string; body?: unknown } = {}) =>
  request(init.method ?? 'GET', new URL(`./${path}`, `${url}/`).href, {
    authorization: `Bearer ${token}`,
    headers: { 'User-Agent': 'Orchent', Accept: 'application/json' },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });

/** The dashboard: lower-case `bearer`, trailing slashes, every form value a string. */
const dashboard = (method: string, path: string, token: string, body?: unknown) =>
  request(method, `${url}${path}`, { authorization: `bearer ${token}`, ...(body !== undefined ? { body } : {}) });

function expectDeploymentShape(d: Json, base: string): void {
  expect(d.uuid).toMatch(UUID);
  expect(d.creationTime).toMatch(DATE);
  expect(d.updateTime).toMatch(DATE);
  expect(STATUSES).toContain(d.status);
  expect(d.task).toMatch(/^(NONE|DEPLOYER)$/);
  expect(typeof d.outputs).toBe('object');
  const createdBy = d.createdBy as Json;
  expect(typeof createdBy.issuer).toBe('string');
  expect(typeof createdBy.subject).toBe('string');
  expect(d.links).toEqual([
    { rel: 'self', href: `${base}/deployments/${String(d.uuid)}` },
    { rel: 'resources', href: `${base}/deployments/${String(d.uuid)}/resources?type={type}` },
    { rel: 'template', href: `${base}/deployments/${String(d.uuid)}/template` },
  ]);
  expect(nullPaths({ ...d, outputs: {} })).toEqual([]);
}

function expectError(a: HttpAnswer, status: number, message?: string | RegExp): void {
  expect(a.status).toBe(status);
  const body = obj(a);
  expect(body.code).toBe(status);
  expect(typeof body.title).toBe('string');
  expect(typeof body.message).toBe('string');
  if (typeof message === 'string') expect(body.message).toBe(message);
  else if (message) expect(body.message).toMatch(message);
}

beforeAll(async () => {
  issuer = await startTestIssuer();
  // The built-in simulated cloud, started here so that a test can hold a deletion (latency).
  const started = await startSimulatorProvider({ name: 'simulator' });
  simulator = started.simulator;
  baton = await startBaton({ ...oidcEnv(issuer), BATON_CALLBACK_PRIVATE_NETWORKS: '127.0.0.0/8', BATON_MONITORING_URL: ENDPOINTS.monitoring_url, BATON_SLAM_URL: ENDPOINTS.slam_url }, { engine: { providers: [started.provider] } });
  url = baton.url;
  alice = await issuer.mintToken({ sub: 'alice', scope: 'openid profile email offline_access', groups: [GROUP] });
}, 600_000);

afterAll(async () => {
  await baton?.close();
  await simulator?.close();
  await issuer?.close();
}, 120_000);

describe('service root, info and configuration', () => {
  it('GET / answers the plain display name without auth', async () => {
    const a = await request('GET', `${url}/`);
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(a.text).toBe('INDIGO-Orchestrator');
  });

  it('orchent `test` and the old dashboard read /info: build.version splits on -', async () => {
    const a = await request('GET', `${url}/info`, { headers: { 'User-Agent': 'Orchent', Accept: 'application/json' } });
    expect(a.status).toBe(200);
    const build = obj(a).build as Json;
    expect(String(build.version).split('-')[0]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(build.artifact).toBe('orchestrator');
  });

  it('orchent `showconf` prints /configuration as a string map: the configured URLs, the unset ones absent', async () => {
    const a = await orchent('configuration', alice);
    expect(a.status).toBe(200);
    expect(obj(a)).toEqual(ENDPOINTS);
  });
});

describe('create, show, list, template, log, extrainfo', () => {
  let orchentId: string;
  let dashboardId: string;

  it('orchent depcreate: string keepLastAttempt, relative path, 201 with the Deployment JSON', async () => {
    const a = await orchent('deployments', alice, {
      method: 'POST',
      body: { template: TEMPLATE, parameters: { num_cpus: 1 }, keepLastAttempt: 'true', maxProvidersRetry: 1 },
    });
    expect(a.status, a.text).toBe(201);
    expect(a.headers.get('content-type')).toMatch(/^application\/json/);
    const d = obj(a);
    expectDeploymentShape(d, url);
    expect(d.status).toBe('CREATE_IN_PROGRESS');
    expect(d.outputs).toEqual({});
    expect((d.createdBy as Json).subject).toBe('alice');
    expect((d.createdBy as Json).issuer).toBe(issuer.issuer);
    expect(d).not.toHaveProperty('statusReason');
    expect(d).not.toHaveProperty('callback');
    orchentId = String(d.uuid);
  });

  it('dashboard submit: POST /deployments/ with lower-case bearer, string inputs, timeouts, callback and userGroup', async () => {
    const a = await dashboard('POST', '/deployments/', alice, {
      template: TEMPLATE,
      parameters: { num_cpus: '2', count: '1' },
      timeoutMins: 720,
      providerTimeoutMins: 720,
      callback: 'http://127.0.0.1:9/callback',
      keepLastAttempt: 'false',
      userGroup: GROUP,
    });
    expect(a.status, a.text).toBe(201);
    const d = obj(a);
    expectDeploymentShape(d, url);
    expect(d.userGroup).toBe(GROUP);
    expect(d.callback).toBe('http://127.0.0.1:9/callback');
    dashboardId = String(d.uuid);
  });

  it('reaches CREATE_COMPLETE with outputs, as depshow prints it', async () => {
    const done = await waitFor('CREATE_COMPLETE', async () => {
      const a = await orchent(`deployments/${orchentId}`, alice);
      const status = obj(a).status;
      if (status === 'CREATE_FAILED') throw new Error(`CREATE_FAILED: ${String(obj(a).statusReason)}`);
      return status === 'CREATE_COMPLETE' ? obj(a) : undefined;
    }, 120_000);
    expectDeploymentShape(done, url);
    expect(done.task).toBe('NONE');
    expect(done).not.toHaveProperty('statusReason');
    expect(Array.isArray((done.outputs as Json).server_addresses)).toBe(true);
    expect(typeof done.cloudProviderName).toBe('string');
    const endpoint = done.cloudProviderEndpoint as Json;
    expect(endpoint.deploymentType).toBe('OPENSTACK');
    expect(endpoint.iaasType).toBe('OPENSTACK');
    expect(nullPaths(endpoint)).toEqual([]);
  });

  it('deptemplate returns the text as submitted; deplog and depshow --verbose read text bodies', async () => {
    const t = await orchent(`deployments/${orchentId}/template`, alice);
    expect(t.status).toBe(200);
    expect(t.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(t.text).toBe(TEMPLATE);
    const log = await orchent(`deployments/${orchentId}/log`, alice);
    expect(log.status).toBe(200);
    expect(log.headers.get('content-type')).toMatch(/^text\/plain/);
    const extra = await orchent(`deployments/${orchentId}/extrainfo`, alice);
    expect(extra.status).toBe(200);
    expect(Array.isArray(JSON.parse(extra.text))).toBe(true);
  });

  it('depls -c me -x: createdBy=me&excludedStatus=..., paged, following next until self = last', async () => {
    const seen: string[] = [];
    let next: string | undefined = new URL('./deployments?createdBy=me&excludedStatus=DELETE_COMPLETE,DELETE_IN_PROGRESS&size=1', `${url}/`).href;
    for (let i = 0; next && i < 10; i++) {
      const a = await request('GET', next, { authorization: `Bearer ${alice}`, headers: { 'User-Agent': 'Orchent', Accept: 'application/json' } });
      expect(a.status).toBe(200);
      const body = obj(a);
      expect(Object.keys(body)).toEqual(['links', 'content', 'page']);
      const page = body.page as Json;
      expect(page).toEqual({ size: 1, totalElements: 2, totalPages: 2, number: i });
      for (const d of body.content as Json[]) {
        expectDeploymentShape(d, url);
        seen.push(String(d.uuid));
      }
      const links = body.links as Array<{ rel: string; href: string }>;
      for (const l of links) expect(l.href.startsWith(`${url}/deployments?`)).toBe(true);
      const rels = Object.fromEntries(links.map((l) => [l.rel, l.href]));
      expect(links.map((l) => l.rel)).toEqual(i === 0 ? ['first', 'self', 'next', 'last'] : ['first', 'prev', 'self', 'last']);
      expect(rels.next ?? rels.last).toContain('excludedStatus=DELETE_COMPLETE,DELETE_IN_PROGRESS');
      next = rels.self !== rels.last ? rels.next : undefined;
    }
    expect(seen.sort()).toEqual([orchentId, dashboardId].sort());
  });

  it('the dashboard sync: GET /deployments?createdBy=me&excludedStatus=DELETE_COMPLETE; the old one: size=9999 (capped)', async () => {
    const a = await dashboard('GET', '/deployments?createdBy=me&excludedStatus=DELETE_COMPLETE', alice);
    expect(a.status).toBe(200);
    expect(obj(a).page).toEqual({ size: 10, totalElements: 2, totalPages: 1, number: 0 });
    expect(obj(a).links).toEqual([{ rel: 'self', href: `${url}/deployments?createdBy=me&excludedStatus=DELETE_COMPLETE` }]);
    const content = obj(a).content as Json[];
    expect(content.map((d) => d.uuid)).toEqual([dashboardId, orchentId]); // newest first
    const old = await dashboard('GET', '/deployments?createdBy=me&page=0&size=9999', alice);
    expect((obj(old).page as Json).size).toBe(2000);
  });

  it('excludedStatus leaves the named statuses out, server-side', async () => {
    const a = await dashboard('GET', '/deployments?createdBy=me&excludedStatus=CREATE_COMPLETE,CREATE_IN_PROGRESS', alice);
    const statuses = (obj(a).content as Json[]).map((d) => d.status);
    expect(statuses).not.toContain('CREATE_COMPLETE');
    expect(statuses).not.toContain('CREATE_IN_PROGRESS');
  });

  it('honours X-Forwarded-* in every href (behind https://host/orchestrator)', async () => {
    const a = await request('GET', `${url}/deployments/${orchentId}`, {
      authorization: `Bearer ${alice}`,
      headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'paas.example.org', 'X-Forwarded-Prefix': '/orchestrator' },
    });
    expect(obj(a).links).toContainEqual({ rel: 'self', href: `https://paas.example.org/orchestrator/deployments/${orchentId}` });
  });

  describe('resources', () => {
    it('resls: paged list with one Resource per node instance, every field orchent reads', async () => {
      const a = await orchent(`deployments/${orchentId}/resources`, alice);
      expect(a.status).toBe(200);
      const body = obj(a);
      expect(body.page).toEqual({ size: 10, totalElements: 2, totalPages: 1, number: 0 });
      expect(body.links).toEqual([{ rel: 'self', href: `${url}/deployments/${orchentId}/resources?page=0&size=10&sort=createdAt,desc` }]);
      for (const r of body.content as Json[]) {
        expect(r.uuid).toMatch(UUID);
        expect(r.creationTime).toMatch(DATE);
        expect(r.state).toBe('STARTED');
        expect(r.toscaNodeType).toBe('example.nodes.SmallServer');
        expect(r.toscaNodeName).toBe('server');
        expect(Array.isArray(r.requiredBy)).toBe(true);
        expect(r.links).toEqual([
          { rel: 'deployment', href: `${url}/deployments/${orchentId}` },
          { rel: 'self', href: `${url}/deployments/${orchentId}/resources/${String(r.uuid)}` },
        ]);
        // A started VM has it (reference §1.4): a JSON string the dashboard json.loads.
        const vmInfo = (r.metadata as Json).VirtualMachineInfo;
        expect(typeof vmInfo).toBe('string');
        expect(vmInfo).not.toMatch(/private_key|BEGIN [A-Z ]*PRIVATE KEY/);
        const properties = (JSON.parse(String(vmInfo)) as { vmProperties: Json[] }).vmProperties;
        expect(Array.isArray(properties)).toBe(true);
        expect(properties.find((p) => p.class === 'system')).toMatchObject({ id: 'server', instance_id: expect.any(String), 'net_interface.0.ip': expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) });
        // The keys the INFN dashboard's VM row renders (depinfradetails.html): a number of
        // cores, memory in bytes (it divides by 1048576), the OS flavour and version.
        expect(properties.find((p) => p.class === 'system')).toMatchObject({
          'cpu.count': expect.any(Number),
          'memory.size': expect.any(Number),
          'disk.0.os.flavour': expect.any(String),
          'disk.0.os.version': expect.any(String),
        });
        expect(nullPaths(r)).toEqual([]);
      }
    });

    it('type= matches a parent type; /filter is an unpaged array and needs type', async () => {
      const byParent = await orchent(`deployments/${orchentId}/resources?type=tosca.nodes.Compute`, alice);
      expect((obj(byParent).page as Json).totalElements).toBe(2);
      expect(obj(byParent).links).toEqual([
        { rel: 'self', href: `${url}/deployments/${orchentId}/resources?type=tosca.nodes.Compute&page=0&size=10&sort=createdAt,desc` },
      ]);
      const none = await orchent(`deployments/${orchentId}/resources?type=tosca.nodes.WebServer`, alice);
      expect(obj(none).content).toEqual([]);
      const filter = await orchent(`deployments/${orchentId}/resources/filter?type=tosca.nodes.Root`, alice);
      expect(filter.status).toBe(200);
      expect((filter.json as Json[]).length).toBe(2);
      expectError(await orchent(`deployments/${orchentId}/resources/filter`, alice), 400);
    });

    it('resshow, an unknown resource (404), vmstop/vmstart (202) and an unknown one in actions (400)', async () => {
      const list = obj(await orchent(`deployments/${orchentId}/resources`, alice)).content as Json[];
      const rid = String(list[0].uuid);
      const one = await orchent(`deployments/${orchentId}/resources/${rid}`, alice);
      expect(obj(one).uuid).toBe(rid);
      expectError(await orchent(`deployments/${orchentId}/resources/nope`, alice), 404, `The resource nope in deployment ${orchentId} doesn't exist`);
      const stop = await orchent(`deployments/${orchentId}/resources/${rid}/actions`, alice, { method: 'POST', body: { type: 'stop' } });
      expect(stop.status, stop.text).toBe(202);
      expect(stop.text).toBe('');
      await waitFor('STOPPED', async () => (obj(await orchent(`deployments/${orchentId}/resources/${rid}`, alice)).state === 'STOPPED' ? true : undefined), 60_000);
      const start = await orchent(`deployments/${orchentId}/resources/${rid}/actions`, alice, { method: 'POST', body: { type: 'start' } });
      expect(start.status).toBe(202);
      expectError(await orchent(`deployments/${orchentId}/resources/nope/actions`, alice, { method: 'POST', body: { type: 'start' } }), 400, `Resource nope not found in deployment ${orchentId}`);
    });
  });

  describe('errors and preconditions', () => {
    it('404 with the reference message for an unknown deployment', async () => {
      expectError(await orchent('deployments/00000000-0000-0000-0000-000000000000', alice), 404, "The deployment 00000000-0000-0000-0000-000000000000 doesn't exist");
    });

    it('405 for DELETE /deployments, 415 for a non-JSON POST, 400 for bad JSON', async () => {
      expectError(await orchent('deployments', alice, { method: 'DELETE' }), 405);
      expectError(await request('POST', `${url}/deployments`, { authorization: `Bearer ${alice}`, headers: { 'Content-Type': 'text/plain' }, body: 'x' }), 415);
      expectError(await request('POST', `${url}/deployments`, { authorization: `Bearer ${alice}`, headers: { 'Content-Type': 'application/json' }, body: '{"template":' }), 400);
    });

    it('400s with the reference wording', async () => {
      expectError(await dashboard('POST', '/deployments/', alice, { parameters: {} }), 400, 'A TOSCA template must be provided');
      expectError(await dashboard('POST', '/deployments/', alice, { template: TEMPLATE, timeoutMins: '10', providerTimeoutMins: '20' }), 400, 'ProviderTimeout must be <= Timeout');
      expectError(await dashboard('GET', '/deployments?createdBy=nobody', alice), 400, 'Value nobody for param createdBy is illegal');
      expectError(await dashboard('PATCH', `/deployments/${orchentId}`, alice, { status: 'CREATE_FAILED' }), 400, 'Cannot reset deployment: illegal status CREATE_FAILED.');
    });

    it('a template error answers 400 with every diagnostic (line and column)', async () => {
      const a = await dashboard('POST', '/deployments/', alice, { template: 'tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  node_templates:\n    a: { type: no.such.Type }\n' });
      expectError(a, 400, /^Error parsing TOSCA template template:/);
      const diagnostics = obj(a).diagnostics as Json[];
      expect(diagnostics.length).toBeGreaterThan(0);
      expect(typeof diagnostics[0].line).toBe('number');
      expect(typeof diagnostics[0].column).toBe('number');
    });

    it('409 on reset outside DELETE_IN_PROGRESS', async () => {
      expectError(await orchent(`deployments/${orchentId}`, alice, { method: 'PATCH', body: { status: 'DELETE_FAILED' } }), 409, 'Cannot reset a deployment in CREATE_COMPLETE state');
    });
  });

  it('depupdate: PUT with the same body shape → 202 empty, then UPDATE_COMPLETE', async () => {
    const a = await orchent(`deployments/${orchentId}`, alice, { method: 'PUT', body: { template: TEMPLATE, parameters: { count: 1 }, keepLastAttempt: 'true' } });
    expect(a.status, a.text).toBe(202);
    expect(a.text).toBe('');
    await waitFor('UPDATE_COMPLETE', async () => {
      const d = obj(await orchent(`deployments/${orchentId}`, alice));
      if (d.status === 'UPDATE_FAILED') throw new Error(String(d.statusReason));
      return d.status === 'UPDATE_COMPLETE' ? d : undefined;
    }, 120_000);
    expect((obj(await orchent(`deployments/${orchentId}/resources`, alice)).page as Json).totalElements).toBe(1);
  });

  it('depdel with ?force=True (Python) and a JSON body (ignored) → 204, then 404', async () => {
    const a = await request('DELETE', `${url}/deployments/${dashboardId}?force=True`, { authorization: `bearer ${alice}`, body: { ignored: true } });
    expect(a.status, a.text).toBe(204);
    expect(a.text).toBe('');
    const again = await request('DELETE', `${url}/deployments/${dashboardId}`, { authorization: `bearer ${alice}` });
    if (again.status !== 404) expectError(again, 409, /^Deployment already in DELETE_(IN_PROGRESS|COMPLETE) state\.$/);
    await waitFor('404 after delete', async () => ((await orchent(`deployments/${dashboardId}`, alice)).status === 404 ? true : undefined), 120_000);
    const d = await orchent(`deployments/${orchentId}`, alice, { method: 'DELETE' });
    expect(d.status).toBe(204);
    await waitFor('404 after delete', async () => {
      const a = await orchent(`deployments/${orchentId}`, alice);
      if (obj(a)?.status === 'DELETE_FAILED') throw new Error(`DELETE_FAILED: ${String(obj(a).statusReason)}`);
      return a.status === 404 ? true : undefined;
    }, 120_000);
  });
});

describe('reset, concurrent updates and input types', () => {
  const completed = async (id: string, wanted: string, failed: string): Promise<Json> =>
    waitFor(wanted, async () => {
      const d = obj(await orchent(`deployments/${id}`, alice));
      if (d.status === failed) throw new Error(`${failed}: ${String(d.statusReason)}`);
      return d.status === wanted ? d : undefined;
    }, 120_000);
  const gone = (id: string): Promise<true> =>
    waitFor('404 after delete', async () => ((await orchent(`deployments/${id}`, alice)).status === 404 ? true : undefined), 120_000);

  async function createOne(): Promise<string> {
    const a = await dashboard('POST', '/deployments/', alice, { template: TEMPLATE, parameters: { count: '1' } });
    expect(a.status, a.text).toBe(201);
    const id = String(obj(a).uuid);
    await completed(id, 'CREATE_COMPLETE', 'CREATE_FAILED');
    return id;
  }

  it('PATCH {status: DELETE_FAILED} resets a stuck delete: 204, then DELETE_FAILED; a new DELETE then completes', async () => {
    const id = await createOne();
    // Every compute answer is held for two minutes: the delete cannot finish, so the deployment
    // stays in DELETE_IN_PROGRESS, as a delete stuck on a cloud does.
    simulator.admin.setLatency(120_000, 'compute');
    try {
      const del = await orchent(`deployments/${id}`, alice, { method: 'DELETE' });
      expect(del.status, del.text).toBe(204);
      expect(obj(await orchent(`deployments/${id}`, alice)).status).toBe('DELETE_IN_PROGRESS');
      const reset = await dashboard('PATCH', `/deployments/${id}`, alice, { status: 'DELETE_FAILED' });
      expect(reset.status, reset.text).toBe(204);
      expect(reset.text).toBe('');
    } finally {
      simulator.admin.setLatency(0);
    }
    const d = obj(await orchent(`deployments/${id}`, alice));
    expect(d.status).toBe('DELETE_FAILED');
    expect(d.task).toBe('NONE');
    expect(d).not.toHaveProperty('statusReason');
    expect((await orchent(`deployments/${id}`, alice, { method: 'DELETE' })).status).toBe(204);
    await gone(id);
    expect(simulator.admin.servers().filter((s) => s.metadata.PAAS_DEP_UUID === id)).toEqual([]);
  }, 300_000);

  // PostgreSQL, so that the race is made, not hoped for: a transaction of the test holds the
  // deployment row (FOR NO KEY UPDATE: reads and the FK inserts of new steps pass, updates wait),
  // every PUT reads the same version and waits on its conditional UPDATE; on release the first
  // one writes and every other finds the version changed, which is what a concurrent update is.
  describe('on PostgreSQL', () => {
    let db: ScratchDatabase;
    let pg: RunningBaton;
    let pgSimulator: CloudSimulator;

    beforeAll(async () => {
      db = await createScratchDatabase(PG_ADMIN);
      const started = await startSimulatorProvider({ name: 'simulator' });
      pgSimulator = started.simulator;
      pg = await startBaton(
        { ...oidcEnv(issuer), DATABASE_URL: db.url, REDIS_URL: REDIS, BATON_SECRET_KEY: randomBytes(32).toString('base64') },
        { engine: { providers: [started.provider], queuePrefix: `e2e-compat-${randomBytes(4).toString('hex')}` } },
      );
    }, 300_000);

    afterAll(async () => {
      await pg?.close();
      await pgSimulator?.close();
      await db?.drop();
    }, 120_000);

    it('concurrent PUTs: one is taken (202), every one that lost the optimistic lock answers 409 with Retry-After: 0', async () => {
      const api = (method: string, path: string, body?: unknown) => request(method, `${pg.url}${path}`, { authorization: `Bearer ${alice}`, ...(body !== undefined ? { body } : {}) });
      const created = await api('POST', '/deployments', { template: TEMPLATE, parameters: { count: 1 } });
      expect(created.status, created.text).toBe(201);
      const id = String(obj(created).uuid);
      const status = async (): Promise<unknown> => obj(await api('GET', `/deployments/${id}`)).status;
      await waitFor('CREATE_COMPLETE', async () => ((await status()) === 'CREATE_COMPLETE' ? true : undefined), 120_000);

      const holder = new Client({ connectionString: db.url });
      // Another session: pg_stat_activity is a snapshot taken once per transaction.
      const watcher = new Client({ connectionString: db.url });
      await holder.connect();
      await watcher.connect();
      let puts: Array<Promise<HttpAnswer>> = [];
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM deployments WHERE id = $1 FOR NO KEY UPDATE', [id]);
        puts = Array.from({ length: 4 }, () => api('PUT', `/deployments/${id}`, { template: TEMPLATE, parameters: { count: '1' } }));
        await waitFor('four PUTs waiting on the row', async () => {
          const { rows } = await watcher.query<{ n: string }>(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE 'UPDATE deployments%'",
            [db.name],
          );
          return Number(rows[0].n) === 4 ? true : undefined;
        }, 30_000, 50);
      } finally {
        await holder.query('COMMIT');
        await holder.end();
        await watcher.end();
      }
      const answers = await Promise.all(puts);
      expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409, 409]);
      for (const a of answers.filter((x) => x.status === 409)) {
        expectError(a, 409, "The request couldn't be fulfilled because of a concurrent update. Please retry later");
        expect(a.headers.get('retry-after')).toBe('0');
      }
      await waitFor('UPDATE_COMPLETE', async () => ((await status()) === 'UPDATE_COMPLETE' ? true : undefined), 120_000);
      expect((obj(await api('GET', `/deployments/${id}/resources`)).page as Json).totalElements).toBe(1);
    }, 300_000);
  });

  it('an input of the wrong type answers 400 with a diagnostic naming it', async () => {
    const a = await dashboard('POST', '/deployments/', alice, { template: TEMPLATE, parameters: { num_cpus: 'abc', count: '1' } });
    expectError(a, 400);
    expect(obj(a).diagnostics).toEqual([
      expect.objectContaining({ code: 'type_mismatch', severity: 'error', path: 'topology_template.inputs.num_cpus', message: expect.stringContaining('"abc"'), line: expect.any(Number), column: expect.any(Number) }),
    ]);
    expect(obj(a).message).toMatch(/"abc" is not a valid integer/);
    // Nothing was created.
    const list = obj(await dashboard('GET', '/deployments?createdBy=me', alice)).content as Json[];
    expect(list.every((d) => d.status !== 'CREATE_IN_PROGRESS')).toBe(true);
  });
});
