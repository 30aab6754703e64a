// Cloud providers from the providers file (BATON_PROVIDERS, YAML) or the built-in simulator.
// Every bad entry is named, all at once, like the config loader does for variables.
import { readFile } from 'node:fs/promises';
import { startCloudSimulator, type CloudSimulator, type OpenStackAuth } from '@lib/openstack';
import { parse } from 'yaml';
import type { CloudProvider, ProviderQuotas } from './cloud.port';
import { InvalidRequestError } from './errors';
import { OpenStackCloudProvider } from './openstack.cloud-provider';

export interface LoadedProviders {
  providers: CloudProvider[];
  /** Simulators started for `type: simulator` entries, for tests and the dashboard. */
  simulators: Record<string, CloudSimulator>;
  close(): Promise<void>;
}

export interface SimulatorProviderOptions {
  name?: string;
  rank?: number;
  bootTimeMs?: number;
  /** Host addresses to bind new servers to (testbed hosts with sshd): those get SSH endpoints. */
  sshPool?: string[];
  sshUser?: string;
  /** The simulated project's quotas, which the provider knows too: its prefilter skips a plan they cannot hold. */
  quotas?: ProviderQuotas;
  /** The simulated project's instance quota alone, unknown to the provider (as if others filled it): Nova refuses the boot. */
  quotaInstances?: number;
}

// Images carrying the Glance OS properties that `os` capabilities match against.
const SIMULATED_IMAGES = [
  { name: 'ubuntu-22.04', properties: { os_type: 'linux', os_distro: 'ubuntu', os_version: '22.04', architecture: 'x86_64' } },
  { name: 'debian-12', properties: { os_type: 'linux', os_distro: 'debian', os_version: '12', architecture: 'x86_64' } },
  { name: 'centos-7', properties: { os_type: 'linux', os_distro: 'centos', os_version: '7', architecture: 'x86_64' } },
];

/** Starts the OpenStack simulator on loopback and a provider that talks to it over HTTP. */
export async function startSimulatorProvider(options: SimulatorProviderOptions = {}): Promise<{ provider: CloudProvider; simulator: CloudSimulator }> {
  const simulator = await startCloudSimulator({
    bootTimeMs: options.bootTimeMs ?? 1000,
    images: SIMULATED_IMAGES,
    quota: {
      ...(options.quotas?.instances !== undefined ? { instances: options.quotas.instances } : {}),
      ...(options.quotas?.cores !== undefined ? { cores: options.quotas.cores } : {}),
      ...(options.quotas?.ramMb !== undefined ? { ram: options.quotas.ramMb } : {}),
      ...(options.quotaInstances !== undefined ? { instances: options.quotaInstances } : {}),
    },
  });
  const pool = options.sshPool ?? [];
  if (pool.length) simulator.admin.bindAddressPool(pool);
  const provider = new OpenStackCloudProvider({
    name: options.name ?? 'simulator',
    rank: options.rank ?? 100,
    authUrl: simulator.authUrl,
    region: simulator.region,
    auth: { type: 'password', username: simulator.username, password: simulator.password, userDomainName: simulator.userDomain, projectName: simulator.projectName, projectDomainName: simulator.projectDomain },
    sshUser: options.sshUser ?? 'root',
    // A simulated server answers SSH only when bound to a real host of the pool.
    sshAddresses: () => pool,
    ...(options.quotas ? { quotas: options.quotas } : {}),
  });
  return { provider, simulator };
}

type Entry = Record<string, unknown>;

