// Endpoint selection from a Keystone v3 service catalog (keystoneauth's rules, simplified):
// match the service type (or one of its official aliases), then interface, then region.
import { OpenStackEndpointNotFoundError } from './errors';

export type EndpointInterface = 'public' | 'internal' | 'admin';

/** One entry of `token.catalog` in a Keystone v3 token. */
export interface CatalogEntry {
  type: string;
  name?: string;
  id?: string;
  endpoints: { interface: string; region?: string; region_id?: string; url: string; id?: string }[];
}

/** The service types libs/openstack talks to. */
export type ServiceType = 'identity' | 'compute' | 'network' | 'image' | 'block-storage';

// From the OpenStack service-types-authority: clouds still register Cinder as volumev3 (or
// volumev2/volume), so each is accepted for block-storage, preferring the official name.
const ALIASES: Record<ServiceType, string[]> = {
  identity: ['identity'],
  compute: ['compute'],
  network: ['network'],
  image: ['image'],
  'block-storage': ['block-storage', 'volumev3', 'volume'],
};

/** Picks the endpoint URL for a service type, interface and (optional) region. */
export function selectEndpoint(
  catalog: readonly CatalogEntry[],
  serviceType: ServiceType,
  options: { region?: string; interface?: EndpointInterface } = {},
): string {
  const iface = options.interface ?? 'public';
  for (const type of ALIASES[serviceType]) {
    for (const entry of catalog) {
      if (entry.type !== type) continue;
      const endpoint = entry.endpoints.find(
        (e) =>
          normaliseInterface(e.interface) === iface &&
          (options.region === undefined || e.region_id === options.region || e.region === options.region),
      );
      if (endpoint) return endpoint.url.replace(/\/+$/, '');
    }
  }
  throw new OpenStackEndpointNotFoundError(serviceType, options.region, iface);
}

// Keystone v2-style names ("publicURL") still appear in some hand-written catalogs.
function normaliseInterface(value: string): string {
  return value.replace(/URL$/, '');
}

/**
 * Makes a catalog URL usable as a base for our versioned paths: Nova's and Cinder's catalog URLs
 * usually carry the version (and Cinder's the project id), Neutron's and Glance's do not.
 */
export function versionedBase(serviceType: ServiceType, url: string, projectId: string): string {
  const base = url.replace(/\/+$/, '').replace(/\$\(project_id\)s|%\(project_id\)s|\{project_id\}/g, projectId);
  switch (serviceType) {
    case 'compute':
      return /\/v2(\.1)?(\/[0-9a-f]{32})?$/.test(base) ? base : `${base}/v2.1`;
    case 'network':
      return /\/v2\.0$/.test(base) ? base : `${base}/v2.0`;
    case 'image':
      return /\/v2$/.test(base) ? base : `${base}/v2`;
    case 'block-storage':
      if (/\/v3\/[0-9a-f-]+$/.test(base)) return base;
      if (/\/v3$/.test(base)) return `${base}/${projectId}`;
      return `${base}/v3/${projectId}`;
    case 'identity':
      return /\/v3$/.test(base) ? base : `${base}/v3`;
  }
}
