import type { PolicyModel } from '@lib/tosca';
import { describe, expect, it } from 'vitest';
import { exhaustedReason, nextProvider, pinnedPlacement, providersAtHosts, rankProviders } from './provider-ranking';

const providers = [
  { name: 'b', rank: 2 },
  { name: 'a', rank: 1 },
  { name: 'c', rank: 3 },
];

describe('provider ranking', () => {
  it('orders by rank, caps at maxProvidersRetry, and lets a placement policy pick', () => {
    expect(rankProviders(providers, [], null)).toEqual(['a', 'b', 'c']);
    expect(rankProviders(providers, [], 2)).toEqual(['a', 'b']);
    const policy = { name: 'p', type: 'tosca.policies.indigo.SlaPlacement', types: ['tosca.policies.indigo.SlaPlacement', 'tosca.policies.Placement'], targets: [], properties: { sla_id: 'c' } } as PolicyModel;
    expect(rankProviders(providers, [policy], null)).toEqual(['c']);
    expect(rankProviders([...providers, { name: 'tiny', rank: 0, quotas: { instances: 2 } }], [], null, { instances: 3 })).toEqual(['a', 'b', 'c']);
    expect(rankProviders([{ name: 'tiny', rank: 0, quotas: { instances: 5 } }], [], null, { instances: 3 })).toEqual(['tiny']);
  });
  it('moves to the next untried provider and lists every error when exhausted', () => {
    expect(nextProvider(['a', 'b'], [{ provider: 'a', error: 'quota' }])).toBe('b');
    expect(nextProvider(['a'], [{ provider: 'a', error: 'quota' }])).toBeUndefined();
    const reason = exhaustedReason([{ provider: 'a', error: 'Quota exceeded' }, { provider: 'b', error: 'server ERROR' }]);
    expect(reason).toMatch(/^Retries on cloud providers exhausted. Error list is:/);
    expect(reason).toContain('Cloud Provider a\n');
    expect(reason).toContain('Quota exceeded');
    expect(reason).toContain('server ERROR');
    expect(exhaustedReason([])).toBe('No cloud provider meets the deployment requirements');
  });
});

describe('providersAtHosts (IM credential lines)', () => {
  const clouds = [
    { name: 'cnaf', endpoint: { cpEndpoint: 'https://keystone.cnaf.example:5000/v3' } },
    { name: 'sim', endpoint: { cpEndpoint: 'http://127.0.0.1:41234/identity/v3' } },
    { name: 'none', endpoint: {} },
  ];

  it('matches the origin of the auth URL, not its path, in the order of the hosts', () => {
    expect(providersAtHosts(clouds, ['http://127.0.0.1:41234', 'https://keystone.cnaf.example:5000/'])).toEqual(['sim', 'cnaf']);
  });

  it('a bare host (no scheme, no port) matches by host name; another port or scheme does not', () => {
    expect(providersAtHosts(clouds, ['keystone.cnaf.example'])).toEqual(['cnaf']);
    expect(providersAtHosts(clouds, ['https://keystone.cnaf.example:5001'])).toEqual([]);
    expect(providersAtHosts(clouds, ['http://keystone.cnaf.example:5000'])).toEqual([]);
  });

  it('pins through the placement policy the ranking already reads', () => {
    expect(rankProviders([{ name: 'cnaf', rank: 1 }, { name: 'sim', rank: 2 }], pinnedPlacement(['sim']), null)).toEqual(['sim']);
  });
});
