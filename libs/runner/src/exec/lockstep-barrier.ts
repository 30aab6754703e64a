// Ansible's linear strategy: every host of a play runs a task before any host starts the next
// one. Each host walks the task tree on its own coroutine and, before each task, parks at the
// barrier with the task's position in the tree (a path of indexes, compared lexicographically).
// When every live host is parked, the hosts at the lowest position go on together, in inventory
// order, so that `run_once` picks the first host as Ansible does. Hosts on other branches (a
// rescue, an include another host skipped) wait, as Ansible's hosts "noop" meanwhile.

export type Position = readonly number[];

export function comparePositions(a: Position, b: Position): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

interface Parked {
  order: number;
  pos: Position;
  release: () => void;
}

export class LockstepBarrier {
  private live: number;
  private parked: Parked[] = [];
  private readonly order: Map<string, number>;

  /** `hosts` in inventory order: every one of them must end with {@link leave}. */
  constructor(hosts: readonly string[]) {
    this.order = new Map(hosts.map((h, i) => [h, i]));
    this.live = hosts.length;
  }

  /** Resolves when this host may run the task at `pos`. */
  arrive(host: string, pos: Position): Promise<void> {
    return new Promise((release) => {
      this.parked.push({ order: this.order.get(host) ?? this.order.size, pos, release });
      this.releaseLowest();
    });
  }

  /** The host has nothing left to run in this play. */
  leave(): void {
    this.live--;
    this.releaseLowest();
  }

  private releaseLowest(): void {
    if (this.parked.length === 0 || this.parked.length < this.live) return;
    let lowest = this.parked[0].pos;
    for (const p of this.parked) if (comparePositions(p.pos, lowest) < 0) lowest = p.pos;
    const go = this.parked.filter((p) => comparePositions(p.pos, lowest) === 0).sort((a, b) => a.order - b.order);
    this.parked = this.parked.filter((p) => comparePositions(p.pos, lowest) !== 0);
    // Released on a later microtask, so that the last host to arrive has registered its
    // continuation too and every host resumes in inventory order.
    queueMicrotask(() => {
      for (const p of go) p.release();
    });
  }
}
