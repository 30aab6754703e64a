// Scale-in runs the removed instances' Standard stop and delete operations (hosted software
// first, then its server) before their servers are deleted; a forced DELETE that leaves cloud
// objects behind says which in the final status reason (the callback).
// Real compiler, PostgreSQL store, BullMQ on Redis, the in-process cloud and the OpenStack simulator.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RecordingConfigurationRunner, startSimulatorProvider, type CloudProvider, type MemoryCloudProvider, type OperationResult, type OperationRun } from '@lib/orchestrator';
import { afterEach, describe, expect, it } from 'vitest';
import { sshBoundCloud, startCallbackSink, startHarness, type CallbackSink, type Harness } from './engine-harness';

const TEMPLATE = readFileSync(resolve(__dirname, 'fixtures/scale-in-teardown.yaml'), 'utf8');
const OWNER = { issuer: 'https://iam/', subject: 's', groups: [] };
// One server that nothing configures (a simulated server has no SSH endpoint).
const ONE_SERVER = `tosca_definitions_version: tosca_simple_yaml_1_0
topology_template:
  node_templates:
    vm:
      type: tosca.nodes.Compute
`;
const ALL = { page: { page: 0, size: 100, sort: [{ field: 'createdAt' as const, direction: 'asc' as const }] } };

/** The recording runner, noting how many servers were still alive when each operation ran. */
class WitnessRunner extends RecordingConfigurationRunner {
  readonly seen: Array<{ label: string; liveServers: number; vars: Record<string, unknown> }> = [];
  cloud?: MemoryCloudProvider;
  override async run(op: OperationRun): Promise<OperationResult> {
    this.seen.push({ label: op.label, liveServers: this.cloud?.list({ kind: 'server' }).length ?? -1, vars: op.vars });
    return super.run(op);
  }
}

let h: Harness | undefined;
let sink: CallbackSink | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await h?.close();
  for (const close of closers.splice(0)) await close();
  await sink?.close();
  h = undefined;
  sink = undefined;
});

describe('teardown', () => {
  it('scale-in: stop and delete of the removed app, then of its server, all before the server is deleted', async () => {
    const runner = new WitnessRunner();
    const cloud = sshBoundCloud();
    runner.cloud = cloud;
    h = await startHarness([cloud], runner);
    const d = await h.orchestrator.deployments.create({ template: TEMPLATE, parameters: { count: 3 }, owner: OWNER });
    await h.waitFor(d.uuid, ['CREATE_COMPLETE']);
    expect(cloud.list({ kind: 'server' })).toHaveLength(3);
    // Creation runs no teardown.
    expect(runner.seen.filter((s) => /\.(stop|delete)$/.test(s.label))).toEqual([]);

    const resources = await h.orchestrator.deployments.listResources(d.uuid, ALL);
    const vm0 = resources.items.find((r) => r.instanceId === 'vm_0')!;
    const removal = TEMPLATE.replace('count: { get_input: count }', `count: { get_input: count }\n            removal_list: ['${vm0.uuid}']`);
    await h.orchestrator.deployments.update(d.uuid, { template: removal, parameters: { count: 2 } });
    await h.waitFor(d.uuid, ['UPDATE_COMPLETE']);

    const teardown = runner.seen.filter((s) => /\.(stop|delete)$/.test(s.label));
    expect(teardown.map((s) => s.label)).toEqual(['app_0 Standard.stop', 'app_0 Standard.delete', 'vm_0 Standard.stop']);
    // Each ran while all three servers still existed, and its inputs saw the removed host.
    expect(teardown.map((s) => s.liveServers)).toEqual([3, 3, 3]);
    const addressOfVm0 = vm0.attributes.private_address;
    expect(addressOfVm0).toBeTruthy();
    expect(teardown[0].vars.address).toBe(addressOfVm0);
    // Then the server went: two remain, and vm_0/app_0 are no longer resources.
    expect(cloud.list({ kind: 'server' })).toHaveLength(2);
    const after = await h.orchestrator.deployments.listResources(d.uuid, ALL);
    expect(after.items.map((r) => r.instanceId).sort()).toEqual(['app_1', 'app_2', 'vm_1', 'vm_2']);
    const log = await h.orchestrator.deployments.getLog(d.uuid);
    expect(log.indexOf('app_0 Standard.stop')).toBeLessThan(log.indexOf('vm_0: removed'));
  }, 180_000);

  it('force delete: what stays in the cloud is named in the final status reason', async () => {
    sink = await startCallbackSink();
    const bodies = sink.bodies;
    const { provider, simulator } = await startSimulatorProvider({ name: 'simulator', bootTimeMs: 50 });
    closers.push(() => simulator.close());
    h = await startHarness([provider as CloudProvider]);
    const d = await h.orchestrator.deployments.create({ template: ONE_SERVER, parameters: {}, owner: OWNER, callback: sink.url });
    await h.waitFor(d.uuid, ['CREATE_COMPLETE']);
    const [vm] = simulator.admin.servers().filter((s) => s.metadata.PAAS_DEP_UUID === d.uuid);
    // Nova refuses every server delete from now on.
    simulator.admin.injectFault({ service: 'compute', method: 'DELETE', path: '^/servers/', status: 409, message: 'Cannot delete a server in this state', times: 1000 });

    await h.orchestrator.deployments.delete(d.uuid, { force: true });
    await h.waitGone(d.uuid);

    const final = bodies.at(-1)!;
    expect(final.status).toBe('DELETE_COMPLETE');
    expect(String(final.statusReason)).toMatch(/^force: deleted what could be deleted; left in the cloud:\n/);
    expect(String(final.statusReason)).toContain(`server ${vm.name} (${vm.id})`);
    // The server really is still there; the rest of the deployment's objects are gone.
    expect(simulator.admin.servers().filter((s) => s.metadata.PAAS_DEP_UUID === d.uuid)).toHaveLength(1);
  }, 180_000);
});
