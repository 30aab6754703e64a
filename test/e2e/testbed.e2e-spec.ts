// The service on realistic hosts, over HTTP as a user drives it: the built-in simulator binds
// each server it boots to a host of ../shared/testbed (own address and filesystem, real sshd,
// Debian packages through the testbed's proxy), the real playbook runner configures them, and
// nginx, installed from Debian packages, serves a page carrying values of other nodes.
// Needs root (the testbed makes namespaces); the first vm-up builds the base image (1-3 min).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@lib/config';
import { OpenStackClient, type CloudSimulator } from '@lib/openstack';
import { namePrefix, PlaybookConfigurationRunner, startSimulatorProvider, type CloudProvider, type CloudSession } from '@lib/orchestrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type RunningService } from '../../apps/cli/src/commands/serve.command';
import { request } from './support/http.client';

const run = promisify(execFile);
const REPO = resolve(__dirname, '../..');
// CI clones the repo with shared/ beside it; the path is always relative to the repo root.
const TESTBED = resolve(REPO, '../shared/testbed');
const TEMPLATE = readFileSync(join(__dirname, 'fixtures/testbed-nginx.yaml'), 'utf8');
// Names of this suite's VMs; other suites use their own, so parallel runs never share a host.
const VMS = ['e2etb-web', 'e2etb-back'];

interface Host {
  name: string;
  ip: string;
}

let hosts: Host[] = [];
let simulator: CloudSimulator | undefined;
let baton: RunningService | undefined;
let cloud: OpenStackClient | undefined;
let deploymentId = '';
let outputs: Record<string, unknown> = {};

async function vmUp(name: string, publicKeyFile?: string): Promise<Host> {
  const { stdout } = await run(join(TESTBED, 'vm-up.sh'), publicKeyFile ? [name, publicKeyFile] : [name], { cwd: REPO, timeout: 300_000 });
  const ip = stdout.trim().split('\n').pop()?.trim() ?? '';
  if (!/^10\.77\.0\.\d+$/.test(ip)) throw new Error(`vm-up.sh ${name} printed no testbed address: ${stdout}`);
  return { name, ip };
}

async function vmDown(names: string[]): Promise<void> {
  await run(join(TESTBED, 'vm-down.sh'), names, { cwd: REPO, timeout: 120_000 });
}

