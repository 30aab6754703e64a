// The engine against the real OpenStack simulator (HTTP, Keystone, Nova, Neutron, Cinder): a
// compute-only template with a public endpoint, two deployments side by side, a volume and
// relationship operations; each deleted after, leaving nothing of it.
import { namePrefix, RecordingConfigurationRunner, startSimulatorProvider, type CloudProvider } from '@lib/orchestrator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { simulatorClient, startHarness, type Harness } from './engine-harness';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

const COMPUTE_ONLY = `
tosca_definitions_version: tosca_simple_yaml_1_0
topology_template:
  inputs:
    count: { type: integer, default: 2 }
  node_templates:
    vm:
      type: tosca.nodes.Compute
      capabilities:
        endpoint:
          properties:
            network_name: PUBLIC
            ports:
              http: { protocol: tcp, source: 8080 }
        scalable:
          properties:
            default_instances: { get_input: count }
            max_instances: 10
        host:
          properties: { num_cpus: 1, mem_size: 1 GB }
        os:
          properties: { type: linux, distribution: ubuntu }
  outputs:
    ips: { value: { get_attribute: [ vm, public_address ] } }
`;

const CONFIGURED = `
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
        host:
          properties: { num_cpus: 1, mem_size: 1 GB }
`;

let h: Harness | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await h?.close();
  await close?.();
  h = undefined;
});

