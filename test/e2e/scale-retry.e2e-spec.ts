// Issue 10 defect 1: a scale-out that failed on quota, retried once quota allows it, must create the
// instance it never made (it used to log "0 added, 2 reconfigured", end UPDATE_COMPLETE with one
// server and null outputs). Driven over HTTP: baton's API and the OpenStack simulator's quota call.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulatorProvider } from '@lib/orchestrator';
import type { CloudSimulator } from '@lib/openstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaton, type RunningBaton } from './support/baton.harness';
import { request, waitFor } from './support/http.client';

const TEMPLATE = readFileSync(join(__dirname, '../../templates/virtual-machines.yaml'), 'utf8');

let baton: RunningBaton;
let simulator: CloudSimulator;

async function settled(id: string): Promise<{ status: string; statusReason?: string; outputs?: Record<string, unknown> }> {
  return waitFor(`deployment ${id} to settle`, async () => {
    const d = (await request('GET', `${baton.url}/deployments/${id}`)).json as { status: string; statusReason?: string; outputs?: Record<string, unknown> };
    return d.status.endsWith('_IN_PROGRESS') ? undefined : d;
  }, 120_000);
}

async function setQuota(instances: number): Promise<void> {
  const r = await request('POST', `${simulator.url}/admin/quotas`, { body: { quota: { instances } } });
  expect(r.status, r.text).toBe(204);
}

async function serversOf(id: string): Promise<Array<{ status: string; metadata: Record<string, string> }>> {
  const r = await request('GET', `${simulator.url}/admin/servers`);
  return (r.json as { servers: Array<{ status: string; metadata: Record<string, string> }> }).servers.filter((s) => s.metadata.PAAS_DEP_UUID === id);
}

beforeAll(async () => {
  const started = await startSimulatorProvider({ name: 'simulator', bootTimeMs: 200 });
  simulator = started.simulator;
  baton = await startBaton({}, { engine: { providers: [started.provider] } });
}, 300_000);

afterAll(async () => {
  await baton?.close();
  await simulator?.close();
}, 120_000);

describe('a scale-out retried after a quota failure', () => {
  it('creates the instance the failed attempt never made, and the outputs name both servers', async () => {
    const created = await request('POST', `${baton.url}/deployments`, { body: { template: TEMPLATE, parameters: { count: 1 } } });
    expect(created.status, created.text).toBe(201);
    const id = (created.json as { uuid: string }).uuid;
    expect((await settled(id)).status).toBe('CREATE_COMPLETE');

    await setQuota(1);
    expect((await request('PUT', `${baton.url}/deployments/${id}`, { body: { template: TEMPLATE, parameters: { count: 2 } } })).status).toBe(202);
    const failed = await settled(id);
    expect(failed.status).toBe('UPDATE_FAILED');
    expect(failed.statusReason).toMatch(/quota/i);

    await setQuota(10);
    expect((await request('PUT', `${baton.url}/deployments/${id}`, { body: { template: TEMPLATE, parameters: { count: 2 } } })).status).toBe(202);
    const done = await settled(id);
    expect(done.status).toBe('UPDATE_COMPLETE');
    expect((await serversOf(id)).map((s) => s.status)).toEqual(['ACTIVE', 'ACTIVE']);
    const resources = (await request('GET', `${baton.url}/deployments/${id}/resources`)).json as { content: Array<{ state: string; physicalId?: string; toscaNodeType: string }> };
    const vms = resources.content.filter((r) => r.toscaNodeType !== 'tosca.nodes.Root' && r.physicalId !== undefined);
    expect(vms).toHaveLength(2);
    expect(resources.content.every((r) => r.state === 'STARTED')).toBe(true);
    const addresses = done.outputs?.public_addresses;
    expect(Array.isArray(addresses) && addresses.length === 2 && addresses.every((a) => typeof a === 'string')).toBe(true);
    const log = (await request('GET', `${baton.url}/deployments/${id}/log`)).text;
    expect(log).toContain('update submitted: 1 added, 0 removed, 1 reconfigured');
  }, 300_000);
});
