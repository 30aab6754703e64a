// The one job-options policy (STYLE.md rule 26): every enqueue of the engine and the API goes
// through enqueueJob, which gives each job name its deterministic id and its retry options.
// Workflow jobs are idempotent and retried with backoff on retryable failures; a resource action
// (start/stop one server) runs once, and its failure is logged, as the reference does.
import type { EnqueueOptions, JobRunner } from '../job-runner.port';
import type { JobName, JobPayloads } from '../jobs';

export interface RetryTimings {
  /** Tries of a job on retryable failures, exponential backoff from `backoffMs`. */
  stepAttempts: number;
  backoffMs: number;
}

const RETRIED: Record<JobName, boolean> = {
  'deployment.start': true,
  'deployment.step': true,
  'deployment.finish': true,
  'deployment.undeploy': true,
  'resource.action': false,
};

/** Deterministic ids: enqueueing the same workflow job twice is a no-op (rule 17). */
export const jobIds = {
  start: (d: string, g: number) => `start:${d}:${g}`,
  step: (d: string, g: number, s: string) => `step:${d}:${g}:${s}`,
  finish: (d: string, g: number) => `finish:${d}:${g}`,
  undeploy: (d: string, g: number) => `undeploy:${d}:${g}`,
  /** Each action request is its own job: two stops in a row are two jobs. */
  action: (d: string, r: string, nonce: string) => `action:${d}:${r}:${nonce}`,
};

export function jobOptions(name: JobName, jobId: string, timings: RetryTimings, replaceFinished = false): EnqueueOptions {
  const retry = RETRIED[name] ? { attempts: timings.stepAttempts, backoffMs: timings.backoffMs } : { attempts: 1 };
  return { jobId, ...retry, ...(replaceFinished ? { replaceFinished } : {}) };
}

/** Enqueues `name` with the policy's options; `replaceFinished` runs a finished job of that id again (the reconciler). */
export async function enqueueJob<N extends JobName>(
  ctx: { jobs: JobRunner; timings: RetryTimings },
  name: N,
  payload: JobPayloads[N],
  jobId: string,
  replaceFinished = false,
): Promise<void> {
  await ctx.jobs.enqueue(name, payload, jobOptions(name, jobId, ctx.timings, replaceFinished));
}
