// Issue 5, item 3: kill -9 the only worker in the middle of a 10-instance deployment and start a
// new one: the deployment completes and the cloud holds exactly 10 servers. Then the same with a
// Redis restart (without persistence, so every queued job is lost) in the middle.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createJobRunner, createOrchestrator, OpenStackCloudProvider, RecordingConfigurationRunner, startSimulatorProvider, type Orchestrator } from '@lib/orchestrator';
// eslint-disable-next-line no-restricted-imports -- the test composes the real store, as the apps do
import { createPostgresStore } from '@lib/persistence';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PG_URL = process.env.BATON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROOT = resolve(__dirname, '../../..');

const TEN = `
tosca_definitions_version: tosca_simple_yaml_1_0
topology_template:
  node_templates:
    vm:
      type: tosca.nodes.Compute
      capabilities:
        scalable:
          properties: { default_instances: 10, max_instances: 10 }
        host:
          properties: { num_cpus: 1, mem_size: 1 GB }
`;

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('crash recovery', () => {
  const schema = `c_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const prefix = `baton-crash-${randomUUID().slice(0, 8)}`;
  let redisPort = 0;
  let redis: ChildProcess | undefined;
  let sim: Awaited<ReturnType<typeof startSimulatorProvider>>['simulator'];
  let api: Orchestrator;
  const workers = new Set<ChildProcess>();

  let workerOutput = '';

  function startRedis(): Promise<void> {
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    return until<boolean>('redis up', async () => {
      const { default: IORedis } = await import('ioredis');
      const c = new IORedis({ port: redisPort, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      c.on('error', () => undefined);
      try {
        await c.connect();
        return (await c.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        c.disconnect();
      }
    }, 10_000).then(() => undefined);
  }

  async function stopRedis(): Promise<void> {
    const r = redis;
    if (!r || r.exitCode !== null) return;
    await new Promise<void>((res) => {
      r.once('exit', () => res());
      r.kill('SIGKILL');
    });
  }

  function startWorker(): Promise<ChildProcess> {
    // The worker is this node process itself (tsx as a loader, not its CLI, which would run the
    // worker in a grandchild that a SIGKILL of the child leaves running).
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'fixtures/crash-worker.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        CRASH_PG_URL: PG_URL,
        CRASH_SCHEMA: schema,
        CRASH_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        CRASH_PREFIX: prefix,
        CRASH_AUTH_URL: sim.authUrl,
        CRASH_USER: sim.username,
        CRASH_PASSWORD: sim.password,
        CRASH_PROJECT: sim.projectName,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    workers.add(child);
    child.on('exit', () => workers.delete(child));
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      workerOutput += d.toString();
    });
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`worker did not start: ${err}`)), 90_000);
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('worker ready')) {
          clearTimeout(timer);
          res(child);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        rej(new Error(`worker exited with ${code}: ${err}`));
      });
    });
  }

  const serversOf = (id: string) => sim.admin.servers().filter((s) => s.metadata.PAAS_DEP_UUID === id && s.status !== 'DELETED');

  beforeAll(async () => {
    redisPort = await freePort();
    await startRedis();
    ({ simulator: sim } = await startSimulatorProvider({ bootTimeMs: 2500, quotaInstances: 100 }));
    api = createOrchestrator({
      store: await createPostgresStore({ url: PG_URL, schema, secretKey: 'k' }),
      jobRunner: await createJobRunner({ kind: 'redis', url: `redis://127.0.0.1:${redisPort}`, prefix }),
      providers: [new OpenStackCloudProvider({ name: 'simulator', authUrl: sim.authUrl, auth: { type: 'password', username: sim.username, password: sim.password, userDomainName: 'Default', projectName: sim.projectName, projectDomainName: 'Default' } })],
      runner: new RecordingConfigurationRunner(),
    });
  });

  afterAll(async () => {
    for (const w of [...workers]) w.kill('SIGKILL');
    await api?.close();
    await stopRedis();
    await sim?.close();
    const c = new Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  it('completes with exactly 10 servers after the only worker is killed with SIGKILL', async () => {
    sim.admin.resetStats();
    const first = await startWorker();
    const d = await api.deployments.create({ template: TEN, parameters: {}, owner: null });
    await until('servers being created', async () => serversOf(d.uuid).length >= 3, 60_000);
    await new Promise<void>((res) => {
      first.once('exit', () => res());
      first.kill('SIGKILL');
    });
    // Mid-deployment indeed: the worker dies while servers are still being made.
    expect((await api.deployments.get(d.uuid)).status).toBe('CREATE_IN_PROGRESS');
    expect(sim.admin.servers().filter((s) => s.metadata.PAAS_DEP_UUID === d.uuid && s.status === 'ACTIVE').length).toBeLessThan(10);
    // And dead: with no worker, Nova is asked for nothing more.
    const asked = () => sim.admin.stats().routes['compute POST /servers'] ?? 0;
    const before = asked();
    await new Promise((r) => setTimeout(r, 1500));
    expect(asked()).toBe(before);
    expect(before).toBeLessThan(10);
    await startWorker();
    const done = await until('complete', async () => {
      const now = await api.deployments.get(d.uuid);
      return now.status !== 'CREATE_IN_PROGRESS' && now;
    }, 120_000);
    expect(done.status, done.statusReason).toBe('CREATE_COMPLETE');
    expect(serversOf(d.uuid)).toHaveLength(10);
    expect(new Set(serversOf(d.uuid).map((s) => s.name)).size).toBe(10);
    // Not one server made and thrown away: Nova was asked to boot exactly ten.
    expect(sim.admin.stats().routes['compute POST /servers']).toBe(10);
    await api.deployments.delete(d.uuid, { force: false });
    await until('deleted', async () => api.deployments.get(d.uuid).then(() => false, () => true), 60_000);
    expect(serversOf(d.uuid)).toEqual([]);
  });

  it('completes with exactly 10 servers after Redis restarts empty mid-deployment', async () => {
    if (workers.size === 0) await startWorker();
    sim.admin.resetStats();
    const d = await api.deployments.create({ template: TEN, parameters: {}, owner: null });
    await until('servers being created', async () => serversOf(d.uuid).length >= 3, 60_000).catch(async (e: unknown) => {
      throw new Error(`${String(e)}; workers alive: ${workers.size}; status ${(await api.deployments.get(d.uuid)).status}; log:\n${await api.deployments.getLog(d.uuid)}\nworker stderr:\n${workerOutput.slice(-3000)}`);
    });
    await stopRedis();
    // Mid-deployment indeed: the queue is gone while servers are still being made.
    expect((await api.deployments.get(d.uuid)).status).toBe('CREATE_IN_PROGRESS');
    expect(sim.admin.servers().filter((s) => s.metadata.PAAS_DEP_UUID === d.uuid && s.status === 'ACTIVE').length).toBeLessThan(10);
    await new Promise((r) => setTimeout(r, 1000));
    await startRedis();
    const done = await until('complete', async () => {
      const now = await api.deployments.get(d.uuid);
      return now.status !== 'CREATE_IN_PROGRESS' && now;
    }, 120_000);
    expect(done.status, done.statusReason).toBe('CREATE_COMPLETE');
    expect(serversOf(d.uuid)).toHaveLength(10);
    expect(new Set(serversOf(d.uuid).map((s) => s.name)).size).toBe(10);
    // Not one server made and thrown away: Nova was asked to boot exactly ten.
    expect(sim.admin.stats().routes['compute POST /servers']).toBe(10);
    await api.deployments.delete(d.uuid, { force: false });
    await until('deleted', async () => api.deployments.get(d.uuid).then(() => false, () => true), 60_000);
    expect(serversOf(d.uuid)).toEqual([]);
  });
});
