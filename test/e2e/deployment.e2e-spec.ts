// Issue 5, item 1, over HTTP with a real OpenID provider: the two-tier template (a web server
// configured by playbooks on one server, clients on `count` servers that depend on it) on the
// built-in OpenStack simulator whose servers are bound to real sshd hosts of ../shared/testbed.
// POST → CREATE_COMPLETE with addresses and a playbook-made value in the outputs and the files
// on the hosts; GET /resources lists every instance; PUT count 3 → UPDATE_COMPLETE with three
// clients; DELETE → every simulated object of the deployment is gone and GET answers 404.
// Run twice: the embedded default (PGlite, in-process queue) and PostgreSQL + Redis (BullMQ).
// Needs root (the testbed makes namespaces), PostgreSQL on 127.0.0.1:5432 and Redis on :6379.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenStackClient, type CloudSimulator } from '@lib/openstack';
import { namePrefix, startSimulatorProvider } from '@lib/orchestrator';
import { oidcEnv, startBaton, type RunningBaton } from './support/baton.harness';
import { request, waitFor, type HttpAnswer } from './support/http.client';
import { startTestIssuer, type TestIssuer } from './support/issuer.harness';
import { hostsDown, hostsUp, onHost, withKeyDelivery, type TestbedHost } from './support/testbed.harness';
import { createScratchDatabase } from './support/scratch-database';

const REPO = resolve(__dirname, '../..');
const TEMPLATE = readFileSync(join(REPO, 'templates/web-two-tier.yaml'), 'utf8');
const PG_ADMIN = process.env.BATON_E2E_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.BATON_E2E_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Deployment {
  uuid: string;
  status: string;
  statusReason?: string;
  outputs: Record<string, unknown>;
}

