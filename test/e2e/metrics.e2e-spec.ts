// Prometheus metrics over HTTP (issue 5), in both layouts:
// - production (docker-compose): `serve --no-worker` and a lone `baton worker` on PostgreSQL and
//   Redis. The API's /metrics reads deployments by status and queue depth from the shared store
//   and queue (a job waits there while no worker runs); the worker's BATON_METRICS_LISTEN serves
//   the step durations and cloud API calls it records.
// - embedded (`npm start`): all four families on the API's /metrics.
// Needs PostgreSQL on 127.0.0.1:5432 and Redis on :6379.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatorProvider } from '@lib/orchestrator';
import type { CloudSimulator } from '@lib/openstack';
import type { EngineOverrides } from '../../apps/worker/src/engine.composition';
import { startBaton, startBatonWorker, type RunningBaton } from './support/baton.harness';
import { request, waitFor } from './support/http.client';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database';

const TEMPLATE = readFileSync(join(__dirname, 'fixtures/compute-pair.yaml'), 'utf8');
const PG_ADMIN = process.env.BATON_E2E_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.BATON_E2E_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Samples of one metric in the text format: labels (as `k="v",...`) → value. */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m && m[1] === name) found.set(m[2] ?? '', Number(m[3]));
  }
  return found;
}

/** The sum of a metric's samples whose labels include every `k="v"` of `labels`. */
function total(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [l, v] of samples(text, name)) {
    if (Object.entries(labels).every(([k, value]) => l.split(',').includes(`${k}="${value}"`))) sum += v;
  }
  return sum;
}

async function metrics(url: string): Promise<string> {
  const a = await request('GET', url);
  expect(a.status, a.text).toBe(200);
  expect(a.headers.get('content-type')).toMatch(/^text\/plain/);
  return a.text;
}

async function deploy(baton: RunningBaton): Promise<string> {
  const a = await request('POST', `${baton.url}/deployments`, { body: { template: TEMPLATE, parameters: { count: 1 } } });
  expect(a.status, a.text).toBe(201);
  return (a.json as { uuid: string }).uuid;
}

function untilComplete(baton: RunningBaton, id: string): Promise<true> {
  return waitFor('CREATE_COMPLETE', async () => {
    const d = (await request('GET', `${baton.url}/deployments/${id}`)).json as { status: string; statusReason?: string };
    if (d.status === 'CREATE_FAILED') throw new Error(`CREATE_FAILED: ${d.statusReason ?? ''}`);
    return d.status === 'CREATE_COMPLETE' ? true : undefined;
  }, 120_000, 300);
}

describe.sequential('metrics with the API and a worker in processes of their own (PostgreSQL, Redis)', () => {
  let db: ScratchDatabase | undefined;
  let env: Record<string, string>;
  let simulator: CloudSimulator;
  let engine: EngineOverrides;
  let api: RunningBaton;
  let worker: Awaited<ReturnType<typeof startBatonWorker>> | undefined;
  let id = '';

  beforeAll(async () => {
    db = await createScratchDatabase(PG_ADMIN);
    env = { DATABASE_URL: db.url, REDIS_URL: REDIS, BATON_SECRET_KEY: randomBytes(32).toString('base64') };
    const started = await startSimulatorProvider({ name: 'simulator' });
    simulator = started.simulator;
    // One simulated cloud for both processes, as a real cloud would be; a queue prefix of our own.
    engine = { providers: [started.provider], queuePrefix: `e2e-metrics-${randomBytes(4).toString('hex')}` };
    api = await startBaton(env, { worker: false, engine });
  }, 300_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await simulator?.close();
    await db?.drop();
  }, 120_000);

  it('the API counts a deployment by status and its waiting job while no worker runs', async () => {
    id = await deploy(api);
    const text = await waitFor('a waiting job in baton_queue_depth', async () => {
      const t = await metrics(`${api.url}/metrics`);
      return total(t, 'baton_queue_depth', { state: 'waiting' }) >= 1 ? t : undefined;
    }, 30_000);
    expect(total(text, 'baton_deployments', { status: 'CREATE_IN_PROGRESS' })).toBe(1);
    expect(total(text, 'baton_deployments', { status: 'CREATE_COMPLETE' })).toBe(0);
    expect(total(text, 'baton_step_duration_seconds_count')).toBe(0);
  });

  it('a lone worker runs it and serves its step durations and cloud calls on BATON_METRICS_LISTEN', async () => {
    worker = await startBatonWorker({ ...env, BATON_METRICS_LISTEN: '127.0.0.1:0' }, engine);
    expect(worker.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    await untilComplete(api, id);

    const fromApi = await metrics(`${api.url}/metrics`);
    expect(total(fromApi, 'baton_deployments', { status: 'CREATE_COMPLETE' })).toBe(1);
    expect(total(fromApi, 'baton_deployments', { status: 'CREATE_IN_PROGRESS' })).toBe(0);
    expect(samples(fromApi, 'baton_queue_depth').size).toBeGreaterThan(0);
    expect(total(fromApi, 'baton_queue_depth', { state: 'waiting' })).toBe(0);

    const fromWorker = await metrics(worker.metricsUrl!);
    expect(total(fromWorker, 'baton_step_duration_seconds_count', { job: 'deployment.start', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(total(fromWorker, 'baton_cloud_api_calls_total', { provider: 'simulator' })).toBeGreaterThan(0);
    expect(samples(fromWorker, 'baton_queue_depth').size).toBeGreaterThan(0);
    expect(total(fromWorker, 'baton_process_cpu_seconds_total')).toBeGreaterThan(0);
    expect((await request('GET', worker.metricsUrl!.replace(/\/metrics$/, '/other'))).status).toBe(404);
  }, 180_000);
});

describe.sequential('metrics of the embedded default (one process)', () => {
  let baton: RunningBaton;

  beforeAll(async () => {
    baton = await startBaton();
  }, 300_000);

  afterAll(async () => {
    await baton?.close();
  }, 120_000);

  it('GET /metrics has deployments by status, step durations, queue depth and cloud API calls after a deployment', async () => {
    await untilComplete(baton, await deploy(baton));
    const text = await metrics(`${baton.url}/metrics`);
    expect(total(text, 'baton_deployments', { status: 'CREATE_COMPLETE' })).toBe(1);
    expect(total(text, 'baton_step_duration_seconds_count', { job: 'deployment.start', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(samples(text, 'baton_queue_depth').size).toBeGreaterThan(0);
    expect(total(text, 'baton_cloud_api_calls_total', { provider: 'simulator' })).toBeGreaterThan(0);
  }, 180_000);
});
