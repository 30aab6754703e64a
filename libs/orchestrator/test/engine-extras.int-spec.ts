// Callbacks, progress events, the log stream and start/stop actions, through the facade.
import { RecordingConfigurationRunner, type DeploymentEvent, type DeploymentStore } from '@lib/orchestrator';
import { afterEach, describe, expect, it } from 'vitest';
import { sshBoundCloud, startCallbackSink, startHarness, template, type CallbackSink, type Harness } from './engine-harness';

/**
 * Wraps the store so that each write of a terminal status first notes the resource states the
 * store holds at that moment: what a reader who stops at that status can have seen.
 */
function watchTerminalWrites(seen: Array<{ status: string; states: string[] }>): (store: DeploymentStore) => DeploymentStore {
  return (store) =>
    new Proxy(store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (key !== 'updateDeployment' || typeof value !== 'function') return value;
        return async (...args: Parameters<DeploymentStore['updateDeployment']>) => {
          const status = args[1].status;
          if (status && /_(COMPLETE|FAILED)$/.test(status)) {
            seen.push({ status, states: (await target.listResources(args[0], {})).rows.map((r) => r.state) });
          }
          return (value as DeploymentStore['updateDeployment']).apply(target, args);
        };
      },
    });
}

let h: Harness | undefined;
let sink: CallbackSink | undefined;
afterEach(async () => {
  await h?.close();
  await sink?.close();
  h = undefined;
  sink = undefined;
});

