// One conformance suite for every JobRunner (STYLE.md rule 5): BullMQ on real Redis, on real
// PostgreSQL, and on embedded PGlite. Each run uses its own prefix/schema and cleans up.
import { randomUUID } from 'node:crypto';
import { buildJobHandlers, createJobRunner, onJob, permanent, type JobHandlers, type JobRunner, type JobRunnerConfig } from '@lib/orchestrator';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REDIS_URL = process.env.BATON_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env.BATON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Target {
  name: string;
  config(): Promise<{ config: JobRunnerConfig; cleanup(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'redis',
    async config() {
      const prefix = `baton-test-${randomUUID().slice(0, 8)}`;
      return {
        config: { kind: 'redis', url: REDIS_URL, prefix },
        async cleanup() {
          const redis = new IORedis(REDIS_URL);
          const keys = await redis.keys(`${prefix}:*`);
          if (keys.length) await redis.del(...keys);
          redis.disconnect();
        },
      };
    },
  },
  {
    name: 'postgres',
    async config() {
      const schema = `q_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      return {
        config: { kind: 'postgres', url: PG_URL, schema },
        async cleanup() {
          const c = new Client({ connectionString: PG_URL });
          await c.connect();
          await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await c.end();
        },
      };
    },
  },
  { name: 'pglite', async config() { return { config: { kind: 'pglite' }, cleanup: async () => undefined }; } },
];

const noop = async () => undefined;

function handlers(overrides: Partial<Record<string, (payload: never, ctx: never) => Promise<void>>>): JobHandlers {
  return buildJobHandlers(
    (['deployment.start', 'deployment.step', 'deployment.finish', 'deployment.undeploy', 'resource.action'] as const).map((name) =>
      onJob(name, (overrides[name] as never) ?? noop),
    ),
  );
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(targets)('JobRunner on $name', (target) => {
  // One runner per target (PGlite takes seconds to boot on a busy machine); job ids are unique
  // per test so tests do not see each other's jobs.
  let runner: JobRunner;
  let cleanup: () => Promise<void> = noop;

  beforeAll(async () => {
    const t = await target.config();
    cleanup = t.cleanup;
    runner = await createJobRunner(t.config);
  });
  afterAll(async () => {
    await runner.close();
    await cleanup();
  });

  async function open(): Promise<JobRunner> {
    return runner;
  }

  it('runs a job with its payload, and merges duplicates by job id', async () => {
    const r = await open();
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((res) => (release = res));
    const worker = await r.startWorker(
      handlers({
        'deployment.step': (async (p: { stepId: string }) => {
          seen.push(p.stepId);
          await gate;
        }) as never,
      }),
      { concurrency: 2 },
    );
    await r.enqueue('deployment.step', { deploymentId: 'd', generation: 1, stepId: 'a' }, { jobId: 'dup:d:1:a' });
    await r.enqueue('deployment.step', { deploymentId: 'd', generation: 1, stepId: 'a' }, { jobId: 'dup:d:1:a' });
    await until(() => seen.length === 1);
    await r.enqueue('deployment.step', { deploymentId: 'd', generation: 1, stepId: 'a' }, { jobId: 'dup:d:1:a' });
    release();
    await new Promise((res) => setTimeout(res, 300));
    expect(seen).toEqual(['a']);
    await worker.close();
  });

  it('retries a transient failure with backoff and stops at once on a permanent one', async () => {
    const r = await open();
    const attempts: Record<string, number[]> = { t: [], p: [] };
    const worker = await r.startWorker(
      handlers({
        'deployment.step': (async (p: { stepId: string }, ctx: { attempt: number }) => {
          attempts[p.stepId].push(ctx.attempt);
          if (p.stepId === 'p') throw permanent('cloud_error', 'quota exceeded');
          if (ctx.attempt < 3) throw new Error('503 from the cloud');
        }) as never,
      }),
      { concurrency: 2 },
    );
    await r.enqueue('deployment.step', { deploymentId: 'd', generation: 1, stepId: 't' }, { jobId: 'retry-t', attempts: 4, backoffMs: 50 });
    await r.enqueue('deployment.step', { deploymentId: 'd', generation: 1, stepId: 'p' }, { jobId: 'retry-p', attempts: 4, backoffMs: 50 });
    await until(() => attempts.t.length === 3);
    await new Promise((res) => setTimeout(res, 500));
    expect(attempts.t).toEqual([1, 2, 3]);
    expect(attempts.p).toEqual([1]);
    await worker.close();
  });

  it('runs jobs concurrently up to the limit and honours a delay', async () => {
    const r = await open();
    let active = 0;
    let peak = 0;
    let done = 0;
    const worker = await r.startWorker(
      handlers({
        'deployment.step': (async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((res) => setTimeout(res, 200));
          active--;
          done++;
        }) as never,
      }),
      { concurrency: 3 },
    );
    for (let i = 0; i < 6; i++) await r.enqueue('deployment.step', { deploymentId: 'd', generation: 1, stepId: `s${i}` }, { jobId: `c-${i}` });
    await until(() => done === 6);
    expect(peak).toBe(3);
    let delayedAt = 0;
    const w2Start = Date.now();
    await worker.close();
    const w2 = await r.startWorker(handlers({ 'deployment.finish': (async () => void (delayedAt = Date.now())) as never }), { concurrency: 1 });
    await r.enqueue('deployment.finish', { deploymentId: 'd', generation: 1 }, { jobId: 'late', delayMs: 700 });
    await until(() => delayedAt > 0);
    expect(delayedAt - w2Start).toBeGreaterThanOrEqual(650);
    await w2.close();
  });

  it('runs a finished job again only when asked to replace it', async () => {
    const r = await open();
    let runs = 0;
    const worker = await r.startWorker(handlers({ 'deployment.start': (async () => void runs++) as never }), { concurrency: 1 });
    await r.enqueue('deployment.start', { deploymentId: 'd', generation: 1 }, { jobId: 'once' });
    await until(() => runs === 1);
    await new Promise((res) => setTimeout(res, 200));
    await r.enqueue('deployment.start', { deploymentId: 'd', generation: 1 }, { jobId: 'once', replaceFinished: true });
    await until(() => runs === 2);
    await worker.close();
  });

  it('aborts a running job signal when the worker closes past its grace period', async () => {
    const r = await open();
    let aborted = false;
    let started = false;
    const worker = await r.startWorker(
      handlers({
        'deployment.step': (async (_p: unknown, ctx: { signal: AbortSignal }) => {
          started = true;
          await new Promise<void>((res) => {
            ctx.signal.addEventListener('abort', () => {
              aborted = true;
              res();
            });
            setTimeout(res, 10_000);
          });
        }) as never,
      }),
      { concurrency: 1 },
    );
    await r.enqueue('deployment.step', { deploymentId: 'd', generation: 1, stepId: 'long' }, { jobId: 'long' });
    await until(() => started);
    await worker.close(200);
    expect(aborted).toBe(true);
  });
});

describe('job handler table', () => {
  it('refuses a missing, duplicate or unknown handler, naming it', () => {
    const all = (['deployment.start', 'deployment.step', 'deployment.finish', 'deployment.undeploy', 'resource.action'] as const).map((n) => onJob(n, noop));
    expect(() => buildJobHandlers(all.slice(1))).toThrow(/no handler for job\(s\): deployment.start/);
    expect(() => buildJobHandlers([...all, onJob('deployment.step', noop)])).toThrow(/duplicate handler for job deployment.step/);
    expect(() => buildJobHandlers([...all, { name: 'nope' as never, handler: noop }])).toThrow(/unknown job name: nope/);
  });
});
