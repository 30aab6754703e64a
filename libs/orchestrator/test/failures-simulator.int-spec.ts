// Issue 5, point 2, on the OpenStack simulator (HTTP Keystone, Nova, Neutron): a server that goes
// to ERROR, a playbook that fails, quota exhausted on the first provider, the overall time-out.
// Each ends in the documented status and reason, and a later DELETE leaves the simulator with
// nothing of that deployment: no server, port, floating IP, security group, network, router or
// key pair, as the OpenStack API itself lists them.
import type { CloudSimulator } from '@lib/openstack';
import { namePrefix, RecordingConfigurationRunner, startSimulatorProvider, type CloudProvider, type DeploymentStatus } from '@lib/orchestrator';
import { afterEach, describe, expect, it } from 'vitest';
import { simulatorClient, startHarness, type Harness } from './engine-harness';

// A configured server behind a public endpoint: it makes every kind of object the engine makes.
const WEB = `
tosca_definitions_version: tosca_simple_yaml_1_0
topology_template:
  node_templates:
    app:
      type: tosca.nodes.SoftwareComponent
      requirements:
        - host: vm
      interfaces:
        Standard:
          configure: { implementation: configure.yml }
    vm:
      type: tosca.nodes.Compute
      capabilities:
        endpoint:
          properties:
            network_name: PUBLIC
            ports:
              http: { protocol: tcp, source: 80 }
        host:
          properties: { num_cpus: 1, mem_size: 1 GB }
        os:
          properties: { type: linux, distribution: ubuntu }
  outputs:
    ip: { value: { get_attribute: [ vm, public_address ] } }
`;

let h: Harness | undefined;
const simulators: CloudSimulator[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const s of simulators.splice(0)) await s.close();
});

/** A simulator whose servers answer SSH on loopback (the recording runner connects to nothing). */
async function cloud(name: string, rank: number, quotaInstances?: number, bootTimeMs = 100): Promise<{ provider: CloudProvider; simulator: CloudSimulator }> {
  const started = await startSimulatorProvider({ name, rank, bootTimeMs, sshPool: ['127.0.0.1'], ...(quotaInstances !== undefined ? { quotaInstances } : {}) });
  simulators.push(started.simulator);
  return started;
}

/** What the simulator still holds of a deployment, listed through the OpenStack APIs. */
async function leftovers(simulator: CloudSimulator, deploymentId: string): Promise<string[]> {
  const os = simulatorClient(simulator);
  const prefix = namePrefix(deploymentId);
  const [servers, networks, routers, groups, ports, fips, keypair] = await Promise.all([
    os.compute.listServers(),
    os.network.listNetworks(),
    os.network.listRouters(),
    os.network.listSecurityGroups(),
    os.network.listPorts(),
    os.network.listFloatingIps(),
    os.compute.getKeypair(`${prefix}-key`),
  ]).finally(() => os.close());
  const ours = (name: string | undefined) => (name ?? '').startsWith(prefix);
  return [
    ...servers.filter((s) => s.metadata?.PAAS_DEP_UUID === deploymentId || ours(s.name)).map((s) => `server ${s.name} ${s.status}`),
    ...networks.filter((n) => ours(n.name)).map((n) => `network ${n.name}`),
    ...routers.filter((r) => ours(r.name)).map((r) => `router ${r.name}`),
    ...groups.filter((g) => ours(g.name)).map((g) => `security group ${g.name}`),
    // The simulator serves this test alone: any server port or floating IP left is the deployment's.
    ...ports.filter((p) => (p.device_owner ?? '').startsWith('compute:')).map((p) => `port ${p.id}`),
    ...fips.map((f) => `floating ip ${f.floating_ip_address}`),
    ...(keypair ? [`keypair ${keypair.name}`] : []),
  ];
}

async function deleteAndCheck(harness: Harness, id: string, clouds: CloudSimulator[]): Promise<void> {
  await harness.orchestrator.deployments.delete(id, { force: false });
  await harness.waitGone(id, 60_000);
  for (const simulator of clouds) expect(await leftovers(simulator, id)).toEqual([]);
}

const ENDED: DeploymentStatus[] = ['CREATE_COMPLETE', 'CREATE_FAILED'];