describe('engine extras', () => {
  it('posts the callback on submission and completion, streams events and log lines, and starts/stops a server', async () => {
    sink = await startCallbackSink();
    const bodies = sink.bodies;
    const cloud = sshBoundCloud();
    h = await startHarness([cloud]);
    const d = await h.orchestrator.deployments.create({ template: template('web-two-tier.yaml'), parameters: { site_title: 'x' }, owner: { issuer: 'https://iam/', subject: 's', groups: [] }, callback: sink.url });

    const abort = new AbortController();
    const events: DeploymentEvent[] = [];
    const collecting = (async () => {
      for await (const e of h!.orchestrator.deployments.events(d.uuid, { signal: abort.signal })) {
        events.push(e);
        if (e.kind === 'status' && e.status === 'CREATE_COMPLETE') break;
      }
    })();
    const lines: string[] = [];
    const logAbort = new AbortController();
    const logging = (async () => {
      for await (const l of h!.orchestrator.deployments.streamLog(d.uuid, { signal: logAbort.signal })) lines.push(l.text);
    })();

    await h.waitFor(d.uuid, ['CREATE_COMPLETE']);
    await collecting;
    abort.abort();
    await new Promise((r) => setTimeout(r, 800));
    logAbort.abort();
    await logging;

    expect(events.filter((e) => e.kind === 'status').map((e) => (e as { status: string }).status)).toContain('CREATE_COMPLETE');
    expect(events.some((e) => e.kind === 'resource' && e.state === 'STARTED')).toBe(true);
    expect(lines.some((l) => l.includes('CREATE_COMPLETE'))).toBe(true);
    const statuses = bodies.map((b) => b.status);
    expect(statuses[0]).toBe('CREATE_IN_PROGRESS');
    expect(statuses).toContain('CREATE_COMPLETE');
    const final = bodies.find((b) => b.status === 'CREATE_COMPLETE')!;
    expect(final.uuid).toBe(d.uuid);
    expect(final.links).toBeUndefined();
    expect(final.createdBy).toEqual({ issuer: 'https://iam/', subject: 's' });
    expect(final.creationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d\+0000$/);

    const vm = (await h.orchestrator.deployments.listResources(d.uuid, { type: 'tosca.nodes.Compute', page: { page: 0, size: 10, sort: [] } })).items.find((r) => r.toscaNodeName === 'web_vm')!;
    await h.orchestrator.deployments.resourceAction(d.uuid, vm.uuid, 'stop');
    const until = async (state: string) => {
      const deadline = Date.now() + 15_000;
      while ((await h!.orchestrator.deployments.getResource(d.uuid, vm.uuid)).state !== state) {
        if (Date.now() > deadline) throw new Error(`resource never ${state}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until('STOPPED');
    expect(cloud.list({ deploymentId: d.uuid, kind: 'server' }).find((s) => s.id === vm.physicalId)?.status).toBe('SHUTOFF');
    await h.orchestrator.deployments.resourceAction(d.uuid, vm.uuid, 'start');
    await until('STARTED');
    await expect(h.orchestrator.deployments.resourceAction(d.uuid, '00000000-0000-0000-0000-000000000000', 'start')).rejects.toMatchObject({ code: 'resource_not_found' });
    const info = JSON.parse(await h.orchestrator.deployments.getExtraInfo(d.uuid)) as unknown[];
    expect(info).toHaveLength(2);
    expect(JSON.stringify(info)).not.toContain('PRIVATE KEY');
  });

  it('posts the callback on failure too: the deployment JSON with CREATE_FAILED and its reason', async () => {
    sink = await startCallbackSink();
    const failing = new RecordingConfigurationRunner({ 'web_install.yml': { ok: false, error: 'apt-get install nginx: exit 100' } });
    h = await startHarness([sshBoundCloud()], failing);
    const owner = { issuer: 'https://iam/', subject: 's', groups: [] };
    const d = await h.orchestrator.deployments.create({ template: template('web-two-tier.yaml'), parameters: {}, owner, callback: sink.url });
    const failed = await h.waitFor(d.uuid, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(failed.status).toBe('CREATE_FAILED');
    const deadline = Date.now() + 15_000;
    while (!sink.bodies.some((b) => b.status === 'CREATE_FAILED')) {
      if (Date.now() > deadline) throw new Error(`no CREATE_FAILED callback; got ${JSON.stringify(sink.bodies.map((b) => b.status))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const statuses = sink.bodies.map((b) => b.status);
    expect(statuses[0]).toBe('CREATE_IN_PROGRESS');
    expect(statuses).not.toContain('CREATE_COMPLETE');
    const body = sink.bodies.find((b) => b.status === 'CREATE_FAILED')!;
    expect(body.uuid).toBe(d.uuid);
    expect(body.task).toBe('NONE');
    expect(body.statusReason).toBe(failed.statusReason);
    expect(body.statusReason).toContain('apt-get install nginx: exit 100');
    expect(body.createdBy).toEqual({ issuer: 'https://iam/', subject: 's' });
    expect(body.callback).toBe(sink.url);
    expect(body.links).toBeUndefined();
  });

  it('writes every resource state before the terminal status that follows from it, on success and on failure', async () => {
    const seen: Array<{ status: string; states: string[] }> = [];
    const runner = new RecordingConfigurationRunner({ 'web_configure.yml': { outputs: { page_checksum: 'sha256:abc' } } });
    h = await startHarness([sshBoundCloud()], runner, watchTerminalWrites(seen));
    const ok = await h.orchestrator.deployments.create({ template: template('web-two-tier.yaml'), parameters: {}, owner: null });
    expect((await h.waitFor(ok.uuid, ['CREATE_COMPLETE', 'CREATE_FAILED'])).status).toBe('CREATE_COMPLETE');
    await h.close();

    const failing = new RecordingConfigurationRunner({ 'web_install.yml': { ok: false, error: 'apt-get install nginx: exit 100' } });
    h = await startHarness([sshBoundCloud()], failing, watchTerminalWrites(seen));
    const bad = await h.orchestrator.deployments.create({ template: template('web-two-tier.yaml'), parameters: {}, owner: null });
    expect((await h.waitFor(bad.uuid, ['CREATE_COMPLETE', 'CREATE_FAILED'])).status).toBe('CREATE_FAILED');

    expect(seen.map((s) => s.status)).toEqual(['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(seen[0].states.length).toBeGreaterThan(1);
    expect(new Set(seen[0].states)).toEqual(new Set(['STARTED']));
    expect(new Set(seen[1].states)).toEqual(new Set(['ERROR']));
  });

  it('keeps a secret that a playbook publishes out of the resource attributes, and still hands it to get_operation_output', async () => {
    const token = 'Tok-5150-never-shown';
    const runner = new RecordingConfigurationRunner({ 'web_configure.yml': { outputs: { page_checksum: 'sha256:abc', echoed: `bearer ${token}` } } });
    h = await startHarness([sshBoundCloud()], runner);
    // An undeclared parameter with a secret-looking name is a secret too.
    const d = await h.orchestrator.deployments.create({ template: template('web-two-tier.yaml'), parameters: { site_title: 'x', api_token: token }, owner: { issuer: 'https://iam/', subject: 's', groups: [] } });
    const done = await h.waitFor(d.uuid, ['CREATE_COMPLETE', 'CREATE_FAILED']);
    expect(done.status, done.statusReason).toBe('CREATE_COMPLETE');
    expect(done.outputs.page_checksum).toBe('sha256:abc');
    const web = (await h.orchestrator.deployments.listResources(d.uuid, { page: { page: 0, size: 50, sort: [] } })).items.find((r) => r.toscaNodeName === 'web_server')!;
    expect(web.attributes.page_checksum).toBe('sha256:abc');
    expect(web.attributes.echoed).toBe('bearer ****');
    expect(JSON.stringify(await h.orchestrator.deployments.getResource(d.uuid, web.uuid))).not.toContain(token);
  });
});