interface Mode {
  name: string;
  vms: string[];
  /** Extra environment and a clean-up, made before the service starts. */
  prepare(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>;
}

const MODES: Mode[] = [
  { name: 'embedded default (PGlite, in-process queue)', vms: ['e2edp-web', 'e2edp-c1', 'e2edp-c2', 'e2edp-c3'], prepare: async () => ({ env: {}, cleanup: async () => undefined }) },
  {
    name: 'PostgreSQL + Redis (BullMQ)',
    vms: ['e2edq-web', 'e2edq-c1', 'e2edq-c2', 'e2edq-c3'],
    async prepare() {
      const db = await createScratchDatabase(PG_ADMIN);
      return {
        env: { DATABASE_URL: db.url, REDIS_URL: REDIS, BATON_SECRET_KEY: randomBytes(32).toString('base64') },
        cleanup: () => db.drop(),
      };
    },
  },
];

for (const mode of MODES) {
  describe.sequential(`two-tier web site on testbed hosts: ${mode.name}`, () => {
    let idp: TestIssuer;
    let simulator: CloudSimulator;
    let cloud: OpenStackClient;
    let baton: RunningBaton;
    let hosts: TestbedHost[] = [];
    let cleanup: () => Promise<void> = async () => undefined;
    let token = '';
    let id = '';
    let outputs: Record<string, unknown> = {};

    const api = (method: string, path: string, body?: unknown): Promise<HttpAnswer> =>
      request(method, `${baton.url}${path}`, { authorization: `Bearer ${token}`, ...(body !== undefined ? { body } : {}) });
    const hostAt = (ip: unknown): TestbedHost => {
      const host = hosts.find((h) => h.ip === ip);
      if (!host) throw new Error(`no testbed host has address ${String(ip)} (hosts: ${hosts.map((h) => h.ip).join(', ')})`);
      return host;
    };
    const untilStatus = (wanted: string, failed: string, timeoutMs: number): Promise<Deployment> =>
      waitFor(wanted, async () => {
        const d = (await api('GET', `/deployments/${id}`)).json as Deployment;
        if (d.status === failed) throw new Error(`${failed}: ${d.statusReason ?? ''}\n${(await api('GET', `/deployments/${id}/log`)).text.slice(-3000)}`);
        return d.status === wanted ? d : undefined;
      }, timeoutMs, 500);

    beforeAll(async () => {
      await hostsDown(mode.vms).catch(() => undefined);
      hosts = await hostsUp(mode.vms);
      const prepared = await mode.prepare();
      cleanup = prepared.cleanup;
      idp = await startTestIssuer();
      token = await idp.mintToken({ sub: 'alice', groups: ['web-team'] });
      const started = await startSimulatorProvider({ name: 'simulator', bootTimeMs: 500, sshPool: hosts.map((h) => h.ip), sshUser: 'root' });
      simulator = started.simulator;
      cloud = new OpenStackClient({
        authUrl: simulator.authUrl,
        region: simulator.region,
        auth: { type: 'password', username: simulator.username, password: simulator.password, userDomainName: simulator.userDomain, projectName: simulator.projectName, projectDomainName: simulator.projectDomain },
      });
      baton = await startBaton(
        { ...oidcEnv(idp), ...prepared.env },
        {
          engine: {
            providers: [withKeyDelivery(started.provider, () => hosts)],
            timings: { pollMs: 250, sshTimeoutMs: 120_000, operationTimeoutMs: 300_000, backoffMs: 250 },
            queuePrefix: `e2e-${randomBytes(4).toString('hex')}`,
          },
        },
      );
    }, 900_000);

    afterAll(async () => {
      await baton?.close();
      cloud?.close();
      await simulator?.close();
      await idp?.close();
      await cleanup();
      await hostsDown(mode.vms).catch(() => undefined);
    }, 180_000);

    it('POST → CREATE_COMPLETE; outputs hold the addresses and the playbook-made checksum', async () => {
      const created = await api('POST', '/deployments', { template: TEMPLATE, parameters: { count: '1', site_title: 'Hello from baton e2e' }, userGroup: 'web-team' });
      expect(created.status, created.text).toBe(201);
      id = (created.json as Deployment).uuid;
      const done = await untilStatus('CREATE_COMPLETE', 'CREATE_FAILED', 600_000);
      outputs = done.outputs;
      const ips = hosts.map((h) => h.ip);
      expect(ips).toContain(outputs.web_private_address);
      // A single instance's attribute is the value itself, not a one-element list (INDIGO outputs).
      expect(typeof outputs.client_addresses).toBe('string');
      expect(ips).toContain(outputs.client_addresses);
      expect(outputs.page_checksum).toMatch(/^[0-9a-f]{40}$/);
      expect(String(outputs.web_url)).toMatch(/^http:\/\/[\d.]+:80\/$/);
    }, 660_000);

    it('the files the playbooks wrote are on the hosts', async () => {
      const web = hostAt(outputs.web_private_address);
      const page = await onHost(web, 'cat /var/www/baton/index.html');
      expect(page).toContain('Hello from baton e2e');
      expect(await onHost(web, 'sha1sum /var/www/baton/index.html')).toContain(String(outputs.page_checksum));
      const client = hostAt(outputs.client_addresses);
      expect(await onHost(client, 'cat /var/lib/baton-client/page.html')).toBe(page);
      expect((await onHost(client, 'cat /var/lib/baton-client/web_url')).trim()).toBe(`http://${web.ip}:80/`);
    });

    it('GET /resources lists every node instance, STARTED', async () => {
      const a = await api('GET', `/deployments/${id}/resources?size=50`);
      expect(a.status, a.text).toBe(200);
      const content = (a.json as { content: Array<{ toscaNodeName: string; state: string }> }).content;
      expect(content.map((r) => r.toscaNodeName).sort()).toEqual(['client', 'client_vm', 'web_server', 'web_vm']);
      expect(new Set(content.map((r) => r.state))).toEqual(new Set(['STARTED']));
      const computes = await api('GET', `/deployments/${id}/resources?type=tosca.nodes.Compute`);
      expect((computes.json as { page: { totalElements: number } }).page.totalElements).toBe(2);
    });

    it('PUT count 3 → UPDATE_COMPLETE with three clients, each configured', async () => {
      const put = await api('PUT', `/deployments/${id}`, { template: TEMPLATE, parameters: { count: '3' } });
      expect(put.status, put.text).toBe(202);
      const done = await untilStatus('UPDATE_COMPLETE', 'UPDATE_FAILED', 600_000);
      const clients = done.outputs.client_addresses as string[];
      expect(clients).toHaveLength(3);
      expect(new Set(clients).size).toBe(3);
      const page = await onHost(hostAt(done.outputs.web_private_address), 'cat /var/www/baton/index.html');
      for (const ip of clients) expect(await onHost(hostAt(ip), 'cat /var/lib/baton-client/page.html')).toBe(page);
      const resources = (await api('GET', `/deployments/${id}/resources?type=tosca.nodes.Compute`)).json as { page: { totalElements: number } };
      expect(resources.page.totalElements).toBe(4);
      expect(simulator.admin.servers().filter((s) => s.metadata.PAAS_DEP_UUID === id)).toHaveLength(4);
    }, 660_000);

    it('DELETE → every simulated object of the deployment is gone, then 404', async () => {
      const deleted = await api('DELETE', `/deployments/${id}`);
      expect(deleted.status, deleted.text).toBe(204);
      await waitFor('404 after DELETE', async () => {
        const a = await api('GET', `/deployments/${id}`);
        if ((a.json as Deployment | undefined)?.status === 'DELETE_FAILED') throw new Error(`DELETE_FAILED: ${a.text}`);
        return a.status === 404 ? true : undefined;
      }, 300_000, 500);
      const prefix = namePrefix(id);
      const mine = <T extends { name?: string | null }>(items: T[]) => items.filter((i) => i.name?.startsWith(prefix));
      expect(simulator.admin.servers()).toEqual([]);
      expect(await cloud.compute.listServers()).toEqual([]);
      expect(await cloud.network.listFloatingIps()).toEqual([]);
      expect(await cloud.network.listPorts()).toEqual([]);
      expect(mine(await cloud.network.listSecurityGroups())).toEqual([]);
      expect(mine(await cloud.network.listNetworks())).toEqual([]);
      expect(mine(await cloud.network.listRouters())).toEqual([]);
      expect(await cloud.compute.getKeypair(`${prefix}-key`)).toBeUndefined();
      const again = await api('GET', `/deployments/${id}`);
      expect(again.status).toBe(404);
      expect((again.json as { code: number }).code).toBe(404);
    }, 360_000);
  });
}
