import { describe, expect, it } from 'vitest';
import { comparePositions, LockstepBarrier, type Position } from './lockstep-barrier';

/** Walks each host through its positions at the barrier and records the order they ran in. */
async function walk(hosts: Record<string, Position[]>, order = Object.keys(hosts)): Promise<string[]> {
  const barrier = new LockstepBarrier(order);
  const log: string[] = [];
  await Promise.all(
    Object.entries(hosts).map(async ([host, positions]) => {
      for (const pos of positions) {
        await barrier.arrive(host, pos);
        log.push(`${host}@${pos.join('.')}`);
        // Hosts take different times per task; lock-step must not depend on it.
        await new Promise((r) => setTimeout(r, host === 'a' ? 5 : 0));
      }
      barrier.leave();
    }),
  );
  return log;
}

describe('LockstepBarrier', () => {
  it('orders positions as paths: a prefix comes first', () => {
    expect(comparePositions([4, 1], [4, 1, 0])).toBeLessThan(0);
    expect(comparePositions([4, 2], [4, 1, 9])).toBeGreaterThan(0);
    expect(comparePositions([3], [3])).toBe(0);
  });

  it('runs each task on every host before the next, hosts in inventory order', async () => {
    const log = await walk({ b: [[1], [2], [3]], a: [[1], [2], [3]] }, ['a', 'b']);
    expect(log).toEqual(['a@1', 'b@1', 'a@2', 'b@2', 'a@3', 'b@3']);
  });

  it('lets the hosts at the lowest position go first when their paths differ', async () => {
    // a went to a rescue ([1, 1, 0]) while b carries on in the block ([1, 0, 1]).
    const log = await walk({ a: [[1, 0, 0], [1, 1, 0], [2]], b: [[1, 0, 0], [1, 0, 1], [2]] });
    expect(log).toEqual(['a@1.0.0', 'b@1.0.0', 'b@1.0.1', 'a@1.1.0', 'a@2', 'b@2']);
  });

  it('does not wait for a host that has left', async () => {
    const log = await walk({ a: [[1]], b: [[1], [2], [3]] });
    expect(log).toEqual(['a@1', 'b@1', 'b@2', 'b@3']);
  });
});
