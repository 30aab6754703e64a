import { describe, expect, it } from 'vitest';
import { deletionWaves, orderForDeletion } from './delete-order';

describe('orderForDeletion', () => {
  it('deletes in reverse dependency order: floating IPs, servers, volumes, keys, groups, network', () => {
    const rows = [
      { kind: 'network' as const, seq: 1 },
      { kind: 'keypair' as const, seq: 2 },
      { kind: 'security_group' as const, seq: 3 },
      { kind: 'volume' as const, seq: 4 },
      { kind: 'server' as const, seq: 5 },
      { kind: 'server' as const, seq: 6 },
      { kind: 'floating_ip' as const, seq: 7 },
    ];
    expect(orderForDeletion(rows).map((r) => `${r.kind}:${r.seq}`)).toEqual([
      'floating_ip:7',
      'server:6',
      'server:5',
      'volume:4',
      'keypair:2',
      'security_group:3',
      'network:1',
    ]);
    expect(deletionWaves(rows).map((w) => w.length)).toEqual([1, 2, 1, 1, 1, 1]);
  });
});
