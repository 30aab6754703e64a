// What `localhost` means in a run. 'controller' (the operator's `baton playbook`, as
// ansible-playbook): this machine. 'node' (the orchestrator's runs, IM's contract, whose
// playbooks come through a template): the node's own machine. Then this machine runs nothing:
// `hosts: localhost`, `delegate_to: localhost` and `connection: local` reach the node over SSH,
// and every host is reached at the address, port, user, key and bastion the inventory (the
// orchestrator) gives it, whatever a play, a task or a variable says.
import { HostRefusedError } from '../errors';
import type { Inventory } from '../inventory/inventory';
import type { CommandTarget, ExecResult } from '../ssh/target';

export type LocalhostPolicy = 'controller' | 'node';

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

export function isLocalName(name: string): boolean {
  return LOCAL_NAMES.has(name);
}

/** The inventory host `localhost` stands for under the 'node' policy. */
export function nodeHostOf(inventory: Inventory, node?: string): string {
  if (node !== undefined) {
    if (!inventory.hosts[node]) throw new HostRefusedError(`node '${node}' is not a host of the inventory`);
    return node;
  }
  const hosts = Object.keys(inventory.hosts);
  if (hosts.length !== 1) throw new HostRefusedError(`localhost 'node' needs the node's host name when the inventory has ${hosts.length} hosts`);
  return hosts[0];
}

/** Hosts a play selected, `localhost` replaced by the node's host (once, in place). */
export function mapLocalhost(selected: string[], inventory: Inventory, nodeHost: string): string[] {
  const out: string[] = [];
  for (const h of selected) {
    const name = isLocalName(h) && !inventory.hosts[h] ? nodeHost : h;
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Connection variables of a host as the inventory alone gives them: group vars, then host vars. */
export function inventoryConnectionVars(inventory: Inventory, host: string, groups: string[]): Record<string, unknown> {
  const layers = ['all', ...groups.filter((g) => g !== 'all')].map((g) => inventory.groups[g]?.vars ?? {});
  return Object.assign({}, ...layers, inventory.hosts[host] ?? {});
}

/** The controller's stand-in under the 'node' policy: a target that runs nothing. */
export class RefusingTarget implements CommandTarget {
  readonly name = 'localhost';

  exec(): Promise<ExecResult> {
    return Promise.reject(new HostRefusedError('a playbook run by the orchestrator never runs a command on the orchestrator host'));
  }

  async close(): Promise<void> {}
}
