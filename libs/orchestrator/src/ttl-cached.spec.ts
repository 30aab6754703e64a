import { afterEach, describe, expect, it, vi } from 'vitest';
import { ttlCached } from './ttl-cached';

afterEach(() => vi.useRealTimers());

describe('ttlCached', () => {
  it('reads once for concurrent and later callers within the time-to-live, then again', async () => {
    vi.useFakeTimers({ now: 0 });
    let reads = 0;
    const get = ttlCached(1000, async () => ++reads);
    expect(await Promise.all([get(), get()])).toEqual([1, 1]);
    vi.setSystemTime(999);
    expect(await get()).toBe(1);
    vi.setSystemTime(1001);
    expect(await get()).toBe(2);
    expect(reads).toBe(2);
  });

  it('does not keep a failed read', async () => {
    let calls = 0;
    const get = ttlCached(60_000, async () => {
      calls++;
      if (calls === 1) throw new Error('cloud down');
      return 'flavors';
    });
    await expect(get()).rejects.toThrow('cloud down');
    expect(await get()).toBe('flavors');
    expect(calls).toBe(2);
  });
});
