// Test harness for the engine: the real compiler, the real store on PostgreSQL (random schema),
// BullMQ on real Redis (random prefix), the in-memory cloud and the recording runner.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createJobRunner,
  createOrchestrator,
  MemoryCloudProvider,
  RecordingConfigurationRunner,
  type CloudProvider,
  type ConfigurationRunner,
  type DeploymentRecord,
  type DeploymentStatus,
  type DeploymentStore,
  type Orchestrator,
  type RunningWorker,
} from '@lib/orchestrator';
// eslint-disable-next-line no-restricted-imports -- the engine's tests compose the real store, as the apps do
import { createPostgresStore } from '@lib/persistence';
import { OpenStackClient, type CloudSimulator } from '@lib/openstack';
import IORedis from 'ioredis';
import { Client } from 'pg';

export const PG_URL = process.env.BATON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.BATON_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function template(name: string): string {
  return readFileSync(resolve(__dirname, '../../../templates', name), 'utf8');
}

/** A loopback HTTP server that keeps the JSON bodies POSTed to it: where callbacks land. */
export interface CallbackSink {
  url: string;
  bodies: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startCallbackSink(): Promise<CallbackSink> {
  const bodies: Array<Record<string, unknown>> = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(data) as Record<string, unknown>);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/cb`, bodies, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export interface Harness<R extends ConfigurationRunner = RecordingConfigurationRunner> {
  orchestrator: Orchestrator;
  worker: RunningWorker;
  runner: R;
  clockOffsetMs: { value: number };
  waitFor(id: string, statuses: DeploymentStatus[], ms?: number): Promise<DeploymentRecord>;
  waitGone(id: string, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** Lets a spec watch (or interfere with) the engine's writes: it gets the real store, returns the one the engine uses. */
export type StoreWrapper = (store: DeploymentStore) => DeploymentStore;

type EngineTimingsOverride = NonNullable<Parameters<typeof createOrchestrator>[0]['timings']>;

export function startHarness(providers: CloudProvider[], runner?: RecordingConfigurationRunner, wrapStore?: StoreWrapper): Promise<Harness>;
export function startHarness<R extends ConfigurationRunner>(providers: CloudProvider[], runner: R, wrapStore: StoreWrapper | undefined, timings: EngineTimingsOverride): Promise<Harness<R>>;
export async function startHarness(
  providers: CloudProvider[],
  runner: ConfigurationRunner = new RecordingConfigurationRunner({ 'web_configure.yml': { outputs: { page_checksum: 'sha256:abc' } } }),
  wrapStore: StoreWrapper = (store) => store,
  timings: EngineTimingsOverride = {},
): Promise<Harness<ConfigurationRunner>> {
  const schema = `e_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const prefix = `baton-e-${randomUUID().slice(0, 8)}`;
  const clockOffsetMs = { value: 0 };
  const orchestrator = createOrchestrator({
    store: wrapStore(await createPostgresStore({ url: PG_URL, schema, secretKey: 'k' })),
    jobRunner: await createJobRunner({ kind: 'redis', url: REDIS_URL, prefix }),
    providers,
    runner,
    clock: () => new Date(Date.now() + clockOffsetMs.value),
    timings: { pollMs: 20, backoffMs: 50, stepAttempts: 3, ...timings },
    // The callback sinks listen on loopback.
    callbacks: { hosts: null, privateNetworks: ['127.0.0.0/8'] },
    logger: process.env.BATON_TEST_VERBOSE ? { info: (m, f) => console.log(m, f), warn: (m, f) => console.log(m, f), error: (m, f) => console.log(m, f) } : undefined,
  });
  const worker = await orchestrator.startWorker({ concurrency: 8, reconcileMs: 300 });
  const waitFor = async (id: string, statuses: DeploymentStatus[], ms = 120_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const d = await orchestrator.deployments.get(id);
      if (statuses.includes(d.status)) return d;
      if (Date.now() > deadline) throw new Error(`deployment ${id} still ${d.status} (${d.statusReason ?? ''}); wanted ${statuses.join('|')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const waitGone = async (id: string, ms = 120_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      try {
        const d = await orchestrator.deployments.get(id);
        if (Date.now() > deadline) throw new Error(`deployment ${id} still there: ${d.status} ${d.statusReason ?? ''}`);
      } catch (e) {
        if ((e as { code?: string }).code === 'deployment_not_found') return;
        throw e;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    orchestrator,
    worker,
    runner,
    clockOffsetMs,
    waitFor,
    waitGone,
    async close() {
      await orchestrator.close();
      const c = new Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
      const redis = new IORedis(REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

/** A client of the simulator's own project, to look at the cloud as its users see it. */
export function simulatorClient(simulator: CloudSimulator): OpenStackClient {
  return new OpenStackClient({
    authUrl: simulator.authUrl,
    auth: { type: 'password', username: simulator.username, password: simulator.password, userDomainName: simulator.userDomain, projectName: simulator.projectName, projectDomainName: simulator.projectDomain },
  });
}

export function sshBoundCloud(options: ConstructorParameters<typeof MemoryCloudProvider>[0] = {}): MemoryCloudProvider {
  return new MemoryCloudProvider({ bindSsh: () => ({ host: '127.0.0.1', port: 22 }), bootMs: 50, ...options });
}
