import { describe, expect, it } from 'vitest';
import { type CatalogEntry, selectEndpoint, versionedBase } from './catalog';
import { OpenStackEndpointNotFoundError } from './errors';

const catalog: CatalogEntry[] = [
  {
    type: 'compute',
    endpoints: [
      { interface: 'public', region_id: 'RegionOne', url: 'https://one.example/compute/v2.1/' },
      { interface: 'internal', region_id: 'RegionOne', url: 'http://10.0.0.1:8774/v2.1' },
      { interface: 'public', region_id: 'RegionTwo', url: 'https://two.example/compute/v2.1' },
    ],
  },
  { type: 'volumev3', endpoints: [{ interface: 'public', region: 'RegionOne', url: 'https://one.example/volume/v3/%(project_id)s' }] },
  { type: 'volume', endpoints: [{ interface: 'public', region: 'RegionOne', url: 'https://one.example/volume/v1/legacy' }] },
  { type: 'network', endpoints: [{ interface: 'publicURL', region_id: 'RegionOne', url: 'https://one.example:9696' }] },
];

describe('selectEndpoint', () => {
  it('picks the public endpoint of the region and trims the trailing slash', () => {
    expect(selectEndpoint(catalog, 'compute', { region: 'RegionOne' })).toBe('https://one.example/compute/v2.1');
    expect(selectEndpoint(catalog, 'compute', { region: 'RegionTwo' })).toBe('https://two.example/compute/v2.1');
  });

  it('honours the interface', () => {
    expect(selectEndpoint(catalog, 'compute', { region: 'RegionOne', interface: 'internal' })).toBe('http://10.0.0.1:8774/v2.1');
  });

  it('takes the first match when no region is asked for', () => {
    expect(selectEndpoint(catalog, 'compute')).toBe('https://one.example/compute/v2.1');
  });

  it('prefers volumev3 over the legacy volume type for block-storage', () => {
    expect(selectEndpoint(catalog, 'block-storage')).toBe('https://one.example/volume/v3/%(project_id)s');
  });

  it('accepts v2-style interface names', () => {
    expect(selectEndpoint(catalog, 'network', { interface: 'public' })).toBe('https://one.example:9696');
  });

  it('throws a typed error naming what is missing', () => {
    expect(() => selectEndpoint(catalog, 'image')).toThrow(OpenStackEndpointNotFoundError);
    expect(() => selectEndpoint(catalog, 'compute', { region: 'Nowhere' })).toThrow(/region "Nowhere"/);
  });
});

describe('versionedBase', () => {
  const project = 'abc123';
  it('adds the API version where the catalog URL lacks it', () => {
    expect(versionedBase('network', 'http://h:9696', project)).toBe('http://h:9696/v2.0');
    expect(versionedBase('image', 'http://h:9292/', project)).toBe('http://h:9292/v2');
    expect(versionedBase('compute', 'http://h:8774', project)).toBe('http://h:8774/v2.1');
    expect(versionedBase('block-storage', 'http://h:8776', project)).toBe('http://h:8776/v3/abc123');
  });

  it('keeps versions that are there and fills the project id template', () => {
    expect(versionedBase('compute', 'http://h:8774/v2.1', project)).toBe('http://h:8774/v2.1');
    expect(versionedBase('network', 'http://h/network/v2.0', project)).toBe('http://h/network/v2.0');
    expect(versionedBase('block-storage', 'http://h/volume/v3/%(project_id)s', project)).toBe('http://h/volume/v3/abc123');
    expect(versionedBase('block-storage', 'http://h/volume/v3/$(project_id)s', project)).toBe('http://h/volume/v3/abc123');
  });
});
