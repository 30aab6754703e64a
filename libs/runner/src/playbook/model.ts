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

/**
 * One role instance of a play (Ansible's ROLE_CACHE entry): the same role listed again with the
 * same parameters, `when`, `tags`, `vars` and `*_from` files is the same instance, which a host
 * runs once unless `allow_duplicates`.
 */
export interface RoleRef {
  name: string;
  dir: string;
  /** Identity of the instance: folder and everything that makes Ansible load it anew. */
  key: string;
  /** Role parameters (`- role: x` with other keys): precedence above set_fact. */
  params: Record<string, unknown>;
  /** `vars:` given where the role is listed: role-vars precedence. */
  entryVars: Record<string, unknown>;
  /** defaults/main (or `defaults_from`) and vars/main (or `vars_from`), untemplated. */
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
  /** Direct `meta/main.yml` dependencies, in order. */
  deps: RoleRef[];
  /** meta `allow_duplicates`, or true for import_role/include_role. */
  allowDuplicates: boolean;
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
  /** `include_role` with `public: true`: the role's defaults and vars reach the play once included. */
  publicRole?: boolean;
  /**
   * Set on the block that is a role's whole run (its dependencies' runs, then its tasks): a host
   * runs it once per role instance unless duplicates are allowed, as Ansible's role_complete.
   */
  roleRun?: RoleRef;
}

/** `include_tasks` (or a dynamic bare `include`): loaded per host when reached (the file name may be templated). */
export interface IncludeNode {
  kind: 'include';
  /** `include_tasks` or `include` (whose other arguments are variables of the included tasks). */
  module: string;
  /** `include: file.yml a=1`: variables for the included tasks. */
  params: Record<string, unknown>;
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
  /** Roles whose defaults and vars every task of the play sees: `roles:` entries and import_role. */
  roles: RoleRef[];
  dir: string;
  /** Loader state kept for files included at run time (role instances, search paths). */
  session: LoadSession;
}

/** What the loader shares across one play, also when include_tasks files load at run time. */
export interface LoadSession {
  rolesPath: string[];
  /** The top playbook's folder (roles/ beside it). */
  playbookDir: string;
  /** Role instances by key (Ansible's ROLE_CACHE). */
  roleCache: Map<string, RoleRef>;
  handlers: TaskNode[];
  playRoles: RoleRef[];
  /** When set, unsupported constructs are recorded here instead of thrown. */
  collect?: Unsupported[];
}

/** A construct of a playbook or role that libs/runner does not run. */
export interface Unsupported {
  /** What it is: `module community.docker.docker_container`, `keyword async`, `lookup pipe`, ... */
  construct: string;
  file: string;
  task?: string;
  role?: string;
  /**
   * True when it sits in a file reached only through an include with a templated name (for
   * example `include: "{{ ansible_os_family }}.yml"`): it runs only if the name resolves to it.
   */
  conditional: boolean;
}

export interface Playbook {
  path: string;
  dir: string;
  plays: Play[];
}
