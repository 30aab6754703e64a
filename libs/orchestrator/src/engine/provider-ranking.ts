// Provider choice (reference §2.3 steps 1-2): a placement policy names the provider; otherwise
// providers are tried in rank order, at most maxProvidersRetry of them. The final reason lists
// every provider's error in the reference's wording.
import type { NodeTemplateModel, PolicyModel } from '@lib/tosca';
import { hostRequirementsOf } from './flavor-match';
import type { ProviderAttempt } from '../store.port';

export interface RankableProvider {
  name: string;
  rank: number;
  quotas?: { instances?: number; cores?: number; ramMb?: number };
}

/** What a plan asks of a provider's quota: servers, their vCPUs and their RAM. */
export interface QuotaNeeds {
  instances?: number;
  cores?: number;
  ramMb?: number;
}

/** Why `provider`'s configured quota cannot hold `needs` (empty when it can, or has no quota). */
export function quotaShortfalls(provider: RankableProvider, needs: QuotaNeeds): string[] {
  const q = provider.quotas ?? {};
  const out: string[] = [];
  if (q.instances !== undefined && needs.instances !== undefined && needs.instances > q.instances) out.push(`${needs.instances} servers, quota ${q.instances} instances`);
  if (q.cores !== undefined && needs.cores !== undefined && needs.cores > q.cores) out.push(`${needs.cores} vCPUs, quota ${q.cores} cores`);
  if (q.ramMb !== undefined && needs.ramMb !== undefined && needs.ramMb > q.ramMb) out.push(`${needs.ramMb} MB of RAM, quota ${q.ramMb} MB`);
  return out;
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
export function rankProviders(providers: RankableProvider[], policies: PolicyModel[], maxProvidersRetry: number | null, needs: QuotaNeeds = {}): string[] {
  // Prefilter (reference §2.3 step 1): a provider whose configured quota cannot hold the servers is skipped.
  const fitting = providers.filter((p) => quotaShortfalls(p, needs).length === 0);
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

/** Servers, vCPUs and RAM the plan asks for (instances of Compute templates, by their `host` capability). */
export function quotaNeeds(compiled: { topology: { nodes: Record<string, NodeTemplateModel> }; plan: { nodes: Array<{ template: string }> } }): QuotaNeeds {
  const needs = { instances: 0, cores: 0, ramMb: 0 };
  for (const n of compiled.plan.nodes) {
    const node = compiled.topology.nodes[n.template];
    if (!node?.types.includes('tosca.nodes.Compute')) continue;
    const host = hostRequirementsOf(node);
    needs.instances += 1;
    needs.cores += host.numCpus ?? 1;
    needs.ramMb += host.memSizeMb ?? 0;
  }
  return needs;
}
