// Variable precedence for a task on a host, lowest first, as ansible-core 2.14's
// VariableManager.get_vars: the play roles' defaults < the task's role defaults (with its dep
// chain) < group vars (all, then deeper groups) < host vars < facts < play vars < vars_files <
// the play roles' vars < the task's role vars < block/include vars < task vars <
// set_fact/registered < role params < extra vars; magic variables (inventory_hostname, groups,
// hostvars, ...) on top.
import { groupHosts } from '../inventory/inventory';
import { factVars } from '../modules/facts';
import type { RoleRef, TaskNode } from '../playbook/model';
import { OMIT } from '../template/templater';
import { unsafeLayer } from '../template/unsafe';
import type { HostState } from './host-state';
import type { Inherited, PlayContext } from './run-context';
import { roleDefaults, roleParams, roleVars } from './role-vars';

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

interface RoleLayers {
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
  params: Record<string, unknown>;
}

const NO_ROLE: RoleLayers = { defaults: {}, vars: {}, params: {} };

/** The play roles' layers, then the task's role's with its chain (cached per play: they are static). */
function roleLayers(pc: PlayContext, role: RoleRef | undefined, chain: RoleRef[]): { play: RoleLayers; task: RoleLayers } {
  const roles = [...pc.play.roles, ...pc.dynamicRoles];
  const playKey = `#play:${roles.length}`;
  let play = pc.roleVarsCache.get(playKey);
  if (!play) {
    play = { defaults: Object.assign({}, ...roles.map((r) => roleDefaults(r))), vars: Object.assign({}, ...roles.map((r) => roleVars(r))), params: {} };
    pc.roleVarsCache.set(playKey, play);
  }
  if (!role) return { play, task: NO_ROLE };
  const key = [...chain.map((r) => r.key), role.key].join('\u0000');
  let task = pc.roleVarsCache.get(key);
  if (!task) {
    task = { defaults: roleDefaults(role, chain), vars: roleVars(role, chain), params: roleParams(role, chain) };
    pc.roleVarsCache.set(key, task);
  }
  return { play, task };
}

/** The roles that depend on `role` along the path the host took to it (Ansible's dep chain). */
function depChain(inh: Inherited, role: RoleRef | undefined): RoleRef[] {
  if (!role) return [];
  const i = inh.roleChain.findIndex((r) => r.key === role.key);
  return i < 0 ? inh.roleChain : inh.roleChain.slice(0, i);
}

export function buildTaskVars(pc: PlayContext, host: HostState, inh: Inherited, task?: TaskNode): Record<string, unknown> {
  const play = pc.play;
  const taskVars = task && task.kw.vars && typeof task.kw.vars === 'object' ? (task.kw.vars as Record<string, unknown>) : {};
  const role = task?.role ?? inh.role;
  const layers = roleLayers(pc, role, depChain(inh, role));
  const activeHosts = pc.hosts.filter((h) => !pc.run.hosts.get(h)?.failed && !pc.run.hosts.get(h)?.unreachable);
  return Object.assign(
    {},
    layers.play.defaults,
    layers.task.defaults,
    ...host.groupLayers,
    host.inventoryVars,
    host.facts ? unsafeLayer(factVars(host.facts)) : {},
    play.vars,
    pc.varsFilesVars,
    layers.play.vars,
    layers.task.vars,
    inh.vars,
    taskVars,
    host.hostVars,
    layers.task.params,
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
      // Task.get_search_path: the role, the roles depending on it (nearest first), the task's folder.
      ansible_search_path: [...new Set([...(role ? [role.dir, ...depChain(inh, role).map((r) => r.dir).reverse()] : []), task?.dir ?? pc.run.playbookDir])],
    },
  );
}
