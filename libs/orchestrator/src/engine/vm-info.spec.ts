import { describe, expect, it } from 'vitest';
import { virtualMachineInfo, type VmInfoFacts } from './vm-info';

const facts: VmInfoFacts = {
  template: 'server',
  server: { id: 'srv-1', privateAddress: '10.0.0.5', publicAddress: '172.24.4.9' },
  serverName: 'baton-abc-server_0',
  flavor: { id: 'f1', name: 'm1.small', vcpus: 2, ramMb: 2048, diskGb: 20 },
  image: { id: 'i1', name: 'ubuntu-22.04', osType: 'linux', distribution: 'ubuntu', version: '22.04' },
  providerEndpoint: 'https://keystone.example.org:5000/v3',
};

/** What the INFN dashboard does with it: `utils.format_json_radl` (the system entry, `_min` dropped). */
function dashboardRow(info: ReturnType<typeof virtualMachineInfo>): Record<string, string | number> {
  const system = info.vmProperties.find((p) => p.class === 'system')!;
  return Object.fromEntries(Object.entries(system).filter(([k]) => k !== 'class' && k !== 'id').map(([k, v]) => [k.endsWith('_min') ? k.slice(0, -4) : k, v]));
}

describe('VirtualMachineInfo', () => {
  it('carries every key the INFN dashboard renders for a VM row (depinfradetails.html)', () => {
    const row = dashboardRow(virtualMachineInfo(facts));
    const rendered = [
      `cores: ${row['cpu.count']}`,
      `ram: ${Number(row['memory.size']) / 1048576} MB`,
      `disk: ${Number(row['disk.0.free_size']) / 1073741824} GB`,
      `Operating System: ${row['disk.0.os.flavour']} ${row['disk.0.os.version']}`,
      ...Object.entries(row)
        .filter(([k]) => /^net_interface\.[0-9]\.ip$/.test(k))
        .map(([k, v]) => `${k.replaceAll('.', '_')}: ${v}`),
    ];
    expect(rendered).toEqual(['cores: 2', 'ram: 2048 MB', 'disk: 20 GB', 'Operating System: ubuntu 22.04', 'net_interface_0_ip: 10.0.0.5', 'net_interface_1_ip: 172.24.4.9']);
    expect(row.instance_name).toBe('baton-abc-server_0');
  });

  it('describes the public network as pub_network, which the dashboard looks for to find the VM', () => {
    const info = virtualMachineInfo(facts);
    // find_node_with_pubip in the INFN dashboard's deployments/routes.py
    const networks = info.vmProperties.filter((p) => p.class === 'network');
    const system = info.vmProperties.find((p) => p.class === 'system')!;
    expect(networks.some((n) => n.id === 'pub_network')).toBe(true);
    expect([system.instance_id, system['provider.host']]).toEqual(['srv-1', 'https://keystone.example.org:5000/v3']);
    expect(system['net_interface.1.connection']).toBe('pub_network');
  });

  it('has no public network for a VM without a public address', () => {
    const info = virtualMachineInfo({ ...facts, server: { id: 'srv-2', privateAddress: '10.0.0.6' } });
    expect(info.vmProperties.filter((p) => p.class === 'network').map((n) => n.id)).toEqual(['private']);
    expect(info.vmProperties.find((p) => p.class === 'system')).not.toHaveProperty('net_interface.1.ip');
  });
});
