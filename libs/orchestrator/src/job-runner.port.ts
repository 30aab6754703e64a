// The job runner port (STYLE.md rule 5): BullMQ on Redis for production, BullMQ on PostgreSQL
// (real, or embedded PGlite through a loopback socket) for the embedded default.
import type { JobHandlers, JobName, JobPayloads } from './jobs';

export interface EnqueueOptions {
  /** Deterministic id: enqueuing the same id while it is pending is a no-op (rule 17). */
  jobId: string;
  delayMs?: number;
  /** Total tries for transient failures (default 5), exponential backoff from `backoffMs` (default 1000). */
  attempts?: number;
  backoffMs?: number;
  /** Remove a finished (completed or failed) job of the same id first, so it runs again. */
  replaceFinished?: boolean;
}

export interface WorkerOptions {
  concurrency: number;
  /** A worker that died holding a job loses it after this long (default 15 s). */
  lockDurationMs?: number;
}

export interface JobWorker {
  /** Stops taking jobs, aborts running ones' signals after `graceMs`, and waits for them. */
  close(graceMs?: number): Promise<void>;
}

export interface JobRunner {
  readonly kind: 'redis' | 'postgres' | 'pglite';
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions): Promise<void>;
  startWorker(handlers: JobHandlers, options: WorkerOptions): Promise<JobWorker>;
  /** Jobs by state (waiting, active, delayed, failed...): for /metrics queue depth. */
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}
