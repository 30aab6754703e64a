import { describe, expect, it } from 'vitest';
import { OpenStackAbortedError, OpenStackConnectionError, OpenStackHttpError, OpenStackResourceError, OpenStackTimeoutError } from './errors';
import { toHttpError } from './error-mapping';
import { isIdempotentMethod, nextRetryDelay, type RetryPolicy } from './retry-policy';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };
const http = (status: number, retryAfterSeconds?: number): OpenStackHttpError =>
  new OpenStackHttpError(status === 429 ? 'rate_limited' : status >= 500 ? 'server_error' : 'bad_request', {
    status,
    providerMessage: 'x',
    method: 'GET',
    service: 'compute',
    path: '/servers',
    retryAfterSeconds,
  });

describe('nextRetryDelay', () => {
  it('retries 5xx, 429 and connection resets of idempotent calls with growing, jittered delays', () => {
    expect(nextRetryDelay(policy, 1, http(500), true, () => 0)).toBe(50);
    expect(nextRetryDelay(policy, 1, http(500), true, () => 1)).toBe(100);
    expect(nextRetryDelay(policy, 2, http(503), true, () => 0)).toBe(100);
    expect(nextRetryDelay(policy, 3, http(429), true, () => 0.5)).toBe(300);
    expect(nextRetryDelay(policy, 1, new OpenStackConnectionError('compute', 'GET', '/x', 'ECONNRESET'), true, () => 0)).toBe(50);
  });

  it('caps the delay at maxDelayMs', () => {
    const big: RetryPolicy = { maxAttempts: 20, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(nextRetryDelay(big, 10, http(500), true, () => 1)).toBe(1_000);
  });

  it('honours Retry-After, within the cap', () => {
    expect(nextRetryDelay(policy, 1, http(429, 0.5), true, () => 0)).toBe(500);
    expect(nextRetryDelay(policy, 1, http(429, 30), true, () => 0)).toBe(1_000);
  });

  it('gives up after maxAttempts', () => {
    expect(nextRetryDelay(policy, 4, http(500), true)).toBeUndefined();
  });

  it('never retries a non-idempotent call, a permanent error, a time-out or an abort', () => {
    expect(nextRetryDelay(policy, 1, http(500), false)).toBeUndefined();
    expect(nextRetryDelay(policy, 1, http(400), true)).toBeUndefined();
    expect(nextRetryDelay(policy, 1, http(404), true)).toBeUndefined();
    expect(nextRetryDelay(policy, 1, new OpenStackTimeoutError('x', 10), true)).toBeUndefined();
    expect(nextRetryDelay(policy, 1, new OpenStackAbortedError('x'), true)).toBeUndefined();
    expect(nextRetryDelay(policy, 1, new OpenStackResourceError('server', 'id', 'ERROR', 'boom'), true)).toBeUndefined();
    expect(nextRetryDelay(policy, 1, new Error('not ours'), true)).toBeUndefined();
  });

  it('classifies quota errors as permanent even when the status is 413', () => {
    const quota = toHttpError({ status: 413, method: 'POST', service: 'block-storage', path: '/volumes' }, JSON.stringify({ overLimit: { code: 413, message: "VolumeLimitExceeded: Maximum number of volumes allowed (10) exceeded for quota 'volumes'.", retryAfter: '0' } }));
    expect(quota.code).toBe('quota_exceeded');
    expect(nextRetryDelay(policy, 1, quota, true)).toBeUndefined();
  });
});

describe('isIdempotentMethod', () => {
  it('follows RFC 9110', () => {
    expect(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].every(isIdempotentMethod)).toBe(true);
    expect(isIdempotentMethod('POST')).toBe(false);
    expect(isIdempotentMethod('PATCH')).toBe(false);
  });
});