describe('failures on the OpenStack simulator', () => {
  it('a server that goes to ERROR fails the deployment with Nova\'s fault, and DELETE leaves nothing', async () => {
    const { provider, simulator } = await cloud('site-a', 1);
    simulator.admin.failServers({ message: 'No valid host was found. There are not enough hosts available.', times: 10 });
    h = await startHarness([provider]);
    const d = await h.orchestrator.deployments.create({ template: WEB, parameters: {}, owner: null, keepLastAttempt: true });
    const failed = await h.waitFor(d.uuid, ENDED, 60_000);
    expect(failed.status).toBe('CREATE_FAILED');
    expect(failed.statusReason).toContain('Retries on cloud providers exhausted');
    expect(failed.statusReason).toContain('No valid host was found. There are not enough hosts available.');
    // keepLastAttempt: the failed attempt is left for inspection until the DELETE.
    expect((await leftovers(simulator, d.uuid)).some((l) => l.startsWith('server '))).toBe(true);
    await deleteAndCheck(h, d.uuid, [simulator]);
  });

  it('a failing playbook fails the deployment with its error, and DELETE leaves nothing', async () => {
    const { provider, simulator } = await cloud('site-a', 1);
    h = await startHarness([provider], new RecordingConfigurationRunner({ 'configure.yml': { ok: false, error: 'apt-get install nginx: exit 100' } }));
    const d = await h.orchestrator.deployments.create({ template: WEB, parameters: {}, owner: null, keepLastAttempt: true });
    const failed = await h.waitFor(d.uuid, ENDED, 60_000);
    expect(failed.status).toBe('CREATE_FAILED');
    expect(failed.statusReason).toContain('Standard.configure failed: apt-get install nginx: exit 100');
    // The kept attempt holds one of each kind: the listing below sees them all while they exist.
    const kinds = new Set((await leftovers(simulator, d.uuid)).map((l) => l.split(' ').slice(0, l.startsWith('security') || l.startsWith('floating') ? 2 : 1).join(' ')));
    expect(kinds).toEqual(new Set(['server', 'network', 'router', 'security group', 'port', 'floating ip', 'keypair']));
    await deleteAndCheck(h, d.uuid, [simulator]);
  });

  it('quota exhausted on the first provider: the attempt is cleaned and the second provider is used', async () => {
    const first = await cloud('site-a', 1, 0);
    const second = await cloud('site-b', 2);
    h = await startHarness([first.provider, second.provider]);
    const d = await h.orchestrator.deployments.create({ template: WEB, parameters: {}, owner: null });
    const done = await h.waitFor(d.uuid, ENDED, 60_000);
    expect(done.status, done.statusReason).toBe('CREATE_COMPLETE');
    expect(done.cloudProviderName).toBe('site-b');
    expect(await h.orchestrator.deployments.getLog(d.uuid)).toMatch(/Quota exceeded for instances/);
    expect(await leftovers(first.simulator, d.uuid)).toEqual([]);
    expect(second.simulator.admin.servers().filter((s) => s.metadata.PAAS_DEP_UUID === d.uuid && s.status === 'ACTIVE')).toHaveLength(1);
    await deleteAndCheck(h, d.uuid, [first.simulator, second.simulator]);
  });

  it('a provider that outlives providerTimeoutMins is cleaned and the next one used, though its server is still booting', async () => {
    const slow = await cloud('site-a', 1, undefined, 600_000);
    const fast = await cloud('site-b', 2);
    h = await startHarness([slow.provider, fast.provider]);
    const d = await h.orchestrator.deployments.create({ template: WEB, parameters: {}, owner: null, providerTimeoutMins: 1 });
    const deadline = Date.now() + 30_000;
    while (!slow.simulator.admin.servers().some((s) => s.metadata.PAAS_DEP_UUID === d.uuid)) {
      if (Date.now() > deadline) throw new Error('no server was created on site-a');
      await new Promise((r) => setTimeout(r, 50));
    }
    // The step waits for a server that boots in ten minutes; past the provider's minute, it is cut off.
    h.clockOffsetMs.value = 2 * 60_000;
    const done = await h.waitFor(d.uuid, ENDED, 60_000);
    expect(done.status, done.statusReason).toBe('CREATE_COMPLETE');
    expect(done.cloudProviderName).toBe('site-b');
    const log = await h.orchestrator.deployments.getLog(d.uuid);
    expect(log).toContain('provider site-a failed (vm_0: provider timeout during deployment (1 min)); trying site-b');
    expect(log).not.toContain('vanished');
    expect(await leftovers(slow.simulator, d.uuid)).toEqual([]);
    await deleteAndCheck(h, d.uuid, [slow.simulator, fast.simulator]);
  });

  it('a DELETE while the create is still booting servers stops it and leaves nothing', async () => {
    const { provider, simulator } = await cloud('site-a', 1, undefined, 600_000);
    h = await startHarness([provider]);
    const d = await h.orchestrator.deployments.create({ template: WEB, parameters: {}, owner: null });
    const deadline = Date.now() + 30_000;
    while (!simulator.admin.servers().some((s) => s.metadata.PAAS_DEP_UUID === d.uuid)) {
      if (Date.now() > deadline) throw new Error('no server was created');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await h.orchestrator.deployments.get(d.uuid)).status).toBe('CREATE_IN_PROGRESS');
    await deleteAndCheck(h, d.uuid, [simulator]);
  });

  it('the overall time-out fails a deployment still booting, and DELETE leaves nothing', async () => {
    const { provider, simulator } = await cloud('site-a', 1, undefined, 60_000);
    h = await startHarness([provider]);
    const d = await h.orchestrator.deployments.create({ template: WEB, parameters: {}, owner: null, timeoutMins: 1 });
    // Wait until the server exists (booting for a minute), then move the engine's clock past the deadline.
    const deadline = Date.now() + 30_000;
    while (!simulator.admin.servers().some((s) => s.metadata.PAAS_DEP_UUID === d.uuid)) {
      if (Date.now() > deadline) throw new Error('no server was created');
      await new Promise((r) => setTimeout(r, 50));
    }
    h.clockOffsetMs.value = 2 * 60_000;
    const failed = await h.waitFor(d.uuid, ENDED, 60_000);
    expect(failed.status).toBe('CREATE_FAILED');
    expect(failed.statusReason).toBe('Timeout: Maximum execution time exceeded.');
    await deleteAndCheck(h, d.uuid, [simulator]);
  });
});
