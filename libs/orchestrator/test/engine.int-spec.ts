// The engine end to end below the API: compile → plan persisted → steps as jobs on BullMQ/Redis
// → in-memory cloud and recording runner → outputs; update; delete; failures.
import { afterEach, describe, expect, it } from 'vitest';
import { sshBoundCloud, startHarness, template, type Harness } from './engine-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('engine', () => {
  it('deploys the two-tier template in TOSCA order, scales it out and in, and deletes everything', async () => {
    const cloud = sshBoundCloud();
    h = await startHarness([cloud]);
    const created = await h.orchestrator.deployments.create({ template: template('web-two-tier.yaml'), parameters: { count: '1' }, owner: { issuer: 'https://iam/', subject: 'u1', groups: [] } });
    expect(created.status).toBe('CREATE_IN_PROGRESS');
    const resources0 = await h.orchestrator.deployments.listResources(created.uuid, { page: { page: 0, size: 50, sort: [] } });
    expect(resources0.total).toBe(4);

    const done = await h.waitFor(created.uuid, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(done.status, done.statusReason).toBe('CREATE_COMPLETE');
    const webVm = cloud.list({ deploymentId: created.uuid, kind: 'server' }).find((s) => s.name.endsWith('web_vm_0'))!;
    const fip = cloud.list({ deploymentId: created.uuid, kind: 'floating_ip' })[0];
    expect(done.outputs.web_url).toBe(`http://${fip.detail.address as string}:80/`);
    expect(done.outputs.page_checksum).toBe('sha256:abc');
    expect(done.outputs.web_private_address).toBe(webVm.detail.privateAddress);
    expect(done.cloudProviderName).toBe('memory');
    expect(cloud.list({ deploymentId: created.uuid, kind: 'server' })).toHaveLength(2);
    expect(cloud.list({ deploymentId: created.uuid, kind: 'security_group' })).toHaveLength(2);
    expect(cloud.list({ deploymentId: created.uuid, kind: 'keypair' })).toHaveLength(1);

    const labels = h.runner.operations.map((o) => o.label);
    const at = (l: string) => labels.indexOf(l);
    expect(at('web_server_0 Standard.create')).toBeGreaterThan(at('web_vm_0 Standard.configure'));
    expect(at('web_server_0 Standard.configure')).toBeGreaterThan(at('web_server_0 Standard.create'));
    expect(at('web_server_0 Standard.start')).toBeGreaterThan(at('web_server_0 Standard.configure'));
    expect(at('client_0 Standard.configure')).toBeGreaterThan(at('web_server_0 Standard.start'));
    const configure = h.runner.operations.find((o) => o.label === 'web_server_0 Standard.configure')!;
    expect(configure.vars).toMatchObject({ site_title: 'Hello from baton', server_address: webVm.detail.privateAddress, web_port: 80 });
    const clientOp = h.runner.operations.find((o) => o.label === 'client_0 Standard.configure')!;
    expect(clientOp.vars.web_url).toBe(`http://${webVm.detail.privateAddress as string}:80/`);

    const all = (await h.orchestrator.deployments.listResources(created.uuid, { page: { page: 0, size: 50, sort: [] } })).items;
    expect(all.every((r) => r.state === 'STARTED')).toBe(true);
    const computes = await h.orchestrator.deployments.listResources(created.uuid, { type: 'tosca.nodes.Compute', page: { page: 0, size: 50, sort: [] } });
    expect(computes.total).toBe(2);
    expect(JSON.parse(computes.items[0].metadata.VirtualMachineInfo!).vmProperties).toHaveLength(2);
    expect(await h.orchestrator.deployments.getLog(created.uuid)).toContain('CREATE_COMPLETE');

    await h.orchestrator.deployments.update(created.uuid, { template: template('web-two-tier.yaml'), parameters: { count: 3 } });
    const scaled = await h.waitFor(created.uuid, ['UPDATE_COMPLETE', 'UPDATE_FAILED']);
    expect(scaled.status, scaled.statusReason).toBe('UPDATE_COMPLETE');
    expect(cloud.list({ deploymentId: created.uuid, kind: 'server' })).toHaveLength(4);
    expect((scaled.outputs.client_addresses as string[]).length).toBe(3);
    expect((await h.orchestrator.deployments.listResources(created.uuid, { page: { page: 0, size: 50, sort: [] } })).total).toBe(8);

    const clientVms = (await h.orchestrator.deployments.listResources(created.uuid, { page: { page: 0, size: 50, sort: [] } })).items.filter((r) => r.toscaNodeName === 'client_vm');
    const victim = clientVms.find((r) => r.instanceId === 'client_vm_1')!;
    const withRemoval = template('web-two-tier.yaml').replace(/count: \{ get_input: count \}/, `count: { get_input: count }\n            removal_list: ['${victim.uuid}']`);
    await h.orchestrator.deployments.update(created.uuid, { template: withRemoval, parameters: { count: 2 } });
    const shrunk = await h.waitFor(created.uuid, ['UPDATE_COMPLETE', 'UPDATE_FAILED']);
    expect(shrunk.status, shrunk.statusReason).toBe('UPDATE_COMPLETE');
    const left = cloud.list({ deploymentId: created.uuid, kind: 'server' }).map((s) => s.name);
    expect(left).toHaveLength(3);
    expect(left.some((n) => n.endsWith('client_vm_1'))).toBe(false);
    expect(await h.orchestrator.deployments.getTemplate(created.uuid)).not.toContain('removal_list');

    await h.orchestrator.deployments.delete(created.uuid, { force: false });
    await h.waitGone(created.uuid);
    expect(cloud.list({ deploymentId: created.uuid })).toEqual([]);
  });

  it('moves to the second provider when the first fails, cleaning the first attempt', async () => {
    const bad = sshBoundCloud({ name: 'site-a', rank: 1, failServers: /web_vm/ });
    const good = sshBoundCloud({ name: 'site-b', rank: 2 });
    h = await startHarness([bad, good]);
    const d = await h.orchestrator.deployments.create({ template: template('web-two-tier.yaml'), parameters: {}, owner: null });
    const done = await h.waitFor(d.uuid, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(done.status, done.statusReason).toBe('CREATE_COMPLETE');
    expect(done.cloudProviderName).toBe('site-b');
    expect(bad.list({ deploymentId: d.uuid })).toEqual([]);
    expect(good.list({ deploymentId: d.uuid, kind: 'server' })).toHaveLength(2);
  });

  it('fails with every provider error when quota is exhausted everywhere, and a later delete leaves nothing', async () => {
    const a = sshBoundCloud({ name: 'site-a', rank: 1, maxInstances: 0 });
    const b = sshBoundCloud({ name: 'site-b', rank: 2, failServers: /client_vm/ });
    h = await startHarness([a, b]);
    const d = await h.orchestrator.deployments.create({ template: template('web-two-tier.yaml'), parameters: {}, owner: null, keepLastAttempt: true });
    const failed = await h.waitFor(d.uuid, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(failed.status).toBe('CREATE_FAILED');
    expect(failed.statusReason).toMatch(/^Retries on cloud providers exhausted/);
    expect(failed.statusReason).toContain('Cloud Provider site-a');
    expect(failed.statusReason).toContain('Quota exceeded');
    expect(failed.statusReason).toContain('Cloud Provider site-b');
    expect(failed.statusReason).toContain('went to ERROR');
    expect(b.list({ deploymentId: d.uuid }).length).toBeGreaterThan(0); // keepLastAttempt
    await h.orchestrator.deployments.delete(d.uuid, { force: false });
    await h.waitGone(d.uuid);
    expect(a.list({ deploymentId: d.uuid })).toEqual([]);
    expect(b.list({ deploymentId: d.uuid })).toEqual([]);
  });

  it('fails on a failing playbook with its reason, and on the overall time-out', async () => {
    const { RecordingConfigurationRunner } = await import('@lib/orchestrator');
    const cloud = sshBoundCloud();
    h = await startHarness([cloud], new RecordingConfigurationRunner({ 'web_install.yml': { ok: false, error: 'apt-get install nginx: exit 100' } }));
    const d = await h.orchestrator.deployments.create({ template: template('web-two-tier.yaml'), parameters: {}, owner: null });
    const failed = await h.waitFor(d.uuid, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(failed.status).toBe('CREATE_FAILED');
    expect(failed.statusReason).toContain('web_server_0 Standard.create failed: apt-get install nginx: exit 100');
    expect(cloud.list({ deploymentId: d.uuid })).toEqual([]);

    const slow = await h.orchestrator.deployments.create({ template: template('web-two-tier.yaml'), parameters: {}, owner: null, timeoutMins: 1 });
    h.clockOffsetMs.value = 2 * 60_000;
    const timedOut = await h.waitFor(slow.uuid, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(timedOut.status).toBe('CREATE_FAILED');
    expect(timedOut.statusReason).toBe('Timeout: Maximum execution time exceeded.');
    await h.orchestrator.deployments.delete(slow.uuid, { force: false });
    await h.waitGone(slow.uuid);
    expect(cloud.list({ deploymentId: slow.uuid })).toEqual([]);
  });

  it('refuses an invalid template with the compiler diagnostics and enforces state preconditions', async () => {
    h = await startHarness([sshBoundCloud()]);
    await expect(h.orchestrator.deployments.create({ template: 'tosca_definitions_version: nope\n', parameters: {}, owner: null })).rejects.toMatchObject({ code: 'template_invalid' });
    const err = await h.orchestrator.deployments.create({ template: 'tosca_definitions_version: nope\n', parameters: {}, owner: null }).catch((e: unknown) => e);
    expect((err as { diagnostics: unknown[] }).diagnostics.length).toBeGreaterThan(0);
    await expect(h.orchestrator.deployments.create({ template: template('web-two-tier.yaml'), parameters: {}, owner: null, timeoutMins: 5, providerTimeoutMins: 10 })).rejects.toThrow('ProviderTimeout must be <= Timeout');
    const d = await h.orchestrator.deployments.create({ template: template('web-two-tier.yaml'), parameters: {}, owner: null });
    await expect(h.orchestrator.deployments.update(d.uuid, { template: template('web-two-tier.yaml'), parameters: {} })).rejects.toThrow(/Cannot update a deployment in CREATE_IN_PROGRESS state/);
    await expect(h.orchestrator.deployments.reset(d.uuid, 'DELETE_FAILED')).rejects.toThrow('Cannot reset a deployment in CREATE_IN_PROGRESS state');
    await expect(h.orchestrator.deployments.get('00000000-0000-0000-0000-000000000000')).rejects.toThrow("The deployment 00000000-0000-0000-0000-000000000000 doesn't exist");
    await h.waitFor(d.uuid, ['CREATE_COMPLETE']);
    await h.orchestrator.deployments.delete(d.uuid, { force: true });
    await expect(h.orchestrator.deployments.delete(d.uuid, { force: true })).rejects.toThrow(/Deployment already in DELETE_IN_PROGRESS state./);
    await h.waitGone(d.uuid);
  });
});
