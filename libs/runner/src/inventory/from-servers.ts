// The orchestrator's inventory: servers it provisioned, each with address, login, key and
// optionally a bastion, turned into Ansible inventory variables.
import { emptyGroup, type Inventory } from './inventory';

export interface ServerSpec {
  /** Inventory host name (e.g. the TOSCA node instance name). */
  name: string;
  address: string;
  port?: number;
  user: string;
  /** Private key text; never logged. */
  privateKey?: string;
  password?: string;
  /** A jump host for servers that have only private addresses. */
  bastion?: { address: string; port?: number; user: string; privateKey?: string; password?: string };
  groups?: string[];
  vars?: Record<string, unknown>;
}

export function inventoryFromServers(servers: ServerSpec[], groupVars: Record<string, Record<string, unknown>> = {}): Inventory {
  const inv: Inventory = { hosts: {}, groups: { all: emptyGroup(), ungrouped: emptyGroup() } };
  for (const s of servers) {
    const vars: Record<string, unknown> = { ...(s.vars ?? {}), ansible_host: s.address, ansible_port: s.port ?? 22, ansible_user: s.user };
    if (s.privateKey) vars.baton_ssh_private_key = s.privateKey;
    if (s.password) vars.ansible_password = s.password;
    if (s.bastion) {
      vars.baton_bastion = { host: s.bastion.address, port: s.bastion.port ?? 22, user: s.bastion.user, private_key: s.bastion.privateKey ?? s.privateKey, password: s.bastion.password };
    }
    inv.hosts[s.name] = vars;
    const groups = s.groups ?? [];
    if (groups.length === 0) inv.groups.ungrouped.hosts.push(s.name);
    for (const g of groups) (inv.groups[g] ??= emptyGroup()).hosts.push(s.name);
  }
  for (const [g, vars] of Object.entries(groupVars)) Object.assign((inv.groups[g] ??= emptyGroup()).vars, vars);
  return inv;
}
