// The retry decision for one HTTP call (STYLE.md rule 16), as a pure function so it is testable.
// Only idempotent calls are retried blindly; a create is retried only by the caller's
// look-up-then-create loop (see create-once.ts), never here.
import { OpenStackError, OpenStackHttpError } from './errors';

/** How many times and how long to retry transient failures of an idempotent call. */
export interface RetryPolicy {
  /** Attempts in all, including the first (1 = no retry). */
  maxAttempts: number;
  /** Base delay of the exponential back-off, in ms. */
  baseDelayMs: number;
  /** Upper bound of one delay, in ms. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };

/**
 * Returns the delay before the next attempt, or undefined to give up. `attempt` counts from 1
 * (the attempt that just failed). `random` is injected so tests are deterministic.
 */
export function nextRetryDelay(
  policy: RetryPolicy,
  attempt: number,
  error: unknown,
  idempotent: boolean,
  random: () => number = Math.random,
): number | undefined {
  if (!idempotent || attempt >= policy.maxAttempts) return undefined;
  if (!(error instanceof OpenStackError) || !error.transient) return undefined;
  // A caller's time-out bounds the whole call: retrying after it would overrun the caller's budget.
  if (error.code === 'timeout' || error.code === 'aborted') return undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // "Equal jitter": half fixed, half random, so the delay never collapses to zero under load.
  const delay = ceiling / 2 + random() * (ceiling / 2);
  if (error instanceof OpenStackHttpError && error.retryAfterSeconds !== undefined) {
    return Math.min(policy.maxDelayMs, Math.max(delay, error.retryAfterSeconds * 1000));
  }
  return Math.round(delay);
}

/** Methods that may be repeated without changing the result (RFC 9110 §9.2.2). */
export function isIdempotentMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE' || method === 'OPTIONS';
}