describe('engine on the OpenStack simulator', () => {
  it('creates servers, network, security groups and floating IPs, then deletes every one', async () => {
    const { provider, simulator } = await startSimulatorProvider({ bootTimeMs: 200 });
    close = () => simulator.close();
    h = await startHarness([provider as CloudProvider]);
    const d = await h.orchestrator.deployments.create({ template: COMPUTE_ONLY, parameters: {}, owner: null });
    const done = await h.waitFor(d.uuid, ['CREATE_COMPLETE', 'CREATE_FAILED'], 60_000);
    expect(done.status, done.statusReason).toBe('CREATE_COMPLETE');
    const servers = simulator.admin.servers().filter((s) => s.metadata.PAAS_DEP_UUID === d.uuid);
    expect(servers).toHaveLength(2);
    expect(servers.every((s) => s.status === 'ACTIVE')).toBe(true);
    expect((done.outputs.ips as string[]).length).toBe(2);
    await h.orchestrator.deployments.delete(d.uuid, { force: false });
    await h.waitGone(d.uuid, 60_000);
    expect(simulator.admin.servers().filter((s) => s.metadata.PAAS_DEP_UUID === d.uuid && s.status !== 'DELETED')).toEqual([]);
  });

  it('gives two deployments made in the same minute cloud objects of their own: deleting one leaves the other whole', async () => {
    const { provider, simulator } = await startSimulatorProvider({ bootTimeMs: 100 });
    close = () => simulator.close();
    h = await startHarness([provider as CloudProvider]);
    const [a, b] = await Promise.all([0, 1].map(() => h!.orchestrator.deployments.create({ template: COMPUTE_ONLY, parameters: { count: 1 }, owner: null })));
    // Time-ordered ids: made together, they share their leading digits.
    expect(a.uuid.slice(0, 8)).toBe(b.uuid.slice(0, 8));
    expect(namePrefix(a.uuid)).not.toBe(namePrefix(b.uuid));
    for (const d of [a, b]) expect((await h.waitFor(d.uuid, ['CREATE_COMPLETE', 'CREATE_FAILED'], 60_000)).status).toBe('CREATE_COMPLETE');
    const os = simulatorClient(simulator);
    const keyOf = async (id: string) => (await os.compute.listServers()).find((s) => s.metadata.PAAS_DEP_UUID === id)?.key_name;
    const [keyA, keyB] = [await keyOf(a.uuid), await keyOf(b.uuid)];
    expect(keyA).toBe(`${namePrefix(a.uuid)}-key`);
    expect(keyB).toBe(`${namePrefix(b.uuid)}-key`);
    await h.orchestrator.deployments.delete(a.uuid, { force: false });
    await h.waitGone(a.uuid, 60_000);
    expect(await os.compute.getKeypair(keyA!)).toBeUndefined();
    expect(await os.compute.getKeypair(keyB!)).toBeDefined();
    expect((await os.network.listNetworks({ name: `${namePrefix(b.uuid)}-net` })).length).toBe(1);
    os.close();
  });

  it('attaches a block storage volume and runs relationship operations in TOSCA order with the target\'s values, and DELETE removes the volume too', async () => {
    const { provider, simulator } = await startSimulatorProvider({ bootTimeMs: 100, sshPool: ['127.0.0.1'] });
    close = () => simulator.close();
    const runner = new RecordingConfigurationRunner();
    h = await startHarness([provider as CloudProvider], runner);
    const d = await h.orchestrator.deployments.create({ template: fixture('volume-and-relationship.yaml'), parameters: {}, owner: null });
    const done = await h.waitFor(d.uuid, ['CREATE_COMPLETE', 'CREATE_FAILED'], 60_000);
    expect(done.status, done.statusReason).toBe('CREATE_COMPLETE');

    const os = simulatorClient(simulator);
    const servers = (await os.compute.listServers()).filter((s) => s.metadata.PAAS_DEP_UUID === d.uuid);
    const serverVm = servers.find((s) => s.name.endsWith('-server_vm_0'))!;
    const volumes = (await os.volume.listVolumes()).filter((v) => v.name?.startsWith(namePrefix(d.uuid)));
    expect(volumes.map((v) => [v.size, v.status, v.attachments.map((a) => a.server_id)])).toEqual([[2, 'in-use', [serverVm.id]]]);

    // Standard.configure of the target before anything of the source; the source's
    // pre_configure_source before its configure, add_target after it (TOSCA 1.3 §5.8.5).
    const labels = runner.operations.map((o) => o.label);
    const at = (label: string) => labels.indexOf(label);
    expect(at('server_app_0 Standard.configure')).toBeGreaterThanOrEqual(0);
    expect(at('server_app_0 Standard.configure')).toBeLessThan(at('client_app_0 server.pre_configure_source'));
    expect(at('client_app_0 server.pre_configure_source')).toBeLessThan(at('client_app_0 Standard.configure'));
    expect(at('client_app_0 Standard.configure')).toBeLessThan(at('client_app_0 server.add_target'));
    const link = runner.operations.find((o) => o.label === 'client_app_0 server.pre_configure_source')!;
    expect(link.vars.server_ip).toBe(Object.values(serverVm.addresses).flat()[0]?.addr);
    expect(link.vars.server_version).toBe('1.2.0');

    await h.orchestrator.deployments.delete(d.uuid, { force: false });
    await h.waitGone(d.uuid, 60_000);
    expect((await os.volume.listVolumes()).filter((v) => v.name?.startsWith(namePrefix(d.uuid)))).toEqual([]);
    expect((await os.compute.listServers()).filter((s) => s.metadata.PAAS_DEP_UUID === d.uuid)).toEqual([]);
    os.close();
  });

  it('says plainly that a simulated server without a bound host has no SSH endpoint', async () => {
    const { provider, simulator } = await startSimulatorProvider({ bootTimeMs: 100 });
    close = () => simulator.close();
    h = await startHarness([provider as CloudProvider]);
    const d = await h.orchestrator.deployments.create({ template: CONFIGURED, parameters: {}, owner: null });
    const failed = await h.waitFor(d.uuid, ['CREATE_COMPLETE', 'CREATE_FAILED'], 60_000);
    expect(failed.status).toBe('CREATE_FAILED');
    expect(failed.statusReason).toContain('has no SSH endpoint');
    expect(failed.statusReason).toContain('a simulated server has one only when a host is bound to it');
    expect(simulator.admin.servers().filter((s) => s.metadata.PAAS_DEP_UUID === d.uuid && s.status !== 'DELETED')).toEqual([]);
  });
});
