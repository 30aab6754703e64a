// Shared state of one playbook run and of one play within it.
import type { Inventory } from '../inventory/inventory';
import type { Play, RoleRef } from '../playbook/model';
import type { CommandTarget } from '../ssh/target';
import type { HostFiles } from '../confine/host-files';
import type { Templater } from '../template/templater';
import type { RunnerEvent } from './events';
import type { HostState } from './host-state';
import type { LockstepBarrier, Position } from './lockstep-barrier';
import type { Semaphore } from './semaphore';
import type { ModuleResult } from '../modules/types';

export interface RunContext {
  templater: Templater;
  inventory: Inventory;
  hosts: Map<string, HostState>;
  extraVars: Record<string, unknown>;
  check: boolean;
  forks: Semaphore;
  signal?: AbortSignal;
  emit(e: RunnerEvent): void;
  secrets: Set<string>;
  connect(host: HostState): Promise<CommandTarget>;
  /** Where modules that run no command (debug, set_fact) run: the controller, or a refusing stand-in. */
  local: CommandTarget;
  /** Where `delegate_to: localhost` runs: the controller, or the node's host (localhost 'node'). */
  localhost(): Promise<CommandTarget>;
  /** Files of this machine the run may read (confined for the orchestrator's runs). */
  files: HostFiles;
  commandTimeoutMs?: number;
  tags: string[];
  skipTags: string[];
  playbookDir: string;
  /** run_once results shared by the hosts of a play, keyed by play index and task id. */
  runOnce: Map<string, Promise<ModuleResult>>;
}

export interface PlayContext {
  run: RunContext;
  play: Play;
  index: number;
  hosts: string[];
  varsFilesVars: Record<string, unknown>;
  /** Keeps the play's hosts in lock-step, task by task (the linear strategy). */
  barrier: LockstepBarrier;
  /** Roles made public by an `include_role` with `public: true`, once included. */
  dynamicRoles: RoleRef[];
  /** Merged role defaults/vars/params, by role chain (see task-vars.ts). */
  roleVarsCache: Map<string, { defaults: Record<string, unknown>; vars: Record<string, unknown>; params: Record<string, unknown> }>;
}

/** Keywords inherited from plays, blocks, roles and includes down to each task. */
export interface Inherited {
  when: unknown[];
  vars: Record<string, unknown>;
  become?: unknown;
  becomeUser?: unknown;
  environment: unknown[];
  tags: string[];
  ignoreErrors?: unknown;
  delegateTo?: unknown;
  noLog?: unknown;
  checkMode?: unknown;
  role?: RoleRef;
  /** The role runs this item sits in, outermost first (a role's dependencies sit in its run). */
  roleChain: RoleRef[];
  /** True inside the `block:` part of a block that has a `rescue:`. */
  rescuable: boolean;
  /** Where the current item sits in the play's task tree (see LockstepBarrier). */
  pos: Position;
}

export function tagList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map(String);
  return String(v).split(',').map((s) => s.trim()).filter(Boolean);
}

/** Applies a block/role/include's keywords on top of what it inherits. */
export function inherit(parent: Inherited, kw: Record<string, unknown>, role?: RoleRef): Inherited {
  return {
    when: kw.when === undefined ? parent.when : [...parent.when, ...(Array.isArray(kw.when) ? kw.when : [kw.when])],
    vars: kw.vars && typeof kw.vars === 'object' ? { ...parent.vars, ...(kw.vars as Record<string, unknown>) } : parent.vars,
    become: kw.become ?? parent.become,
    becomeUser: kw.become_user ?? parent.becomeUser,
    environment: kw.environment === undefined ? parent.environment : [...parent.environment, kw.environment],
    tags: [...parent.tags, ...tagList(kw.tags)],
    ignoreErrors: kw.ignore_errors ?? parent.ignoreErrors,
    delegateTo: kw.delegate_to ?? parent.delegateTo,
    noLog: kw.no_log ?? parent.noLog,
    checkMode: kw.check_mode ?? parent.checkMode,
    role: role ?? parent.role,
    roleChain: parent.roleChain,
    rescuable: parent.rescuable,
    pos: parent.pos,
  };
}
