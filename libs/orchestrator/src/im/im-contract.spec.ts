import { describe, expect, it } from 'vitest';
import { imEtcHosts, imHostname, imInventory, imPlays, type ImHost } from './im-contract';

const host = (name: string, template: string, num: number, extra: Partial<ImHost> = {}): ImHost => ({
  name,
  template,
  num,
  privateIp: `10.0.0.${num + 10}`,
  publicIp: null,
  cloudType: 'OpenStack',
  ssh: { host: `10.77.0.${num + 10}`, port: 22, user: 'root' },
  ...extra,
});

describe("IM's contract", () => {
  const hosts = [host('wn_server_1', 'wn_server', 2), host('fe_server_0', 'fe_server', 0, { dnsName: 'slurmserver', publicIp: '192.0.2.7', vmId: 'abc' }), host('wn_server_0', 'wn_server', 1)];
  const inv = imInventory(hosts, 'dep-1');

  it('groups every instance under its Compute template, in IM_NODE_NUM order', () => {
    expect(inv.groups).toEqual({ fe_server: ['fe_server_0'], wn_server: ['wn_server_0', 'wn_server_1'] });
    expect(inv.all).toEqual({
      IM_FE_SERVER_NUM_VMS: '1',
      IM_WN_SERVER_NUM_VMS: '2',
      IM_MASTER_HOSTNAME: 'slurmserver',
      IM_MASTER_FQDN: 'slurmserver.localdomain',
      IM_MASTER_DOMAIN: 'localdomain',
      IM_INFRASTRUCTURE_ID: 'dep-1',
    });
  });

  it('gives each host the IM_NODE_* variables IM gives it, as strings where IM writes strings', () => {
    expect(inv.hosts.fe_server_0).toEqual({
      ansible_host: '10.77.0.10',
      ansible_port: 22,
      ansible_user: 'root',
      IM_NODE_HOSTNAME: 'slurmserver',
      IM_NODE_DOMAIN: 'localdomain',
      IM_NODE_FQDN: 'slurmserver.localdomain',
      IM_NODE_NUM: '0',
      IM_NODE_VMID: 'abc',
      IM_NODE_CLOUD_TYPE: 'OpenStack',
      IM_NODE_PRIVATE_IP: '10.0.0.10',
      IM_NODE_PUBLIC_IP: '192.0.2.7',
      IM_NODE_NET_0_IP: '10.0.0.10',
      IM_NODE_NET_1_IP: '192.0.2.7',
    });
    expect(inv.hosts.wn_server_1).toMatchObject({ IM_NODE_HOSTNAME: 'vnode-2', IM_NODE_FQDN: 'vnode-2.localdomain', IM_NODE_NUM: '2', IM_NODE_PRIVATE_IP: '10.0.0.12' });
    expect(inv.hosts.wn_server_1).not.toHaveProperty('IM_NODE_PUBLIC_IP');
  });

  it('names hosts vnode-N, or by dns_name with #N# replaced and its own domain', () => {
    expect(imHostname({ num: 3 })).toEqual({ name: 'vnode-3', domain: 'localdomain' });
    expect(imHostname({ num: 3, dnsName: 'wn-#N#.example.org' })).toEqual({ name: 'wn-3', domain: 'example.org' });
  });

  it('writes /etc/hosts lines as IM does: IP FQDN NAME', () => {
    expect(imEtcHosts(inv).split('\n')).toEqual(['10.0.0.10 slurmserver.localdomain slurmserver', '10.0.0.11 vnode-1.localdomain vnode-1', '10.0.0.12 vnode-2.localdomain vnode-2']);
  });

  it("runs the operation's plays on the node's own host, with become, after facts of every host", () => {
    const plays = imPlays([{ hosts: 'localhost', connection: 'local', vars: { a: 1 }, tasks: [{ debug: 'msg=x' }] }], 'wn_server_0', inv);
    expect(plays.map((p) => (p as { hosts: string }).hosts)).toEqual(['all', 'all', 'wn_server_0']);
    expect(plays[1]).toMatchObject({ gather_facts: true, tasks: [] });
    expect(plays[2]).toEqual({ hosts: 'wn_server_0', become: true, vars: { a: 1 }, tasks: [{ debug: 'msg=x' }] });
  });
});
