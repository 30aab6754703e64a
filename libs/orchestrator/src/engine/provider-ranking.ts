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

/** Scheme, host and port of an endpoint; a bare `host:port` (IM credential lines allow it) has no scheme. */
function origin(endpoint: string): { scheme?: string; hostname: string; port?: string } | undefined {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint);
  try {
    const u = new URL(hasScheme ? endpoint : `none://${endpoint}`);
    const scheme = hasScheme ? u.protocol.replace(/:$/, '').toLowerCase() : undefined;
    const port = u.port || (scheme === 'https' ? '443' : scheme === 'http' ? '80' : undefined);
    return { scheme, hostname: u.hostname.toLowerCase(), port };
  } catch {
    return undefined;
  }
}

/**
 * The configured providers whose auth URL has the origin of each host, in the hosts' order (an IM
 * credential line names Keystone as `https://host:5000` while the providers file says `.../v3`);
 * a host without scheme or port matches any.
 */
export function providersAtHosts(providers: Array<{ name: string; endpoint: { cpEndpoint?: string } }>, hosts: string[]): string[] {
  const names: string[] = [];
  for (const host of hosts) {
    const want = origin(host.trim());
    if (!want) continue;
    for (const p of providers) {
      const have = p.endpoint.cpEndpoint ? origin(p.endpoint.cpEndpoint) : undefined;
      if (!have || names.includes(p.name) || have.hostname !== want.hostname) continue;
      if ((want.scheme === undefined || want.scheme === have.scheme) && (want.port === undefined || want.port === have.port)) names.push(p.name);
    }
  }
  return names;
}

/** A placement policy pinning the providers a caller chose outside the template (IM credential lines). */
export function pinnedPlacement(names: string[]): PolicyModel[] {
  return names.map((name, i) => ({ name: `baton_cloud_credentials_${i}`, type: PLACEMENT[0], types: [PLACEMENT[0], 'tosca.policies.Root'], targets: [], properties: { cloud_id: name } }));
}

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