function authOf(entry: Entry, problems: string[], where: string): OpenStackAuth | undefined {
  const a = (entry.auth ?? {}) as Entry;
  const str = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : undefined);
  const scope = { projectName: str('project_name'), projectId: str('project_id'), projectDomainName: str('project_domain_name') ?? 'Default' };
  switch (a.method) {
    case 'password':
      if (!str('password') || !(str('username') || str('user_id'))) problems.push(`${where}.auth: password needs username and password`);
      return { type: 'password', username: str('username'), userId: str('user_id'), userDomainName: str('user_domain_name') ?? 'Default', password: str('password') ?? '', ...scope };
    case 'application_credential':
      if (!str('application_credential_secret')) problems.push(`${where}.auth: application_credential needs application_credential_secret`);
      return { type: 'application_credential', applicationCredentialId: str('application_credential_id'), applicationCredentialName: str('application_credential_name'), username: str('username'), userDomainName: str('user_domain_name'), secret: str('application_credential_secret') ?? '' };
    case 'oidc':
      if (!str('identity_provider') || !str('protocol')) problems.push(`${where}.auth: oidc needs identity_provider and protocol`);
      // The user's IAM access token is supplied per deployment (Keystone federation).
      return { type: 'oidc_access_token', identityProvider: str('identity_provider') ?? '', protocol: str('protocol') ?? 'openid', accessToken: '', ...scope };
    default:
      problems.push(`${where}.auth.method must be password, application_credential or oidc`);
      return undefined;
  }
}

/** A providers-file entry's `quotas` (instances, cores, ram_mb): the prefilter's figures, simulated or real. */
function quotasOf(entry: Entry): ProviderQuotas {
  const q = (entry.quotas ?? {}) as Entry;
  const n = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return { instances: n(q.instances), cores: n(q.cores), ramMb: n(q.ram_mb) };
}

/** Parses the providers file; throws InvalidRequestError naming every bad entry. */
export async function loadProvidersFile(path: string): Promise<LoadedProviders> {
  const doc = parse(await readFile(path, 'utf8')) as { providers?: Entry[] } | null;
  const entries = doc?.providers ?? [];
  const problems: string[] = [];
  if (!Array.isArray(entries) || entries.length === 0) problems.push(`${path}: no providers listed`);
  const providers: CloudProvider[] = [];
  const simulators: Record<string, CloudSimulator> = {};
  const closers: Array<() => Promise<void>> = [];
  for (const [i, entry] of (Array.isArray(entries) ? entries : []).entries()) {
    const where = `providers[${i}]`;
    const name = typeof entry.name === 'string' ? entry.name : undefined;
    if (!name) problems.push(`${where}.name is required`);
    const rank = typeof entry.rank === 'number' ? entry.rank : i + 1;
    if (entry.type === 'simulator') {
      if (problems.length) continue;
      const { provider, simulator } = await startSimulatorProvider({ name, rank, bootTimeMs: entry.boot_ms as number | undefined, sshPool: entry.ssh_pool as string[] | undefined, quotas: quotasOf(entry) });
      providers.push(provider);
      simulators[name!] = simulator;
      closers.push(() => simulator.close());
      continue;
    }
    if (entry.type !== 'openstack') {
      problems.push(`${where}.type must be openstack or simulator`);
      continue;
    }
    if (typeof entry.auth_url !== 'string') problems.push(`${where}.auth_url is required`);
    const auth = authOf(entry, problems, where);
    if (!name || !auth || typeof entry.auth_url !== 'string') continue;
    providers.push(
      new OpenStackCloudProvider({
        name,
        rank,
        authUrl: entry.auth_url,
        region: entry.region as string | undefined,
        auth,
        externalNetwork: entry.external_network as string | undefined,
        imageMappings: (entry.images ?? {}) as Record<string, string>,
        sshUser: entry.ssh_user as string | undefined,
        quotas: quotasOf(entry),
      }),
    );
  }
  const names = providers.map((p) => p.name);
  for (const n of names.filter((x, k) => names.indexOf(x) !== k)) problems.push(`provider name ${n} is used twice`);
  if (problems.length) {
    for (const close of closers) await close();
    throw new InvalidRequestError(`invalid providers file ${path}:\n${problems.join('\n')}`);
  }
  return { providers, simulators, close: async () => void (await Promise.all(closers.map((c) => c()))) };
}
