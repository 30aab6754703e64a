// Undeploy order: the reverse of creation. Dependent objects go first (a floating IP before its
// server, a server before its volumes, key pair and security groups, the network last); within a
// kind, the newest first.
import type { CloudResourceKind, CloudResourceRow } from '../store.port';

const KIND_ORDER: Record<CloudResourceKind, number> = {
  floating_ip: 0,
  server: 1,
  volume: 2,
  keypair: 3,
  security_group: 4,
  router: 5,
  subnet: 6,
  network: 7,
};

export function orderForDeletion<T extends Pick<CloudResourceRow, 'kind' | 'seq'>>(rows: T[]): T[] {
  return [...rows].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || b.seq - a.seq);
}

/** Groups of objects that may be deleted in parallel, in order. */
export function deletionWaves<T extends Pick<CloudResourceRow, 'kind' | 'seq'>>(rows: T[]): T[][] {
  const waves = new Map<number, T[]>();
  for (const row of orderForDeletion(rows)) {
    const rank = KIND_ORDER[row.kind];
    waves.set(rank, [...(waves.get(rank) ?? []), row]);
  }
  return [...waves.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}
