// An INDIGO-style template of our own (test/e2e/fixtures/indigo-style) on testbed hosts, over
// HTTP as a user drives it: its operations are URLs of playbooks written for IM (`hosts:
// localhost` + `connection: local`, IM_* variables, node-template groups), served by a local
// HTTP server through an allow-listed prefix (then read through the mirror map instead), with
// Galaxy-shaped roles from a role folder. Every operation is run a second time by
// ansible-playbook in check mode on the same hosts: it must find nothing to change, so the files
// are those ansible-playbook leaves. One operation uses a collection module and runs through
// ansible-playbook by itself. A URL outside the allow-list and a missing role are refused at
// plan time, and nothing is created.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { PlaybookConfigurationRunner, startSimulatorProvider, type ConfigurationRunner, type OperationResult, type OperationRun } from '@lib/orchestrator';
import type { CloudSimulator } from '@lib/openstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaton, type RunningBaton } from './support/baton.harness';
import { request } from './support/http.client';
import { hostsDown, hostsUp, onHost, withKeyDelivery, type TestbedHost } from './support/testbed.harness';

const FIXTURE = join(__dirname, 'fixtures/indigo-style');
const VMS = ['e2eim-1', 'e2eim-2', 'e2eim-3', 'e2eim-4', 'e2eim-5'];
const MIRRORED = 'https://raw.githubusercontent.com/baton-e2e/tosca-types/main/';
// tosca.nodes.indigo.Compute's own configure (configure_users.yml), read from a stand-in.
const INDIGO = 'https://raw.githubusercontent.com/indigo-dc/tosca-types/master/';

let hosts: TestbedHost[] = [];
let http: Server | undefined;
let httpBase = '';
let fetched: string[] = [];
let simulator: CloudSimulator | undefined;
let baton: RunningBaton | undefined;
let cacheDir = '';
/** What ansible-playbook --check found to change after our run, once per operation of a node template. */
const comparisons: Array<{ label: string; executor: string; changed: string[] }> = [];
/** Compare while the first deployment is created (ansible-playbook is slow: once is the proof). */
let comparing = true;

/** Runs each operation, then (once per operation of a node template) the same through ansible-playbook in check mode. */
class ComparedRunner implements ConfigurationRunner {
  constructor(private readonly inner: PlaybookConfigurationRunner) {}

  waitForSsh(...args: Parameters<ConfigurationRunner['waitForSsh']>): Promise<void> {
    return this.inner.waitForSsh(...args);
  }

  async run(op: OperationRun): Promise<OperationResult> {
    const result = await this.inner.run(op);
    const operation = op.label.replace(/^(\S+)_\d+ /, '$1 ');
    if (!result.ok || !op.im || !comparing || comparisons.some((c) => c.label === operation)) return result;
    const changed: string[] = [];
    comparisons.push({ label: operation, executor: op.executor ?? 'runner', changed });
    let task = '';
    const check = await this.inner.run({
      ...op,
      executor: 'ansible-playbook',
      check: true,
      onLine: (line) => {
        const banner = /^(?:TASK|RUNNING HANDLER) \[(.*)\]/.exec(line);
        if (banner) task = banner[1]!;
        else if (line.startsWith(`changed: [${op.im!.host}]`)) changed.push(task);
      },
    });
    expect(check.ok, `${op.label}: ansible-playbook --check failed: ${check.ok ? '' : check.failure.message}`).toBe(true);
    return result;
  }
}

const api = (method: string, path: string, body?: unknown) => request(method, `${baton!.url}${path}`, body === undefined ? {} : { body });

function template(base: string, roleFile = 'baton-test.base,v1', configureUrl?: string): string {
  const types = readFileSync(join(FIXTURE, 'tosca-types/custom_types.yaml'), 'utf8');
  let nodeTypes = types.slice(types.indexOf('node_types:')).replaceAll('@BASE@', base).replaceAll('baton-test.base,v1', roleFile);
  if (configureUrl) nodeTypes = nodeTypes.replace(`${base}artifacts/cluster/head_configure.yml`, configureUrl);
  return `${readFileSync(join(FIXTURE, 'template.yaml'), 'utf8')}\n${nodeTypes}`;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function untilStatus(id: string, wanted: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await until(wanted, timeoutMs + 60_000, async () => {
    if (Date.now() > deadline) throw new Error(`not ${wanted} after ${timeoutMs} ms:\n${(await api('GET', `/deployments/${id}/log`)).text.slice(-8000)}`);
    const d = (await api('GET', `/deployments/${id}`)).json as { status: string; statusReason?: string };
    if (d.status.endsWith('_FAILED')) throw new Error(`${d.status}: ${d.statusReason ?? ''}\n${(await api('GET', `/deployments/${id}/log`)).text.slice(-6000)}`);
    return d.status === wanted ? true : undefined;
  });
}

/** Every file the playbooks leave, per testbed host that holds one. */
async function filesOnHosts(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const host of hosts) {
    const text = await onHost(host, 'hostname; for f in /etc/baton-os-users.txt /etc/baton-common.txt /etc/baton-im/*; do [ -f "$f" ] && echo "== $f" && cat "$f"; done; true');
    out.set(host.name, text);
  }
  return out;
}

