// The IM REST API (grycap/im) as its clients use it, over HTTP with real tokens from a real
// OpenID provider and the OpenStack simulator: the exact requests the real im_client 2.0 sent
// (recorded by test/dev/record-im-client.ts into fixtures/im-client-requests.json) replayed in
// order, and the requests dodas-go-client builds (pkg/utils/dodas.go, cmd/*.go), with its
// Authorization header (the cloud line first). One deployment is visible through both APIs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudSimulator } from '@lib/openstack';
import { startSimulatorProvider } from '@lib/orchestrator';
import { request, waitFor, type HttpAnswer } from './support/http.client';
import { oidcEnv, startBaton, type RunningBaton } from './support/baton.harness';
import type { RecordedRequest } from './support/im-recorder';
import { startTestIssuer, type TestIssuer } from './support/issuer.harness';

const FIXTURES = join(__dirname, 'fixtures');
const RECORDED = join(FIXTURES, 'im-client-requests.json');
const TEMPLATE = readFileSync(join(FIXTURES, 'im-vms.yaml'), 'utf8');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
type Json = Record<string, unknown>;

let issuer: TestIssuer;
let simulator: CloudSimulator;
let baton: RunningBaton;
let token: string;
let cloudHost: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  const started = await startSimulatorProvider({ name: 'simulator', bootTimeMs: 200 });
  simulator = started.simulator;
  baton = await startBaton(oidcEnv(issuer), { engine: { providers: [started.provider] } });
  token = await issuer.mintToken({ sub: 'alice', scope: 'openid profile email offline_access' });
  cloudHost = new URL(simulator.authUrl).origin;
}, 600_000);

afterAll(async () => {
  await baton?.close();
  await simulator?.close();
  await issuer?.close();
}, 120_000);

/** Sends headers in the given order (fetch keeps insertion order). */
const send = (method: string, path: string, headers: Array<[string, string]>, body?: string): Promise<HttpAnswer> =>
  request(method, `${baton.url}${path}`, { headers: Object.fromEntries(headers), ...(body ? { body } : {}), timeoutMs: 300_000 });

const imState = async (id: string, auth: string): Promise<Json> => {
  const a = await send('GET', `/infrastructures/${id}/state`, [['Authorization', auth], ['Accept', 'application/json']]);
  expect(a.status, a.text).toBe(200);
  return (a.json as { state: Json }).state;
};

const settled = (id: string, auth: string) =>
  waitFor(`infrastructure ${id} to leave pending/running`, async () => {
    const s = await imState(id, auth);
    return ['pending', 'running', 'unknown'].includes(String(s.state)) ? undefined : s;
  }, 120_000);

