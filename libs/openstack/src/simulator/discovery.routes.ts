// Version discovery documents of each service, as the real services answer them (keystoneauth
// and openstacksdk read these before the first call).
import { MAX_MICROVERSION } from './nova-render';
import { json, type SimResponse } from './sim-http';

export const CINDER_MAX_MICROVERSION = 70;

export function identityVersions(origin: string): SimResponse {
  return json(300, {
    versions: {
      values: [
        {
          id: 'v3.14',
          status: 'stable',
          updated: '2020-04-07T00:00:00Z',
          links: [{ rel: 'self', href: `${origin}/identity/v3/` }],
          'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
        },
      ],
    },
  });
}

function novaVersion(origin: string): Record<string, unknown> {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: `2.${MAX_MICROVERSION}`,
    min_version: '2.1',
    updated: '2013-07-23T11:33:21Z',
    links: [
      { rel: 'self', href: `${origin}/compute/v2.1/` },
      { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' },
    ],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
  };
}

export function computeVersions(origin: string): SimResponse {
  return json(200, {
    versions: [
      { id: 'v2.0', status: 'SUPPORTED', version: '', min_version: '', updated: '2011-01-21T11:33:21Z', links: [{ rel: 'self', href: `${origin}/compute/v2/` }] },
      { ...novaVersion(origin), 'media-types': undefined },
    ],
  });
}

export function computeVersion(origin: string): SimResponse {
  return json(200, { version: novaVersion(origin) });
}

export function networkVersions(origin: string): SimResponse {
  return json(200, { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${origin}/network/v2.0/`, rel: 'self' }] }] });
}

export function networkResources(origin: string): SimResponse {
  const names: [string, string][] = [
    ['subnet', 'subnets'],
    ['network', 'networks'],
    ['port', 'ports'],
    ['router', 'routers'],
    ['floatingip', 'floatingips'],
    ['security_group', 'security-groups'],
  ];
  return json(200, { resources: names.map(([name, collection]) => ({ links: [{ href: `${origin}/network/v2.0/${collection}`, rel: 'self' }], name, collection })) });
}

export function imageVersions(origin: string, status = 300): SimResponse {
  const versions = ['2.16', '2.15', '2.14', '2.13', '2.12', '2.11', '2.10', '2.9', '2.8', '2.7', '2.6', '2.5', '2.4', '2.3', '2.2', '2.1', '2.0'].map((v, i) => ({
    id: `v${v}`,
    status: i === 0 ? 'CURRENT' : 'SUPPORTED',
    links: [{ rel: 'self', href: `${origin}/image/v2/` }],
  }));
  return json(status, { versions });
}

function cinderVersion(origin: string): Record<string, unknown> {
  return {
    id: 'v3.0',
    status: 'CURRENT',
    version: `3.${CINDER_MAX_MICROVERSION}`,
    min_version: '3.0',
    updated: '2022-08-31T00:00:00Z',
    links: [
      { rel: 'describedby', type: 'text/html', href: 'https://docs.openstack.org/' },
      { rel: 'self', href: `${origin}/volume/v3/` },
    ],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' }],
  };
}

export function volumeVersions(origin: string): SimResponse {
  return json(300, { versions: [cinderVersion(origin)] });
}

export function volumeVersion(origin: string): SimResponse {
  return json(200, { versions: [cinderVersion(origin)] });
}
