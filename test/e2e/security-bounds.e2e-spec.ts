// Issue 8, findings 3, 4, 5 and two of 9, over HTTP as an attacker with an ordinary token: no
// file of the server is read through `imports` (nor its existence told), a million instances and
// 600,000 keys answer diagnostics while the API keeps answering, a compiler fault is a
// diagnostic (never a 500), an implementation that is not there is refused before any server
// exists, and a plan no provider's quota can hold is refused with the quota named.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatorProvider, type CloudProvider } from '@lib/orchestrator';
import { oidcEnv, startBaton, type RunningBaton } from './support/baton.harness';
import { request, type HttpAnswer } from './support/http.client';
import { startTestIssuer, type TestIssuer } from './support/issuer.harness';

const HEAD = 'tosca_definitions_version: tosca_simple_yaml_1_0\n';
const VM = `${HEAD}topology_template:\n  node_templates:\n    vm:\n      type: tosca.nodes.Compute\n`;
const scaled = (count: number) => `${VM}      capabilities:\n        scalable:\n          properties: { default_instances: ${count}, max_instances: 10000000 }\n`;
/**
 * 600,000 keys in about 7 MB (under the API's 10 MB body limit, as the 8 MB), where the
 * compiler reads them all and keeps none (dsl_definitions): the compile is the whole cost.
 */
const KEYS = `${HEAD}dsl_definitions:\n${Array.from({ length: 600_000 }, (_, i) => `  ${i.toString(36)}: 1\n`).join('')}`;

type Diag = { code: string; severity: string; message: string; path: string };
const diagnostics = (a: HttpAnswer): Diag[] => ((a.json as { diagnostics?: Diag[] }).diagnostics ?? []);
const errorCodes = (a: HttpAnswer) => diagnostics(a).filter((d) => d.severity === 'error').map((d) => d.code);

let idp: TestIssuer;
let baton: RunningBaton;
let token = '';
let cloud: { provider: CloudProvider; close(): Promise<void>; servers(): number };
/** Deployments this file stored on purpose; any other server on the cloud came from a refused plan. */
const stored = new Set<string>();
const serverDir = mkdtempSync(join(tmpdir(), 'baton-server-files-'));
const serverYaml = join(serverDir, 'server-settings.yaml');

beforeAll(async () => {
  writeFileSync(serverYaml, 'sealing_key: Zx9-never-shown\ndatabase_url: postgres://u:pw@db/baton\n');
  idp = await startTestIssuer();
  const started = await startSimulatorProvider({ name: 'quota-20', bootTimeMs: 100, quotas: { instances: 20 } });
  cloud = { provider: started.provider, close: () => started.simulator.close(), servers: () => started.simulator.admin.servers().filter((srv) => !stored.has(String(srv.metadata.PAAS_DEP_UUID))).length };
  // Bounds above the defaults (libs/config README) so that the hostile templates are really
  // compiled, in the compile thread; the defaults refuse 600,000 keys by size before parsing.
  baton = await startBaton(
    { ...oidcEnv(idp), BATON_MAX_TEMPLATE_BYTES: String(32 * 1024 * 1024), BATON_MAX_TEMPLATE_NODES: '10000000', BATON_MAX_INSTANCES: '20000', BATON_MAX_INSTANCES_PER_OWNER: '100000', BATON_COMPILE_TIMEOUT_MS: '120000' },
    { engine: { providers: [cloud.provider] } },
  );
  token = await idp.mintToken({ sub: 'mallory', groups: ['users'] });
}, 180_000);

afterAll(async () => {
  await baton?.close();
  await cloud?.close();
  await idp?.close();
});

const as = (service: RunningBaton) => ({
  validate: (template: string) => request('POST', `${service.url}/templates/validate`, { authorization: `Bearer ${token}`, body: { template }, timeoutMs: 180_000 }),
  create: (template: string) => request('POST', `${service.url}/deployments`, { authorization: `Bearer ${token}`, body: { template }, timeoutMs: 180_000 }),
  get: (path: string) => request('GET', `${service.url}${path}`, { authorization: `Bearer ${token}` }),
});

