// A create is never blindly retried (STYLE.md rule 17): the resource carries a deterministic
// name and tag, and before each attempt we look for it. So a POST whose answer was lost (reset
// connection, 5xx after the work was done) is found on the next round instead of made twice.
import { OpenStackError } from './errors';
import { nextRetryDelay, type RetryPolicy } from './retry-policy';
import { sleep } from './openstack.session';

export interface CreateOnceSteps<T> {
  what: string;
  find: () => Promise<T | undefined>;
  create: () => Promise<T>;
  policy: RetryPolicy;
  signal?: AbortSignal;
  random?: () => number;
  /** Called before each retry, for logs and tests. */
  onRetry?: (attempt: number, error: OpenStackError) => void;
}

/** Looks the resource up, creates it if absent, and on a transient failure looks again before retrying. */
export async function createOnce<T>(steps: CreateOnceSteps<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let failure: unknown;
    try {
      const existing = await steps.find();
      if (existing !== undefined) return existing;
      return await steps.create();
    } catch (error) {
      failure = error;
    }
    // The POST is made safe to repeat by the look-up above, hence `idempotent: true` here.
    const delay = nextRetryDelay(steps.policy, attempt, failure, true, steps.random);
    if (delay === undefined || !(failure instanceof OpenStackError)) throw failure;
    steps.onRetry?.(attempt, failure);
    await sleep(delay, steps.signal, steps.what);
  }
}
