// The parsed playbook: plays, task lists, blocks and dynamic includes, with roles expanded.
// Keywords stay raw (unevaluated templates); the executor evaluates them per host.

/** Task keywords that are not the module (Ansible's Task/Base attributes). */
export const TASK_KEYWORDS = new Set([
  'name', 'when', 'loop', 'loop_control', 'register', 'changed_when', 'failed_when', 'ignore_errors',
  'ignore_unreachable', 'become', 'become_user', 'become_method', 'become_flags', 'environment', 'tags',
  'delegate_to', 'delegate_facts', 'run_once', 'retries', 'until', 'delay', 'notify', 'vars', 'no_log',
  'check_mode', 'diff', 'args', 'listen', 'any_errors_fatal', 'timeout', 'async', 'poll', 'connection',
  'remote_user', 'debugger', 'throttle', 'collections', 'module_defaults', 'block', 'rescue', 'always',
]);

/** A role's context: where its files and templates are found, and its own variables. */
export interface RoleRef {
  name: string;
  dir: string;
  /** Parameters given where the role is listed (`- role: x` with vars). */
  params: Record<string, unknown>;
}

export interface TaskNode {
  kind: 'task';
  /** Name as written (may contain templates), or the module name. */
  name: string;
  module: string;
  args: Record<string, unknown>;
  /** Keywords (when, loop, register, ...) as written. */
  kw: Record<string, unknown>;
  /** Folder of the file the task came from (relative `src:` paths). */
  dir: string;
  file: string;
  role?: RoleRef;
  /** Unique within a run; keys run_once results. */
  id: number;
}

export interface BlockNode {
  kind: 'block';
  name?: string;
  block: PlayItem[];
  rescue: PlayItem[];
  always: PlayItem[];
  kw: Record<string, unknown>;
  role?: RoleRef;
  id: number;
  /**
   * Set for `include_role`: the block is the role's tasks, loaded with the playbook (the role name
   * is static) but run as Ansible runs a dynamic include: one result for the include task, its
   * `when` deciding once whether the role runs.
   */
  includeName?: string;
}

/** `include_tasks`: loaded per host when reached (the file name may be templated). */
export interface IncludeNode {
  kind: 'include';
  name: string;
  file: string;
  kw: Record<string, unknown>;
  dir: string;
  role?: RoleRef;
  id: number;
}

export type PlayItem = TaskNode | BlockNode | IncludeNode;

export interface Play {
  name: string;
  hosts: string;
  vars: Record<string, unknown>;
  varsFiles: string[];
  gatherFacts: boolean;
  kw: Record<string, unknown>;
  preTasks: PlayItem[];
  /** Role tasks, each wrapped in a block carrying the role's context. */
  roleTasks: PlayItem[];
  tasks: PlayItem[];
  postTasks: PlayItem[];
  handlers: TaskNode[];
  roleDefaults: Record<string, unknown>;
  roleVars: Record<string, unknown>;
  dir: string;
}

export interface Playbook {
  path: string;
  dir: string;
  plays: Play[];
}
