// The service against a real OpenStack control plane (../shared/openstack-sim: Keystone, Nova
// with FakeDriver, Neutron, Glance from Debian packages), over HTTP as a user drives it, with a
// providers file (BATON_PROVIDERS) naming that cloud. A compute-only template with its own
// network, a security group from its endpoint ports and a floating IP reaches CREATE_COMPLETE;
// after DELETE the real `openstack` CLI finds nothing of the deployment.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { namePrefix } from '@lib/orchestrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaton, type RunningBaton } from '../e2e/support/baton.harness';
import { request } from '../e2e/support/http.client';
import { ensureOpenStackSim } from '../../libs/openstack/test/support/openstack-sim';

const run = promisify(execFile);
const PASSWORD = process.env['OS_SIM_ADMIN_PASSWORD'] ?? 'ossim-admin';
const TEMPLATE = readFileSync(join(__dirname, 'fixtures/compute-public.yaml'), 'utf8');

// The deployment runs as the non-admin `demo` user; the checks list as `admin` so that ports
// owned by no project (router gateway, floating IP) are seen too.
const PROVIDERS = `
providers:
  - name: openstack-sim
    type: openstack
    auth_url: http://127.0.0.1:5000/v3
    region: RegionOne
    auth:
      method: password
      username: demo
      password: ${JSON.stringify(PASSWORD)}
      project_name: demo
      user_domain_name: Default
      project_domain_name: Default
    external_network: public
    images:
      linux-debian-12: ossim-tiny
    ssh_user: debian
`;

let dir = '';
let baton: RunningBaton | undefined;
let deploymentId = '';
let prefix = '';
/** What the CLI found of the deployment while it ran: the checks after DELETE look for these. */
let seen: { server: string; router: string; network: string; securityGroup: string; floatingIp: string } | undefined;

type Row = Record<string, unknown>;

/** The real `openstack` CLI (Debian's, not a pyenv python), JSON output, as admin. */
async function openstack(...args: string[]): Promise<Row[]> {
  const { stdout } = await run('/usr/bin/openstack', ['--os-cloud', 'openstack-sim', ...args, '-f', 'json'], {
    env: { ...process.env, PATH: '/usr/sbin:/usr/bin:/sbin:/bin', OS_CLIENT_CONFIG_FILE: '/etc/openstack-sim/clouds.yaml' },
    timeout: 240_000,
  });
  return JSON.parse(stdout) as Row[];
}

/** Polls every second until `probe` returns a value; a throw from `probe` fails at once. */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

const api = (method: string, path: string, body?: unknown) => request(method, `${baton!.url}${path}`, body === undefined ? {} : { body });
const str = (row: Row | undefined, key: string): string => String(row?.[key] ?? '');

interface DeploymentView {
  status: string;
  statusReason?: string;
  outputs?: Record<string, unknown>;
}

/** Waits for a status; the failure status, or the deadline, fails with the reason and the log's tail. */
async function untilStatus(wanted: string, failure: string, timeoutMs: number): Promise<DeploymentView> {
  let last: DeploymentView | undefined;
  const explain = async (what: string) => {
    const log = await api('GET', `/deployments/${deploymentId}/log`);
    return new Error(`${what}: ${last?.status ?? '?'} ${last?.statusReason ?? ''}\n${log.text.slice(-4000)}`);
  };
  try {
    return await until(wanted, timeoutMs, async () => {
      last = (await api('GET', `/deployments/${deploymentId}`)).json as DeploymentView;
      if (last.status === failure) throw await explain(failure);
      return last.status === wanted ? last : undefined;
    });
  } catch (error) {
    throw error instanceof Error && error.message.startsWith('timed out') ? await explain(error.message) : error;
  }
}

/** Every kind of object the deployment made, as the CLI lists them, filtered by its name, tag and ids. */
async function cliInventory(ids: NonNullable<typeof seen>) {
  const [servers, serverPorts, routerPorts, fipPorts, floatingIps, groups] = await Promise.all([
    openstack('server', 'list', '--all-projects', '--name', `^${prefix}-`),
    openstack('port', 'list', '--device-id', ids.server),
    openstack('port', 'list', '--device-id', ids.router),
    openstack('port', 'list', '--device-id', ids.floatingIp),
    openstack('floating', 'ip', 'list', '--long'),
    openstack('security', 'group', 'list', '--all-projects'),
  ]);
  return {
    servers: servers.filter((s) => str(s, 'Name').startsWith(`${prefix}-`)),
    ports: [...new Set([...serverPorts, ...routerPorts, ...fipPorts].map((p) => str(p, 'ID')))],
    floatingIps: floatingIps.filter((f) => str(f, 'ID') === ids.floatingIp || str(f, 'Description').startsWith(`${prefix}-`)),
    securityGroups: groups.filter((g) => str(g, 'ID') === ids.securityGroup || str(g, 'Name').startsWith(`${prefix}-`) || str(g, 'Description') === deploymentId),
  };
}