/** What cloud-init does on a real cloud: the key pair's public key is authorized on the host. */
async function authorizeOnHosts(publicKey: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-testbed-key-'));
  try {
    const file = join(dir, 'deployment.pub');
    await writeFile(file, `${publicKey.trim()}\n`);
    await Promise.all(hosts.map((host) => vmUp(host.name, file)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The simulator provider, with its key pairs delivered to the bound testbed hosts before the
 * cloud records them (so before any server boots), as cloud-init delivers them on boot.
 */
function withKeyDelivery(provider: CloudProvider): CloudProvider {
  return {
    name: provider.name,
    endpoint: provider.endpoint,
    rank: provider.rank,
    sshUser: provider.sshUser,
    ...(provider.quotas ? { quotas: provider.quotas } : {}),
    ...(provider.imageMappings ? { imageMappings: provider.imageMappings } : {}),
    async open(context): Promise<CloudSession> {
      const session = await provider.open(context);
      return new Proxy(session, {
        get(target, property) {
          if (property === 'createKeyPair') {
            return async (...args: Parameters<CloudSession['createKeyPair']>) => {
              await authorizeOnHosts(args[1]);
              return target.createKeyPair(...args);
            };
          }
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
  };
}

async function onHost(host: Host, command: string): Promise<string> {
  const { stdout } = await run(
    'ssh',
    ['-i', '/var/lib/testbed/id_ed25519', '-o', 'UserKnownHostsFile=/var/lib/testbed/known_hosts', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', `root@${host.ip}`, command],
    { timeout: 60_000 },
  );
  return stdout;
}

const api = (method: string, path: string, body?: unknown) => request(method, `${baton!.url}${path}`, body === undefined ? {} : { body });
const ofDeployment = <T extends { name?: string | null; description?: string | null }>(items: T[], prefix: string) =>
  items.filter((i) => i.name?.startsWith(prefix) || i.description === deploymentId);

/** Polls every 500 ms until `probe` returns a value; a throw from `probe` fails at once. */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

interface DeploymentView {
  status: string;
  statusReason?: string;
  outputs?: Record<string, unknown>;
}

/** Waits for a deployment status; a failure status fails at once, with the reason and the log's tail. */
async function untilStatus(wanted: string, failures: string[], timeoutMs: number): Promise<DeploymentView> {
  return until(wanted, timeoutMs, async () => {
    const d = (await api('GET', `/deployments/${deploymentId}`)).json as DeploymentView;
    if (failures.includes(d.status)) {
      const log = await api('GET', `/deployments/${deploymentId}/log`);
      throw new Error(`${d.status}: ${d.statusReason ?? ''}\n${log.text.slice(-4000)}`);
    }
    return d.status === wanted ? d : undefined;
  });
}

beforeAll(async () => {
  // A clean system each run: drop what an interrupted run may have left, then boot.
  await vmDown(VMS);
  hosts = await Promise.all(VMS.map((name) => vmUp(name)));
  const started = await startSimulatorProvider({ name: 'testbed', bootTimeMs: 500, sshPool: hosts.map((h) => h.ip), sshUser: 'root' });
  simulator = started.simulator;
  cloud = new OpenStackClient({
    authUrl: simulator.authUrl,
    region: simulator.region,
    auth: { type: 'password', username: simulator.username, password: simulator.password, userDomainName: simulator.userDomain, projectName: simulator.projectName, projectDomainName: simulator.projectDomain },
  });
  const config = loadConfig({ BATON_LISTEN: '127.0.0.1:0', BATON_DATA_DIR: 'memory://', BATON_LOG_LEVEL: 'warn' });
  baton = await startServe(config, {
    quiet: true,
    engine: {
      providers: [withKeyDelivery(started.provider)],
      runner: new PlaybookConfigurationRunner({ artifactsDir: join(REPO, 'templates'), connectTimeoutMs: 10_000 }),
      timings: { pollMs: 250, sshTimeoutMs: 60_000, operationTimeoutMs: 180_000, backoffMs: 250 },
    },
  });
}, 300_000);

afterAll(async () => {
  await baton?.close();
  cloud?.close();
  await simulator?.close();
  await vmDown(VMS);
}, 120_000);

describe('nginx from Debian packages on testbed hosts bound to simulated servers', () => {
  it('POST → CREATE_COMPLETE with outputs from the hosts and a playbook', async () => {
    const created = await api('POST', '/deployments', { template: TEMPLATE, parameters: { site_title: 'Hello from baton' } });
    expect(created.status, created.text).toBe(201);
    deploymentId = (created.json as { uuid: string }).uuid;
    const done = await untilStatus('CREATE_COMPLETE', ['CREATE_FAILED'], 240_000);
    outputs = done.outputs ?? {};
    const ips = hosts.map((h) => h.ip);
    const webIp = new URL(String(outputs.web_url)).hostname;
    expect(ips).toContain(webIp);
    expect(ips).toContain(outputs.backend_address);
    expect(outputs.backend_address).not.toBe(webIp);
    expect(outputs.page_checksum).toMatch(/^[0-9a-f]{40}$/);
  });

  it('the output URL serves the page, with the values of the other nodes, from the host', async () => {
    const page = await request('GET', String(outputs.web_url), { timeoutMs: 10_000 });
    expect(page.status).toBe(200);
    expect(page.headers.get('server') ?? '').toMatch(/nginx/);
    const webIp = new URL(String(outputs.web_url)).hostname;
    expect(page.text).toContain(`<h1>Hello from baton, backend at ${String(outputs.backend_address)}</h1>`);
    expect(page.text).toContain(`at ${webIp}, deployed by baton.`);
    // The page is the file the playbook wrote on that host, and nginx came from Debian.
    const web = hosts.find((h) => h.ip === webIp)!;
    const onDisk = await onHost(web, 'cat /var/www/baton/index.html; sha1sum /var/www/baton/index.html; dpkg-query -W -f=\'${Status}\' nginx');
    expect(onDisk).toContain(page.text.trim());
    expect(onDisk).toContain(String(outputs.page_checksum));
    expect(onDisk).toContain('install ok installed');
    // The other host was provisioned but has no nginx: nothing was configured there.
    const backend = hosts.find((h) => h.ip === outputs.backend_address)!;
    expect(await onHost(backend, 'dpkg-query -W -f=\'${Status}\' nginx 2>/dev/null || echo absent')).toContain('absent');
  });

  it('GET /resources lists every node instance', async () => {
    const a = await api('GET', `/deployments/${deploymentId}/resources?size=50`);
    expect(a.status, a.text).toBe(200);
    const names = ((a.json as { content: Array<{ toscaNodeName: string; state: string }> }).content).map((r) => r.toscaNodeName).sort();
    expect(names).toEqual(['backend_vm', 'web_server', 'web_vm']);
  });

  it('DELETE → every simulated resource of the deployment is gone, then 404', async () => {
    const prefix = namePrefix(deploymentId);
    expect(simulator!.admin.servers().filter((s) => s.metadata.PAAS_DEP_UUID === deploymentId)).toHaveLength(2);
    const deleted = await api('DELETE', `/deployments/${deploymentId}`);
    expect(deleted.status, deleted.text).toBe(204);
    const gone = await until('404 after DELETE', 120_000, async () => {
      const a = await api('GET', `/deployments/${deploymentId}`);
      if ((a.json as { status?: string } | undefined)?.status === 'DELETE_FAILED') throw new Error(`DELETE_FAILED: ${a.text}`);
      return a.status === 404 ? a : undefined;
    });
    expect(gone.status).toBe(404);
    const os = cloud!;
    expect(simulator!.admin.servers()).toEqual([]);
    expect(await os.compute.listServers()).toEqual([]);
    expect(await os.network.listFloatingIps()).toEqual([]);
    expect(ofDeployment(await os.network.listSecurityGroups(), prefix)).toEqual([]);
    expect(ofDeployment(await os.network.listNetworks(), prefix)).toEqual([]);
    expect(ofDeployment(await os.network.listSubnets(), prefix)).toEqual([]);
    expect(ofDeployment(await os.network.listRouters(), prefix)).toEqual([]);
    expect(await os.network.listPorts()).toEqual([]);
    expect(await os.compute.getKeypair(`${prefix}-key`)).toBeUndefined();
  });
});
