// Variable precedence for a task on a host, lowest first, as Ansible documents it:
// role defaults < group vars (all, then deeper groups) < host vars < facts < play vars <
// vars_files < role vars < block/role/include vars < task vars < set_fact/registered <
// extra vars; magic variables (inventory_hostname, groups, hostvars, ...) on top.
import { groupHosts } from '../inventory/inventory';
import { factVars } from '../modules/facts';
import type { TaskNode } from '../playbook/model';
import { OMIT } from '../template/templater';
import { unsafeLayer } from '../template/unsafe';
import type { HostState } from './host-state';
import type { Inherited, PlayContext } from './run-context';

function hostvarsOf(pc: PlayContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, h] of pc.run.hosts) {
    Object.defineProperty(out, name, {
      enumerable: true,
      get: () => ({
        ...Object.assign({}, ...h.groupLayers),
        ...h.inventoryVars,
        ...(h.facts ? unsafeLayer(factVars(h.facts)) : {}),
        ...h.hostVars,
        inventory_hostname: name,
        group_names: h.groups,
      }),
    });
  }
  return out;
}

function groupsOf(pc: PlayContext): Record<string, string[]> {
  const inv = pc.run.inventory;
  const out: Record<string, string[]> = { all: Object.keys(inv.hosts), ungrouped: groupHosts(inv, 'ungrouped') };
  for (const g of Object.keys(inv.groups)) out[g] ??= groupHosts(inv, g);
  return out;
}

export function buildTaskVars(pc: PlayContext, host: HostState, inh: Inherited, task?: TaskNode): Record<string, unknown> {
  const play = pc.play;
  const taskVars = task && task.kw.vars && typeof task.kw.vars === 'object' ? (task.kw.vars as Record<string, unknown>) : {};
  const role = task?.role ?? inh.role;
  const activeHosts = pc.hosts.filter((h) => !pc.run.hosts.get(h)?.failed && !pc.run.hosts.get(h)?.unreachable);
  return Object.assign(
    {},
    play.roleDefaults,
    ...host.groupLayers,
    host.inventoryVars,
    host.facts ? unsafeLayer(factVars(host.facts)) : {},
    play.vars,
    pc.varsFilesVars,
    play.roleVars,
    inh.vars,
    taskVars,
    host.hostVars,
    pc.run.extraVars,
    {
      inventory_hostname: host.name,
      inventory_hostname_short: host.name.split('.')[0],
      group_names: host.groups,
      groups: groupsOf(pc),
      hostvars: hostvarsOf(pc),
      play_hosts: activeHosts,
      ansible_play_hosts: activeHosts,
      ansible_play_batch: activeHosts,
      ansible_play_hosts_all: pc.hosts,
      ansible_play_name: play.name,
      playbook_dir: pc.run.playbookDir,
      ansible_check_mode: pc.run.check,
      ansible_run_tags: pc.run.tags.length ? pc.run.tags : ['all'],
      ansible_skip_tags: pc.run.skipTags,
      omit: OMIT,
      ...(host.facts ? {} : { ansible_facts: {} }),
      ...(role ? { role_name: role.name, role_path: role.dir } : {}),
    },
  );
}