beforeAll(async () => {
  await hostsDown(VMS);
  hosts = await hostsUp(VMS);
  http = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!));
    fetched.push(path);
    if (!path.startsWith('/indigo-style/')) return void res.writeHead(404).end();
    readFile(join(FIXTURE, 'tosca-types', path.slice('/indigo-style/'.length)))
      .then((bytes) => res.end(bytes))
      .catch(() => res.writeHead(404).end());
  });
  await new Promise<void>((r) => http!.listen(0, '127.0.0.1', r));
  const address = http.address();
  httpBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/indigo-style/`;
  const started = await startSimulatorProvider({ name: 'testbed', bootTimeMs: 300, sshPool: hosts.map((h) => h.ip), sshUser: 'root' });
  simulator = started.simulator;
  cacheDir = await mkdtemp(join(tmpdir(), 'baton-e2e-artifacts-'));
  baton = await startBaton(
    {
      BATON_ARTIFACT_ALLOW: httpBase,
      BATON_ARTIFACT_MIRRORS: `${MIRRORED}=${join(FIXTURE, 'tosca-types')},${INDIGO}=${join(FIXTURE, 'indigo-standin')}`,
      BATON_ROLES_PATH: join(FIXTURE, 'roles'),
      BATON_ANSIBLE_GALAXY: 'off',
      BATON_ARTIFACT_CACHE_DIR: cacheDir,
    },
    {
      engine: {
        providers: [withKeyDelivery(started.provider, () => hosts)],
        runner: new ComparedRunner(new PlaybookConfigurationRunner({ artifactsDir: join(FIXTURE, 'tosca-types'), connectTimeoutMs: 10_000 })),
        timings: { pollMs: 250, sshTimeoutMs: 60_000, operationTimeoutMs: 240_000, backoffMs: 250 },
      },
    },
  );
}, 300_000);

afterAll(async () => {
  await baton?.close();
  await simulator?.close();
  http?.close();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  await hostsDown(VMS);
}, 120_000);

describe('an INDIGO-style template whose operations are remote playbooks written for IM', () => {
  let id = '';

  it('reaches CREATE_COMPLETE, its operations fetched over HTTP and the collection module run by ansible-playbook', async () => {
    fetched = [];
    const created = await api('POST', '/deployments', { template: template(httpBase), parameters: {} });
    expect(created.status, created.text).toBe(201);
    id = (created.json as { uuid: string }).uuid;
    await untilStatus(id, 'CREATE_COMPLETE', 600_000);
    expect(fetched).toEqual(expect.arrayContaining(['/indigo-style/artifacts/cluster/head_configure.yml', '/indigo-style/artifacts/cluster/templates/head.conf.j2', '/indigo-style/artifacts/cluster/worker_start.yml']));

    const log = (await api('GET', `/deployments/${id}/log`)).text;
    // The choice, made once at plan time with its reason, and the digest of every file run.
    expect(log).toContain('worker.Standard.start: runs with ansible-playbook: community.general.ini_file in task "record the worker in an ini file (a collection module)"');
    expect(log).toMatch(new RegExp(`worker\\.Standard\\.configure: ${httpBase}artifacts/cluster/worker_configure\\.yml sha256:[0-9a-f]{64}`));
    expect(log).toMatch(/worker\.Standard\.configure: role baton-test\.common from .*baton-test\.common sha256:/);
    // ansible-playbook's tasks are in the log (so in the events) as ours are.
    expect(log).toMatch(/worker_0 Standard\.start \| TASK \[record the worker in an ini file \(a collection module\)\]/);
    expect(log).toMatch(/worker_0 Standard\.start \| changed: \[wn_server_0\]/);
    expect(log).toMatch(/worker_0 Standard\.configure \| TASK \[baton-test\.base : settings, the new mode\]/);
  }, 900_000);

  it('leaves the files IM would: host names, IM variables, groups, the roles with their defaults, vars, handlers and dependency', async () => {
    const files = await filesOnHosts();
    const workers = [...files.values()].filter((t) => t.includes('== /etc/baton-im/worker.conf'));
    expect(workers).toHaveLength(2);
    expect([...files.values()].filter((t) => t.includes('== /etc/baton-os-users.txt\nusers: 0\n'))).toHaveLength(4);
    for (const text of workers) {
      const num = /^vnode-(\d+)\.localdomain$/m.exec(text)?.[1];
      expect(num, text).toBeDefined();
      const me = `vnode-${num!}`;
      expect(text).toMatch(new RegExp(`^me: ${me} ${me}\\.localdomain node ${num!} at 10\\.77\\.0\\.\\d+ \\(10\\.77\\.0\\.\\d+\\), hostname ${me}$`, 'm'));
      expect(text).toContain('master: vnode-0\n');
      expect(text.match(/^head vnode-[01] 10\.77\.0\.\d+$/gm)).toHaveLength(2);
      expect(text).toContain(`== /etc/baton-common.txt\ncommon role ran on ${me}\n`);
      expect(text).toContain(`== /etc/baton-im/motd\n${me}: a Debian node (managed by baton-test.base)\n`);
      expect(text).toContain(`== /etc/baton-im/settings.ini\n# managed by baton-test.base\nmode = new\nname = ${me}\n`);
      expect(text).toContain(`== /etc/baton-im/handler.txt\nhandler ran on ${me}\n`);
      expect(text).toMatch(new RegExp(`== /etc/baton-im/worker.ini\\n\\[worker\\]\\nhostname = ${me}\\n`));
    }
    // ansible-playbook, run again on the same hosts with the same playbooks, finds nothing to change.
    expect(comparisons.map((c) => c.label).sort()).toEqual(['head Standard.configure', 'head_server Standard.configure', 'wn_server Standard.configure', 'worker Standard.configure', 'worker Standard.start']);
    expect(comparisons.filter((c) => c.changed.length)).toEqual([]);
    expect(new Set(comparisons.map((c) => c.executor))).toEqual(new Set(['runner', 'ansible-playbook']));
  });

  it('a scale-out adds a worker that the heads then name', async () => {
    comparing = false;
    const updated = await api('PUT', `/deployments/${id}`, { template: template(httpBase), parameters: { wn_num: 3 } });
    expect(updated.status, updated.text).toBe(202);
    await untilStatus(id, 'UPDATE_COMPLETE', 600_000);
    const heads = [...(await filesOnHosts()).values()].filter((t) => t.includes('== /etc/baton-im/head.conf'));
    expect(heads).toHaveLength(2);
    for (const text of heads) {
      expect(text).toMatch(/^hello cluster from vnode-[01] \(node [01] of [0-9a-f-]{36}\)$/m);
      expect(text).toContain('workers: 3\n');
      // The new worker is the fifth host: vnode-4, with the host name IM gives it.
      expect(text.match(/^worker vnode-(\d) 10\.77\.0\.\d+ vnode-\1$/gm)?.map((l) => l.split(' ')[1]).sort()).toEqual(['vnode-2', 'vnode-3', 'vnode-4']);
    }
  }, 900_000);

  it('is deleted', async () => {
    expect((await api('DELETE', `/deployments/${id}`)).status).toBe(204);
    await until('deleted', 120_000, async () => ((await api('GET', `/deployments/${id}`)).status === 404 ? true : undefined));
  });

  it('runs the same through the mirror map, never fetching', async () => {
    fetched = [];
    const created = await api('POST', '/deployments', { template: template(MIRRORED), parameters: { head_num: 1, wn_num: 1 } });
    expect(created.status, created.text).toBe(201);
    const mirrored = (created.json as { uuid: string }).uuid;
    await untilStatus(mirrored, 'CREATE_COMPLETE', 600_000);
    expect(fetched).toEqual([]);
    expect((await api('GET', `/deployments/${mirrored}/log`)).text).toMatch(new RegExp(`head\\.Standard\\.configure: ${MIRRORED}artifacts/cluster/head_configure\\.yml sha256:`));
    expect((await api('DELETE', `/deployments/${mirrored}`)).status).toBe(204);
    await until('deleted', 120_000, async () => ((await api('GET', `/deployments/${mirrored}`)).status === 404 ? true : undefined));
  }, 900_000);

  it('refuses a URL outside the allow-list and a missing role at plan time, naming node and operation, creating nothing', async () => {
    const before = ((await api('GET', '/deployments')).json as { page?: { totalElements?: number } }).page?.totalElements;
    const servers = simulator!.admin.servers().length;
    const outside = await api('POST', '/deployments', { template: template(httpBase, undefined, 'http://127.0.0.1:9/elsewhere/head.yml'), parameters: {} });
    expect(outside.status, outside.text).toBe(400);
    expect(outside.text).toContain('head Standard.configure: http://127.0.0.1:9/elsewhere/head.yml is outside the artifact allow-list');
    const missing = await api('POST', '/deployments', { template: template(httpBase, 'baton-test.absent,v9'), parameters: {} });
    expect(missing.status, missing.text).toBe(400);
    expect(missing.text).toContain('head Standard.configure: role baton-test.absent (v9) was found in none of');
    expect(((await api('GET', '/deployments')).json as { page?: { totalElements?: number } }).page?.totalElements).toBe(before);
    expect(simulator!.admin.servers().length).toBe(servers);
  });
});
