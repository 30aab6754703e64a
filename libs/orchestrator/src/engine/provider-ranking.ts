// Provider choice (reference §2.3 steps 1-2): a placement policy names the provider; otherwise
// providers are tried in rank order, at most maxProvidersRetry of them. The final reason lists
// every provider's error in the reference's wording.
import type { PolicyModel } from '@lib/tosca';
import type { ProviderAttempt } from '../store.port';

export interface RankableProvider {
  name: string;
  rank: number;
  quotas?: { instances?: number };
}

const PLACEMENT = ['tosca.policies.Placement', 'tosca.policies.indigo.SlaPlacement', 'tosca.policies.indigo.Placement'];

/** Provider names in the order they should be tried. */
export function rankProviders(providers: RankableProvider[], policies: PolicyModel[], maxProvidersRetry: number | null, needs: { instances?: number } = {}): string[] {
  // Prefilter (reference §2.3 step 1): a provider whose configured quota cannot hold the servers is skipped.
  const fitting = providers.filter((p) => p.quotas?.instances === undefined || needs.instances === undefined || p.quotas.instances >= needs.instances);
  const names = new Set(fitting.map((p) => p.name));
  const pinned = policies
    .filter((p) => p.types.some((t) => PLACEMENT.includes(t)))
    .map((p) => p.properties.cloud_id ?? p.properties.provider ?? p.properties.sla_id)
    .filter((v): v is string => typeof v === 'string');
  const ordered = pinned.length
    ? pinned.filter((n) => names.has(n))
    : [...fitting].sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name)).map((p) => p.name);
  return maxProvidersRetry && maxProvidersRetry > 0 ? ordered.slice(0, maxProvidersRetry) : ordered;
}

/** The next provider to try, or undefined when the list is exhausted. */
export function nextProvider(ranked: string[], attempts: ProviderAttempt[]): string | undefined {
  const tried = new Set(attempts.map((a) => a.provider));
  return ranked.find((n) => !tried.has(n));
}

export function exhaustedReason(attempts: ProviderAttempt[]): string {
  if (attempts.length === 0) return 'No cloud provider meets the deployment requirements';
  const sep = '-'.repeat(40);
  return [
    'Retries on cloud providers exhausted. Error list is:',
    ...attempts.map((a) => `${sep}\nCloud Provider ${a.provider}\nCloud Provider Service ${a.provider}-compute\n${a.error ?? 'unknown error'}`),
    sep,
  ].join('\n');
}

/** How many servers the plan asks for (instances of Compute templates). */
export function computeInstances(row: { compiled: { topology: { nodes: Record<string, { types: string[] }> }; plan: { nodes: Array<{ template: string }> } } }): number {
  return row.compiled.plan.nodes.filter((n) => row.compiled.topology.nodes[n.template]?.types.includes('tosca.nodes.Compute')).length;
}
