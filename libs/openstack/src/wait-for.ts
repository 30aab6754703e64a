// Polls a resource until it reaches a wanted status, fails, or the deadline passes.
import { OpenStackAbortedError, OpenStackHttpError, OpenStackResourceError, OpenStackWaitTimeoutError } from './errors';
import { sleep } from './openstack.session';

/** Options of every wait* method. */
export interface WaitOptions {
  signal?: AbortSignal;
  /** Whole wait, in ms (default 10 minutes). */
  timeoutMs?: number;
  /** Pause between two polls, in ms (default 1 s). */
  intervalMs?: number;
}

export interface PollSteps<T> {
  resourceType: string;
  id: string;
  /** Current state, or undefined when it is gone (404). */
  get: () => Promise<T | undefined>;
  status: (resource: T | undefined) => string;
  done: (resource: T | undefined) => boolean;
  /** A fault message when the resource failed, undefined otherwise. */
  failed: (resource: T) => string | undefined;
}

export async function pollUntil<T>(steps: PollSteps<T>, options: WaitOptions = {}): Promise<T | undefined> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const intervalMs = options.intervalMs ?? 1_000;
  const deadline = Date.now() + timeoutMs;
  const what = `wait for ${steps.resourceType} ${steps.id}`;
  for (;;) {
    if (options.signal?.aborted) throw new OpenStackAbortedError(what, options.signal.reason);
    const resource = await steps.get();
    if (steps.done(resource)) return resource;
    if (resource !== undefined) {
      const fault = steps.failed(resource);
      if (fault !== undefined) throw new OpenStackResourceError(steps.resourceType, steps.id, steps.status(resource), fault);
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new OpenStackWaitTimeoutError(steps.resourceType, steps.id, steps.status(resource), timeoutMs);
    await sleep(Math.min(intervalMs, left), options.signal, what);
  }
}

/** Turns a 404 into undefined (the resource is gone). */
export async function orGone<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof OpenStackHttpError && error.status === 404) return undefined;
    throw error;
  }
}
