// The requests of the fidelity probe (compare.ts), in order; `save` keeps ids for later probes.
export type ProbeVars = Record<string, string>;

export interface Probe {
  name: string;
  service: 'identity' | 'compute' | 'network' | 'image' | 'compute-root' | 'network-root' | 'image-root';
  method: string;
  path: (v: ProbeVars) => string;
  body?: (v: ProbeVars) => unknown;
  headers?: Record<string, string>;
  save?: (body: unknown, v: ProbeVars) => void;
  /** A polling step instead of a probe: returns true when done. */
  wait?: (get: (path: (v: ProbeVars) => string) => Promise<{ status: number; body: unknown }>, v: ProbeVars) => Promise<boolean>;
}

type J = Record<string, unknown>;
const MISSING = '00000000-0000-4000-8000-000000000000';
const get = (name: string, service: Probe['service'], path: string | ((v: ProbeVars) => string), headers?: Record<string, string>): Probe => ({
  name,
  service,
  method: 'GET',
  path: typeof path === 'string' ? () => path : path,
  headers,
});

export const PROBES: Probe[] = [
  get('keystone GET /auth/projects', 'identity', '/auth/projects'),
  get('nova GET / (versions)', 'compute-root', '/'),
  get('nova GET /v2.1/ (version)', 'compute', '/'),
  get('neutron GET / (versions)', 'network-root', '/'),
  get('glance GET / (versions)', 'image-root', '/'),
  get('nova GET /flavors', 'compute', '/flavors'),
  get('nova GET /flavors/detail', 'compute', '/flavors/detail'),
  get('nova GET /flavors/detail 2.latest', 'compute', '/flavors/detail', { 'openstack-api-version': 'compute latest' }),
  get('nova GET /flavors/{missing}', 'compute', `/flavors/${MISSING}`),
  get('nova GET /servers/{missing}', 'compute', `/servers/${MISSING}`),
  get('nova GET microversion 2.500', 'compute', '/flavors', { 'openstack-api-version': 'compute 2.500' }),
  get('nova GET /limits', 'compute', '/limits'),
  get('nova GET /os-keypairs', 'compute', '/os-keypairs'),
  get('glance GET /images', 'image', '/images'),
  get('glance GET /images?limit=1', 'image', '/images?limit=1'),
  get('glance GET /images/{missing}', 'image', `/images/${MISSING}`),
  get('glance GET /images?name=ossim-tiny', 'image', '/images?name=ossim-tiny'),
  get('neutron GET /networks?name=public', 'network', '/networks?name=public'),
  get('neutron GET /networks/{missing}', 'network', `/networks/${MISSING}`),
  get('neutron GET /extensions', 'network', '/extensions'),
  {
    ...get('glance GET /images?name=ossim-tiny (save)', 'image', '/images?name=ossim-tiny'),
    name: 'glance save image id',
    save: (b, v) => (v['image'] = ((b as J)['images'] as J[])[0]['id'] as string),
  },
  {
    ...get('nova GET /flavors (save)', 'compute', '/flavors/detail'),
    name: 'nova save flavor',
    save: (b, v) => (v['flavor'] = ((b as J)['flavors'] as J[]).find((f) => f['name'] === 'm1.tiny')!['id'] as string),
  },
  {
    ...get('neutron public', 'network', '/networks?name=public'),
    name: 'neutron save public',
    save: (b, v) => (v['public'] = ((b as J)['networks'] as J[])[0]['id'] as string),
  },
  { name: 'neutron POST /networks', service: 'network', method: 'POST', path: () => '/networks', body: () => ({ network: { name: 'fid-net' } }), save: (b, v) => (v['net'] = ((b as J)['network'] as J)['id'] as string) },
  {
    name: 'neutron POST /subnets',
    service: 'network',
    method: 'POST',
    path: () => '/subnets',
    body: (v) => ({ subnet: { name: 'fid-sub', network_id: v['net'], cidr: '10.88.0.0/24', ip_version: 4 } }),
    save: (b, v) => (v['subnet'] = ((b as J)['subnet'] as J)['id'] as string),
  },
  {
    name: 'neutron POST /subnets overlapping',
    service: 'network',
    method: 'POST',
    path: () => '/subnets',
    body: (v) => ({ subnet: { name: 'fid-sub2', network_id: v['net'], cidr: '10.88.0.128/25', ip_version: 4 } }),
  },
  { name: 'neutron POST /routers', service: 'network', method: 'POST', path: () => '/routers', body: (v) => ({ router: { name: 'fid-router', external_gateway_info: { network_id: v['public'] } } }), save: (b, v) => (v['router'] = ((b as J)['router'] as J)['id'] as string) },
  { name: 'neutron PUT add_router_interface', service: 'network', method: 'PUT', path: (v) => `/routers/${v['router']}/add_router_interface`, body: (v) => ({ subnet_id: v['subnet'] }) },
  { name: 'neutron PUT add_router_interface again', service: 'network', method: 'PUT', path: (v) => `/routers/${v['router']}/add_router_interface`, body: (v) => ({ subnet_id: v['subnet'] }) },
  { name: 'neutron POST /security-groups', service: 'network', method: 'POST', path: () => '/security-groups', body: () => ({ security_group: { name: 'fid-sg', description: 'x' } }), save: (b, v) => (v['sg'] = ((b as J)['security_group'] as J)['id'] as string) },
  {
    name: 'neutron POST /security-group-rules',
    service: 'network',
    method: 'POST',
    path: () => '/security-group-rules',
    body: (v) => ({ security_group_rule: { security_group_id: v['sg'], direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' } }),
  },
  {
    name: 'neutron POST /security-group-rules duplicate',
    service: 'network',
    method: 'POST',
    path: () => '/security-group-rules',
    body: (v) => ({ security_group_rule: { security_group_id: v['sg'], direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' } }),
  },
  { name: 'nova POST /os-keypairs (generate)', service: 'compute', method: 'POST', path: () => '/os-keypairs', body: () => ({ keypair: { name: 'fid-key' } }) },
  { name: 'nova POST /os-keypairs duplicate', service: 'compute', method: 'POST', path: () => '/os-keypairs', body: () => ({ keypair: { name: 'fid-key' } }) },
  get('nova GET /os-keypairs/fid-key', 'compute', '/os-keypairs/fid-key'),
  { name: 'nova POST /servers bad flavor', service: 'compute', method: 'POST', path: () => '/servers', body: (v) => ({ server: { name: 'fid-bad', flavorRef: MISSING, imageRef: v['image'], networks: [{ uuid: v['net'] }] } }) },
  { name: 'nova POST /servers bad image', service: 'compute', method: 'POST', path: () => '/servers', body: (v) => ({ server: { name: 'fid-bad', flavorRef: v['flavor'], imageRef: MISSING, networks: [{ uuid: v['net'] }] } }) },
  { name: 'nova POST /servers bad key', service: 'compute', method: 'POST', path: () => '/servers', body: (v) => ({ server: { name: 'fid-bad', flavorRef: v['flavor'], imageRef: v['image'], key_name: 'nope', networks: [{ uuid: v['net'] }] } }) },
  { name: 'nova POST /servers no network', service: 'compute', method: 'POST', path: () => '/servers', body: (v) => ({ server: { name: 'fid-nonet', flavorRef: v['flavor'], imageRef: v['image'] } }) },
  {
    name: 'nova POST /servers',
    service: 'compute',
    method: 'POST',
    path: () => '/servers',
    body: (v) => ({ server: { name: 'fid-vm', flavorRef: v['flavor'], imageRef: v['image'], key_name: 'fid-key', networks: [{ uuid: v['net'] }], security_groups: [{ name: 'fid-sg' }], metadata: { k: 'v' } } }),
    save: (b, v) => (v['server'] = ((b as J)['server'] as J)['id'] as string),
  },
  get('nova GET /servers/{id} BUILD', 'compute', (v) => `/servers/${v['server']}`),
  {
    name: 'wait ACTIVE',
    service: 'compute',
    method: 'GET',
    path: () => '',
    wait: async (g) => ((await g((v) => `/servers/${v['server']}`)).body as { server?: { status: string } } | undefined)?.server?.status === 'ACTIVE',
  },
  get('nova GET /servers/{id} ACTIVE', 'compute', (v) => `/servers/${v['server']}`),
  get('nova GET /servers/{id} 2.latest', 'compute', (v) => `/servers/${v['server']}`, { 'openstack-api-version': 'compute latest' }),
  get('nova GET /servers/detail?name=fid-vm', 'compute', '/servers/detail?name=fid-vm'),
  get('nova GET /servers?name=^fid', 'compute', '/servers?name=%5Efid'),
  get('nova GET /servers/{id}/os-interface', 'compute', (v) => `/servers/${v['server']}/os-interface`),
  { ...get('neutron GET /ports?device_id', 'network', (v) => `/ports?device_id=${v['server']}`), save: (b, v) => (v['port'] = ((b as J)['ports'] as J[])[0]['id'] as string) },
  { name: 'neutron POST /floatingips', service: 'network', method: 'POST', path: () => '/floatingips', body: (v) => ({ floatingip: { floating_network_id: v['public'] } }), save: (b, v) => (v['fip'] = ((b as J)['floatingip'] as J)['id'] as string) },
  { name: 'neutron PUT /floatingips/{id} associate', service: 'network', method: 'PUT', path: (v) => `/floatingips/${v['fip']}`, body: (v) => ({ floatingip: { port_id: v['port'] } }) },
  get('nova GET /servers/{id} with floating', 'compute', (v) => `/servers/${v['server']}`),
  { name: 'neutron DELETE /networks in use', service: 'network', method: 'DELETE', path: (v) => `/networks/${v['net']}` },
  { name: 'neutron DELETE /routers in use', service: 'network', method: 'DELETE', path: (v) => `/routers/${v['router']}` },
  { name: 'nova POST action os-start while active', service: 'compute', method: 'POST', path: (v) => `/servers/${v['server']}/action`, body: () => ({ 'os-start': null }) },
  { name: 'nova POST action os-stop', service: 'compute', method: 'POST', path: (v) => `/servers/${v['server']}/action`, body: () => ({ 'os-stop': null }) },
  { name: 'neutron DELETE /floatingips/{id}', service: 'network', method: 'DELETE', path: (v) => `/floatingips/${v['fip']}` },
  { name: 'nova DELETE /servers/{id}', service: 'compute', method: 'DELETE', path: (v) => `/servers/${v['server']}` },
  get('nova GET /servers/{id} deleting', 'compute', (v) => `/servers/${v['server']}`),
  {
    name: 'wait gone',
    service: 'compute',
    method: 'GET',
    path: () => '',
    wait: async (g) => (await g((v) => `/servers/${v['server']}`)).status === 404,
  },
  get('nova GET /servers/{id} after delete', 'compute', (v) => `/servers/${v['server']}`),
  { name: 'nova DELETE /servers/{id} again', service: 'compute', method: 'DELETE', path: (v) => `/servers/${v['server']}` },
  { name: 'nova DELETE /os-keypairs/fid-key', service: 'compute', method: 'DELETE', path: () => '/os-keypairs/fid-key' },
  { name: 'neutron PUT remove_router_interface', service: 'network', method: 'PUT', path: (v) => `/routers/${v['router']}/remove_router_interface`, body: (v) => ({ subnet_id: v['subnet'] }) },
  { name: 'neutron PUT remove_router_interface again', service: 'network', method: 'PUT', path: (v) => `/routers/${v['router']}/remove_router_interface`, body: (v) => ({ subnet_id: v['subnet'] }) },
  { name: 'neutron DELETE /routers/{id}', service: 'network', method: 'DELETE', path: (v) => `/routers/${v['router']}` },
  { name: 'neutron DELETE /security-groups/{id}', service: 'network', method: 'DELETE', path: (v) => `/security-groups/${v['sg']}` },
  { name: 'neutron DELETE /networks/{id}', service: 'network', method: 'DELETE', path: (v) => `/networks/${v['net']}` },
  { name: 'neutron DELETE /networks/{id} again', service: 'network', method: 'DELETE', path: (v) => `/networks/${v['net']}` },
];