beforeAll(async () => {
  await ensureOpenStackSim();
  dir = await mkdtemp(join(tmpdir(), 'baton-real-'));
  const file = join(dir, 'providers.yaml');
  await writeFile(file, PROVIDERS, { mode: 0o600 });
  baton = await startBaton({ BATON_PROVIDERS: file });
}, 900_000);

afterAll(async () => {
  // A failed run still removes what it made (DELETE is idempotent on the service's side).
  if (deploymentId && baton) {
    const d = await api('GET', `/deployments/${deploymentId}`);
    if (d.status === 200) {
      await api('DELETE', `/deployments/${deploymentId}?force=true`);
      await until('cleanup', 400_000, async () => ((await api('GET', `/deployments/${deploymentId}`)).status === 404 ? true : undefined)).catch(() => undefined);
    }
  }
  await baton?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 600_000);

describe('a compute-only deployment on real OpenStack', () => {
  it('POST → CREATE_COMPLETE: a server with a floating IP, on its own network, behind a group from its ports', async () => {
    const created = await api('POST', '/deployments', { template: TEMPLATE });
    expect(created.status, created.text).toBe(201);
    deploymentId = (created.json as { uuid: string }).uuid;
    prefix = namePrefix(deploymentId);
    const done = await untilStatus('CREATE_COMPLETE', 'CREATE_FAILED', 300_000);
    expect(String(done.outputs?.public_address)).toMatch(/^203\.0\.113\.\d+$/);
    expect(String(done.outputs?.private_address)).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    // What the real cloud holds, as its own CLI reports it.
    const [servers, routers, networks, groups, fips] = await Promise.all([
      openstack('server', 'list', '--all-projects', '--long', '--name', `^${prefix}-`),
      openstack('router', 'list', '--name', `${prefix}-net-router`),
      openstack('network', 'list', '--name', `${prefix}-net`),
      openstack('security', 'group', 'list', '--all-projects'),
      openstack('floating', 'ip', 'list', '--long'),
    ]);
    expect(servers.map((s) => [s.Status, s['Flavor Name'] ?? s.Flavor, s['Image Name'] ?? s.Image])).toEqual([['ACTIVE', 'm1.tiny', 'ossim-tiny']]);
    expect(routers).toHaveLength(1);
    expect(networks).toHaveLength(1);
    const group = groups.find((g) => str(g, 'Name') === `${prefix}-server-sg`);
    expect(group, JSON.stringify(groups)).toBeDefined();
    const fip = fips.find((f) => str(f, 'Floating IP Address') === done.outputs?.public_address);
    expect(fip, JSON.stringify(fips)).toBeDefined();
    expect(str(fip, 'Floating Network')).toBe(str((await openstack('network', 'list', '--name', 'public'))[0], 'ID'));

    // The group's rules are SSH plus the endpoint's ports.
    const rules = await openstack('security', 'group', 'rule', 'list', str(group, 'ID'), '--ingress');
    const open = rules.filter((r) => r['IP Protocol']).map((r) => `${String(r['IP Protocol'])}/${String(r['Port Range'])}`).sort();
    expect(open).toEqual(['tcp/22:22', 'tcp/80:80', 'udp/53:53']);

    seen = { server: str(servers[0], 'ID'), router: str(routers[0], 'ID'), network: str(networks[0], 'ID'), securityGroup: str(group, 'ID'), floatingIp: str(fip, 'ID') };
    const inventory = await cliInventory(seen);
    // The filters find the deployment's objects while they exist (so zero later means gone):
    // the server's port, the router's interface and gateway ports, the floating IP's port.
    expect(inventory.servers).toHaveLength(1);
    expect(inventory.floatingIps).toHaveLength(1);
    expect(inventory.securityGroups).toHaveLength(1);
    expect(inventory.ports.length).toBeGreaterThanOrEqual(3);
  });

  it('DELETE → 404, and the CLI reports zero servers, ports, floating IPs and security groups of it', async () => {
    expect(seen, 'the create test must pass first').toBeDefined();
    const deleted = await api('DELETE', `/deployments/${deploymentId}`);
    expect(deleted.status, deleted.text).toBe(204);
    await until('404 after DELETE', 240_000, async () => {
      const a = await api('GET', `/deployments/${deploymentId}`);
      if ((a.json as { status?: string } | undefined)?.status === 'DELETE_FAILED') throw new Error(`DELETE_FAILED: ${a.text}`);
      return a.status === 404 ? true : undefined;
    });
    const inventory = await cliInventory(seen!);
    expect(inventory).toEqual({ servers: [], ports: [], floatingIps: [], securityGroups: [] });
    expect(await openstack('router', 'list', '--name', `${prefix}-net-router`)).toEqual([]);
    expect((await openstack('network', 'list')).filter((n) => str(n, 'ID') === seen!.network || str(n, 'Name').startsWith(`${prefix}-`))).toEqual([]);
  });
});