describe('imports of an uploaded template', () => {
  const importing = (name: string) => `${HEAD}imports:\n  - ${JSON.stringify(name)}\ntopology_template: {}\n`;
  const escape = relative(process.cwd(), serverYaml);

  it('read no file of the server, on /templates/validate and POST /deployments alike', async () => {
    const api = as(baton);
    for (const name of ['/etc/shadow', 'file:///etc/shadow', 'file://localhost/etc/shadow', serverYaml, `file://${serverYaml}`, `../../../../../../../../..${serverYaml}`, escape, '/proc/self/environ']) {
      for (const answer of [await api.validate(importing(name)), await api.create(importing(name))]) {
        expect(answer.status, `${name}: ${answer.text}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, name).toBeLessThan(500);
        expect(errorCodes(answer), name).toEqual(['import_outside_catalogue']);
        expect(answer.text).not.toMatch(/root:|\$6\$|\$y\$|sealing_key|Zx9-never-shown|database_url|BATON_/);
      }
    }
  });

  it('tell nothing of whether a file exists: the same words for a file that is there and one that is not', async () => {
    const api = as(baton);
    const words = async (name: string) => diagnostics(await api.validate(importing(name)))[0]?.message.replace(JSON.stringify(name), 'NAME');
    expect(await words('/etc/passwd')).toBe(await words('/etc/no-such-file'));
    expect(await words(serverYaml)).toBe(await words(join(serverDir, 'missing.yaml')));
  });

  it('answer a URL that names no usable path with a diagnostic, never a 500 (a compiler exception before)', async () => {
    const api = as(baton);
    for (const name of ['file://host/etc/shadow', 'file:///etc%2fshadow']) {
      const answer = await api.validate(importing(name));
      expect(answer.status, `${name}: ${answer.text}`).toBe(400);
      expect(errorCodes(answer)).toEqual(['import_invalid']);
    }
  });
});

describe('bounds', () => {
  it('answers 1,000,000 instances with too_many_instances, and stores nothing', async () => {
    const api = as(baton);
    const validated = await api.validate(scaled(1_000_000));
    expect(validated.status).toBe(400);
    expect(errorCodes(validated)).toEqual(['too_many_instances']);
    expect(diagnostics(validated)[0].message).toMatch(/1000000 instances.*limit of 20000\b/);
    const created = await api.create(scaled(1_000_000));
    expect(created.status, created.text).toBe(400);
    expect(errorCodes(created)).toEqual(['too_many_instances']);
    expect((await api.get('/deployments?createdBy=me')).json).toMatchObject({ page: { totalElements: 0 } });
  });

  it('keeps GET /info and GET /deployments/{id} answering while 600,000 keys are compiled', async () => {
    const api = as(baton);
    const created = await api.create(VM);
    expect(created.status, created.text).toBe(201);
    const id = (created.json as { uuid: string }).uuid;
    stored.add(id);
    let compiling = true;
    const hostile = api.validate(KEYS).finally(() => (compiling = false));
    const latencies: number[] = [];
    // Sample only while the compile is under way (the first samples wait for the body to be sent).
    await new Promise((r) => setTimeout(r, 500));
    while (compiling) {
      for (const path of ['/info', `/deployments/${id}`]) {
        const t = performance.now();
        const answer = await api.get(path);
        latencies.push(performance.now() - t);
        expect(answer.status).toBe(200);
      }
    }
    const answer = await hostile;
    expect(answer.status, answer.text.slice(0, 300)).toBe(200);
    expect(latencies.length).toBeGreaterThan(4);
    // Generous for a loaded 2-core machine (other suites run beside this one); bench:tosca prints
    // the figure on an idle one. In the event loop, this compile held every request for 9-14 s.
    expect(Math.max(...latencies)).toBeLessThan(2_000);
  });
});

describe('plans refused before anything is made', () => {
  it('an implementation that is not there names the node and the operation, and no server is created', async () => {
    const template = `${VM}      interfaces:\n        Standard:\n          configure:\n            implementation: artifacts/no-such-playbook.yml\n`;
    for (const implementation of ['artifacts/no-such-playbook.yml', '../../../../etc/passwd', '/etc/passwd']) {
      const created = await as(baton).create(template.replace('artifacts/no-such-playbook.yml', implementation));
      expect(created.status, created.text).toBe(400);
      expect((created.json as { message: string }).message).toMatch(/^vm Standard\.configure: /);
      expect(created.text).not.toMatch(/root:/);
    }
    expect((await as(baton).get('/deployments?createdBy=me')).json).toMatchObject({ page: { totalElements: stored.size } });
    expect(cloud.servers()).toBe(0);
  });

  it('20,000 instances on a provider whose quota is 20 fail at once with the quota named, nothing enqueued', async () => {
    const created = await as(baton).create(scaled(20_000));
    expect(created.status, created.text.slice(0, 300)).toBe(400);
    expect((created.json as { message: string }).message).toMatch(/quota-20 \(20000 servers, quota 20 instances\)/);
    expect((await as(baton).get('/deployments?createdBy=me')).json).toMatchObject({ page: { totalElements: stored.size } });
    expect(cloud.servers()).toBe(0);
  });
});
