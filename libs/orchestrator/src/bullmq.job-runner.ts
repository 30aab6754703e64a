// JobRunner over BullMQ. One queue (`baton`) carries every job name. Backends:
// - redis: ioredis, for separate worker processes on any host;
// - postgres: BullMQ's PostgreSQL backend on a real server;
// - pglite: the same backend on embedded PGlite behind a loopback pglite-socket (see
//   embedded-queue-db.ts), so the embedded default uses the very same queue library.
import { createPostgresBackend, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import type { EnqueueOptions, JobRunner, JobWorker, WorkerOptions } from './job-runner.port';
import type { JobHandler, JobHandlers, JobName, JobPayloads } from './jobs';
import { classifyFailure } from './workflow/failure';

const QUEUE = 'baton';

export type BullmqConnection =
  | { kind: 'redis'; url: string; prefix?: string }
  | { kind: 'postgres' | 'pglite'; pool: { connectionString?: string; host?: string; port?: number; user?: string; database?: string; schema: string } };

interface Built {
  opts: Record<string, unknown>;
  factory: typeof createPostgresBackend | undefined;
  close(): Promise<void>;
}

export class BullmqJobRunner implements JobRunner {
  readonly kind: JobRunner['kind'];
  private readonly queue: Queue;
  private readonly closers: Array<() => Promise<void>> = [];
  private readonly workers = new Set<Worker>();

  constructor(private readonly connection: BullmqConnection) {
    this.kind = connection.kind;
    const built = this.build(false);
    this.queue = new (Queue as unknown as new (...args: unknown[]) => Queue)(QUEUE, built.opts, built.factory);
    this.queue.on('error', () => undefined);
    this.closers.push(built.close);
  }

  private build(forWorker: boolean): Built {
    const c = this.connection;
    if (c.kind === 'redis') {
      // Workers block on Redis: they need maxRetriesPerRequest null and reconnect forever,
      // which is what carries them through a Redis restart.
      const redis = new IORedis(c.url, { maxRetriesPerRequest: forWorker ? null : 20, enableOfflineQueue: true });
      redis.on('error', () => undefined);
      return {
        opts: { connection: redis, prefix: c.prefix ?? 'baton' },
        factory: undefined,
        close: async () => {
          redis.disconnect();
        },
      };
    }
    return {
      opts: { connection: { ...c.pool, migrate: true, max: 5 } },
      factory: createPostgresBackend,
      close: async () => undefined,
    };
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions): Promise<void> {
    const jobId = bullmqJobId(options.jobId);
    if (options.replaceFinished) {
      const existing = await this.queue.getJob(jobId);
      if (existing && ((await existing.isCompleted()) || (await existing.isFailed()))) await existing.remove().catch(() => undefined);
    }
    await this.queue.add(name, payload, {
      jobId,
      delay: options.delayMs,
      attempts: options.attempts ?? 5,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
      removeOnComplete: true,
      removeOnFail: { count: 1000 },
    });
  }

  async startWorker(handlers: JobHandlers, options: WorkerOptions): Promise<JobWorker> {
    const built = this.build(true);
    const processor = async (job: Job, _token?: string, signal?: AbortSignal) => {
      const handler = handlers[job.name as JobName] as JobHandler<JobName> | undefined;
      if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
      try {
        await handler(job.data as JobPayloads[JobName], {
          jobId: job.id ?? '',
          attempt: job.attemptsMade + 1,
          maxAttempts: job.opts.attempts ?? 1,
          signal: signal ?? new AbortController().signal,
        });
      } catch (error) {
        // Rule 16: permanent faults stop retrying here; anything else is retried with backoff. A
        // job stopped because this worker closes is resumed by another, whatever it threw.
        if (!signal?.aborted && isPermanent(error)) throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
        throw error;
      }
    };
    const lockDuration = options.lockDurationMs ?? 15_000;
    const worker = new (Worker as unknown as new (...args: unknown[]) => Worker)(
      QUEUE,
      processor,
      {
        ...built.opts,
        concurrency: options.concurrency,
        lockDuration,
        stalledInterval: Math.max(1000, Math.floor(lockDuration / 2)),
        maxStalledCount: 1000,
        // Seconds an idle worker blocks before it looks again. On PGlite no NOTIFY reaches the
        // waiting connection (embedded-queue-db.ts), so that look is the only wake-up: a tenth of
        // a second keeps a released step from waiting out a whole second, at a few cheap
        // queries a second on the queue's own thread.
        drainDelay: this.connection.kind === 'pglite' ? 0.1 : 1,
      },
      built.factory,
    );
    worker.on('error', () => undefined);
    await worker.waitUntilReady();
    this.workers.add(worker);
    return {
      close: async (graceMs = 10_000) => {
        const timer = setTimeout(() => worker.cancelAllJobs('worker closing'), graceMs);
        try {
          await worker.close();
        } finally {
          clearTimeout(timer);
          this.workers.delete(worker);
          await built.close();
        }
      },
    };
  }

  async counts(): Promise<Record<string, number>> {
    return (await this.queue.getJobCounts()) as Record<string, number>;
  }

  async close(): Promise<void> {
    for (const worker of [...this.workers]) await worker.close(true).catch(() => undefined);
    this.workers.clear();
    await this.queue.close().catch(() => undefined);
    for (const close of this.closers) await close();
  }
}

/** BullMQ refuses `:` in custom ids (it is its Redis key separator); the mapping is 1:1 for our ids. */
function bullmqJobId(id: string): string {
  return id.replace(/:/g, '|');
}

/** The queue's retry decision is the workflow's: workflow/failure.ts classifies, once. */
function isPermanent(error: unknown): boolean {
  return error instanceof UnrecoverableError || !classifyFailure(error).retryable;
}
