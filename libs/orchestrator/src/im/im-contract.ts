// IM's contextualization contract (grycap/im: IM/ConfManager.py generate_inventory,
// generate_etc_hosts, contextualization/basic.yml; IM/tosca/Tosca.py _gen_configure_from_interfaces),
// so that playbooks written for IM run unchanged:
// - one inventory group per Compute node template, holding every instance of it;
// - per host: IM_NODE_PRIVATE_IP, IM_NODE_PUBLIC_IP, IM_NODE_HOSTNAME, IM_NODE_DOMAIN,
//   IM_NODE_FQDN, IM_NODE_NUM, IM_NODE_VMID, IM_NODE_CLOUD_TYPE, IM_NODE_CLOUD_SERVER,
//   IM_NODE_NET_<n>_IP; for all: IM_<GROUP>_NUM_VMS, IM_MASTER_HOSTNAME/FQDN/DOMAIN,
//   IM_INFRASTRUCTURE_ID;
// - host names `vnode-<IM_NODE_NUM>` in domain `localdomain`, or the endpoint's `dns_name`
//   (`#N#` replaced by the number), set on every host and written to every host's /etc/hosts
//   before each operation (IM's basic recipe runs on every VM before any configure);
// - an operation's plays lose `hosts` and `connection` and run on the node's own host, with
//   become, after facts were gathered on every host (IM's `_all` recipe), so `hostvars` of every
//   group member carry facts.
// Pure: no I/O.

export const IM_DOMAIN = 'localdomain';

export interface ImHost {
  /** The inventory name: the Compute instance id (`wn_server_1`). */
  name: string;
  /** The Compute node template: the inventory group. */
  template: string;
  /** IM_NODE_NUM: the host's number in the deployment, in creation order from 0. */
  num: number;
  privateIp: string | null;
  publicIp: string | null;
  /** The endpoint capability's `dns_name`, when the template gives one. */
  dnsName?: string;
  /** The cloud's server id (IM_NODE_VMID). */
  vmId?: string;
  cloudType: string;
  cloudServer?: string;
  ssh: { host: string; port: number; user: string };
}

export interface ImInventory {
  /** Host name → variables (IM_* plus the connection's ansible_host/port/user). */
  hosts: Record<string, Record<string, unknown>>;
  /** Group (Compute template) → host names, in IM_NODE_NUM order. */
  groups: Record<string, string[]>;
  /** Variables of the `all` group. */
  all: Record<string, unknown>;
}

/** `vnode-N`, or the requested name with `#N#` replaced (IM's system.replaceTemplateName). */
export function imHostname(host: Pick<ImHost, 'num' | 'dnsName'>): { name: string; domain: string } {
  const requested = host.dnsName?.replace(/#N#/g, String(host.num));
  const full = requested ?? `vnode-${host.num}`;
  const dot = full.indexOf('.');
  return dot > 0 ? { name: full.slice(0, dot), domain: full.slice(dot + 1) } : { name: full, domain: IM_DOMAIN };
}

export function imInventory(hosts: ImHost[], infrastructureId: string): ImInventory {
  const sorted = [...hosts].sort((a, b) => a.num - b.num);
  const out: ImInventory = { hosts: {}, groups: {}, all: {} };
  for (const h of sorted) {
    const { name, domain } = imHostname(h);
    const vars: Record<string, unknown> = {
      ansible_host: h.ssh.host,
      ansible_port: h.ssh.port,
      ansible_user: h.ssh.user,
      IM_NODE_HOSTNAME: name,
      IM_NODE_DOMAIN: domain,
      IM_NODE_FQDN: `${name}.${domain}`,
      IM_NODE_NUM: String(h.num),
      IM_NODE_CLOUD_TYPE: h.cloudType,
    };
    if (h.vmId) vars.IM_NODE_VMID = h.vmId;
    if (h.cloudServer) vars.IM_NODE_CLOUD_SERVER = h.cloudServer;
    if (h.publicIp && h.publicIp !== h.privateIp) vars.IM_NODE_PUBLIC_IP = h.publicIp;
    // As IM: a host with only a public address has it as its private one too.
    const privateIp = h.privateIp ?? h.publicIp;
    if (privateIp) vars.IM_NODE_PRIVATE_IP = privateIp;
    const nets = [h.privateIp, h.publicIp && h.publicIp !== h.privateIp ? h.publicIp : null].filter((ip): ip is string => !!ip);
    nets.forEach((ip, i) => (vars[`IM_NODE_NET_${i}_IP`] = ip));
    out.hosts[h.name] = vars;
    (out.groups[h.template] ??= []).push(h.name);
  }
  for (const [group, members] of Object.entries(out.groups)) out.all[`IM_${group.toUpperCase()}_NUM_VMS`] = String(members.length);
  const master = sorted[0];
  if (master) {
    const { name, domain } = imHostname(master);
    Object.assign(out.all, { IM_MASTER_HOSTNAME: name, IM_MASTER_FQDN: `${name}.${domain}`, IM_MASTER_DOMAIN: domain });
  }
  out.all.IM_INFRASTRUCTURE_ID = infrastructureId;
  return out;
}

/** The /etc/hosts lines IM writes: `IP FQDN NAME` per host, its private address first. */
export function imEtcHosts(inventory: ImInventory): string {
  return Object.values(inventory.hosts)
    .map((v) => `${String(v.IM_NODE_PRIVATE_IP ?? v.ansible_host)} ${String(v.IM_NODE_FQDN)} ${String(v.IM_NODE_HOSTNAME)}`)
    .join('\n');
}

/**
 * The plays of an operation run on `host`: IM's preamble (host names and /etc/hosts on every
 * host, facts of every host), then the operation's plays without `hosts`/`connection`, on the host,
 * with become (IM's add_ansible_header).
 */
export function imPlays(plays: unknown[], host: string, inventory: ImInventory): unknown[] {
  const preamble = [
    {
      name: 'IM contract: host names and /etc/hosts',
      hosts: 'all',
      gather_facts: false,
      become: true,
      tasks: [
        {
          name: 'set the host name',
          shell: 'test "$(hostname)" = "$NAME" && exit 0; hostname "$NAME" && echo "$NAME" > /etc/hostname && echo changed',
          environment: { NAME: '{{ IM_NODE_FQDN }}' },
          register: 'im_hostname',
          changed_when: "'changed' in im_hostname.stdout",
        },
        { name: 'list the deployment hosts in /etc/hosts', blockinfile: { path: '/etc/hosts', marker: '# {mark} hosts of the deployment', block: imEtcHosts(inventory) } },
      ],
    },
    { name: 'IM contract: facts of every host', hosts: 'all', gather_facts: true, tasks: [] },
  ];
  const own = plays.map((play) => {
    if (!play || typeof play !== 'object' || Array.isArray(play)) return play;
    const { hosts: _hosts, connection: _connection, ...rest } = play as Record<string, unknown>;
    if ('import_playbook' in rest) return rest;
    return { ...rest, hosts: host, become: true };
  });
  return [...preamble, ...own];
}