describe.skipIf(!existsSync(RECORDED))('im_client 2.0, replayed as recorded', () => {
  const recorded = existsSync(RECORDED) ? (JSON.parse(readFileSync(RECORDED, 'utf8')) as { requests: RecordedRequest[] }).requests : [];
  const ids: string[] = [];
  const fill = (s: string): string =>
    ids.reduce((out, id, i) => out.split(`{{INF_ID_${i + 1}}}`).join(id), s.split('{{TOKEN}}').join(token).split('{{CLOUD_HOST}}').join(cloudHost).split('{{CLOUD_PASSWORD}}').join(simulator.password));
  const steps = [...new Set(recorded.map((r) => r.step))];

  it('records every command the issue names', () => {
    for (const step of ['create_wait_outputs', 'list', 'getstate', 'getvminfo', 'getcontmsg', 'addresource', 'removeresource', 'stop', 'start', 'destroy', 'create_wait_outputs (Bearer)']) expect(steps).toContain(step);
    expect(recorded.find((r) => r.step === 'create_wait_outputs (Bearer)')?.headers.find(([k]) => k === 'Authorization')?.[1]).toMatch(/^Bearer /);
    expect(recorded.find((r) => r.step === 'create_wait_outputs')?.headers.find(([k]) => k === 'Authorization')?.[1]).toMatch(/type = OpenStack;\s*host = \{\{CLOUD_HOST\}\}/);
  });

  for (const step of steps) {
    it(`${step}: each request answers as IM does`, async () => {
      const auth = (r: RecordedRequest) => fill(r.headers.find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '');
      let polled = false;
      for (const r of recorded.filter((x) => x.step === step)) {
        const isState = r.method === 'GET' && r.path.endsWith('/state');
        // The client polls the state every 30 s until it settles; the replay polls until it settles too.
        if (isState && polled) continue;
        if (isState && /wait|create/.test(step)) {
          await settled(fill(r.path).split('/')[2], auth(r));
          polled = true;
          continue;
        }
        // An operation after stop waits for the servers to be stopped, as a person would.
        if (step === 'start') await waitFor('stopped', async () => ((await imState(ids[0], auth(r))).state === 'stopped' ? true : undefined), 60_000);
        const a = await send(r.method, fill(r.path), r.headers.map(([k, v]) => [k, fill(v)]), r.body ? fill(r.body) : undefined);
        expect(a.status, `${r.method} ${r.path}: ${a.text}`).toBe(200);
        if (r.method === 'POST' && r.path.startsWith('/infrastructures?') ) {
          const id = UUID.exec(a.text)?.[0];
          expect(id).toBeDefined();
          expect(a.headers.get('InfID')).toBe(id);
          ids.push(id!);
        }
        if (r.path.endsWith('/outputs')) expect(((a.json as Json).outputs as Json).server_addresses).toHaveLength(2);
        if (step.startsWith('list')) expect(((a.json as Json)['uri-list'] as Json[]).map((u) => String(u.uri))).toContain(`${baton.url}/infrastructures/${ids[ids.length - 1]}`);
        if (step === 'getvminfo') expect(a.text).toMatch(/^system server \(\n(.+ and\n)*state = 'configured'/m);
        if (step === 'getcontmsg') expect((a.json as Json).contmsg).toMatch(/deployment submitted/);
        if (step === 'addresource') expect(((a.json as Json)['uri-list'] as Json[]).map((u) => String(u.uri))).toEqual([`${baton.url}/infrastructures/${ids[0]}/vms/2`]);
      }
      if (step === 'getstate') expect(await imState(ids[0], `Bearer ${token}`)).toEqual({ state: 'configured', vm_states: { 0: 'configured', 1: 'configured' } });
      if (step === 'wait (after addresource)') expect(Object.keys((await imState(ids[0], `Bearer ${token}`)).vm_states as Json)).toEqual(['0', '1', '2']);
      if (step === 'wait (after removeresource)') expect(Object.keys((await imState(ids[0], `Bearer ${token}`)).vm_states as Json)).toEqual(['0', '1']);
      if (step.startsWith('destroy')) {
        const gone = await send('GET', `/infrastructures/${ids[ids.length - 1]}/state`, [['Authorization', `Bearer ${token}`]]);
        expect(gone.status).toBe(404);
      }
    });
  }
});

describe('dodas-go-client', () => {
  const host = () => `${baton.url}/infrastructures`;
  /** PrepareAuthHeaders: the cloud fields joined by ";", then a literal \n, then the IM fields. */
  const header = () =>
    `id = os;type = OpenStack;username = ${simulator.username};password = ${simulator.password};host = ${cloudHost};tenant = ${simulator.projectName};auth_version = 3.x_password;domain = ${simulator.userDomain}\\nid = im;type = InfrastructureManager;token = ${token}`;
  let id = '';

  it('create: POST text/yaml to the IM host, 200 with the URI; the same deployment on /deployments', async () => {
    const a = await request('POST', host(), { headers: { Authorization: header(), 'Content-Type': 'text/yaml' }, body: TEMPLATE });
    expect(a.status, a.text).toBe(200);
    id = a.text.split('/').pop()!;
    expect(id).toMatch(UUID);
    const d = await request('GET', `${baton.url}/deployments/${id}`, { authorization: `Bearer ${token}` });
    expect(d.status).toBe(200);
    expect((d.json as Json).cloudProviderName).toBe('simulator');
  });

  it('list infIDs; status (contmsg as text); outputs as a string map', async () => {
    const list = await request('GET', host(), { headers: { Authorization: header(), Accept: 'application/json' } });
    expect(((list.json as Json)['uri-list'] as Array<{ uri: string }>).map((u) => u.uri.split('/').pop())).toContain(id);
    await settled(id, `Bearer ${token}`);
    const status = await request('GET', `${host()}/${id}/contmsg`, { headers: { Authorization: header(), 'Content-Type': 'application/json' } });
    expect(status.status).toBe(200);
    expect(status.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(status.text).toMatch(/provider simulator chosen/);
    const outputs = await request('GET', `${host()}/${id}/outputs`, { headers: { Authorization: header(), Accept: 'application/json' } });
    expect(Object.keys((outputs.json as { outputs: Json }).outputs)).toEqual(['server_addresses']);
  });

  it('get vm: the URI list as text, then the VM; vm contmsg as {"contmsg": ...}', async () => {
    const vms = await request('GET', `${host()}/${id}`, { headers: { 'Content-Type': 'application/json', Authorization: header() } });
    const uris = vms.text.split('\n');
    expect(uris).toEqual([`${host()}/${id}/vms/0`, `${host()}/${id}/vms/1`]);
    const vm = await request('GET', uris[1], { headers: { 'Content-Type': 'application/json', Authorization: header() } });
    expect(vm.text).toMatch(/^system server/m);
    const log = await request('GET', `${host()}/${id}/vms/1/contmsg`, { headers: { Authorization: header(), Accept: 'application/json' } });
    expect((log.json as Json).contmsg).toMatch(/server_1/);
  });

  it('reconfig and reboot: PUT with an empty JSON body, 200', async () => {
    const re = await request('PUT', `${host()}/${id}/reconfigure`, { headers: { 'Content-Type': 'application/json', Authorization: header() } });
    expect(re.status, re.text).toBe(200);
    await settled(id, `Bearer ${token}`);
    const reboot = await request('PUT', `${host()}/${id}/vms/0/reboot`, { headers: { 'Content-Type': 'application/json', Authorization: header() } });
    expect(reboot.status, reboot.text).toBe(200);
    await waitFor('reboot done', async () => {
      const log = await request('GET', `${baton.url}/deployments/${id}/log`, { authorization: `Bearer ${token}` });
      return /reboot server_0: done/.test(log.text) ? true : undefined;
    }, 60_000);
  });

  it('destroy: DELETE with Content-Type text/yaml, 200; then 404', async () => {
    const a = await request('DELETE', `${host()}/${id}`, { headers: { Authorization: header(), 'Content-Type': 'text/yaml' } });
    expect(a.status, a.text).toBe(200);
    const gone = await request('GET', `${host()}/${id}`, { headers: { Authorization: header() } });
    expect(gone.status).toBe(404);
  });
});

describe('IM errors', () => {
  const bearer = () => `Bearer ${token}`;

  it('RADL is refused with 415 saying only TOSCA is served; an unknown cloud type names itself', async () => {
    const radl = await request('POST', `${baton.url}/infrastructures`, { headers: { Authorization: bearer() }, body: "system front ( cpu.count>=1 )" });
    expect(radl.status).toBe(415);
    expect(radl.text).toMatch(/TOSCA only/);
    const ec2 = await request('GET', `${baton.url}/infrastructures`, { headers: { Authorization: `id = ec2; type = EC2; username = a; password = b\\ntype = InfrastructureManager; token = ${token}` } });
    expect(ec2.status).toBe(400);
    expect(ec2.text).toMatch(/type EC2 are not supported/);
  });

  it('an OpenStack line at a host no provider serves is 400; no token is 401; errors follow Accept', async () => {
    const other = await request('POST', `${baton.url}/infrastructures`, { headers: { Authorization: `type = OpenStack; host = https://elsewhere.example:5000\\ntype = InfrastructureManager; token = ${token}`, 'Content-Type': 'text/yaml', Accept: 'application/json' }, body: TEMPLATE });
    expect(other.status).toBe(400);
    expect(other.json).toEqual({ code: 400, message: expect.stringMatching(/No cloud provider of this service is at https:\/\/elsewhere.example:5000/) });
    const none = await request('GET', `${baton.url}/infrastructures`, { headers: { Authorization: 'type = OpenStack; host = x' } });
    expect(none.status).toBe(401);
  });

  it('a YAML body on an unknown path is 404, not 415; GET /version is public', async () => {
    const a = await request('POST', `${baton.url}/no/such/path`, { headers: { 'Content-Type': 'text/yaml' }, body: 'a: 1' });
    expect(a.status).toBe(404);
    const v = await request('GET', `${baton.url}/version`);
    expect(v.status).toBe(200);
    expect(v.text).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
