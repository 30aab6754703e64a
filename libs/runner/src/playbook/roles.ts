// Roles as ansible-core 2.14 loads them (playbook/role/__init__.py, role/definition.py):
// found beside the playbook, in the roles path or beside the role that depends on them; one
// instance per name, parameters, when, tags, vars and *_from files (ROLE_CACHE); a role's run is
// its meta dependencies' runs, then its own tasks; its handlers join the play's once.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { PlaybookError } from '../errors';
import { isMapping } from '../template/python';
import { flattenTasks, newId, parseTaskList, readYamlFile, type LoadContext } from './load-playbook';
import { TASK_KEYWORDS, type BlockNode, type PlayItem, type RoleRef } from './model';

export interface RoleSpec {
  name: string;
  params: Record<string, unknown>;
  entryVars: Record<string, unknown>;
  /** Keywords given where the role is listed (when, tags, become, ...): they apply to its run. */
  kw: Record<string, unknown>;
  /** tasks_from, vars_from, defaults_from, handlers_from (without the `_from`). */
  from: Record<string, string>;
  /** import_role / include_role rather than `roles:` or a dependency. */
  include: boolean;
  allowDuplicates?: boolean;
}

function findYaml(base: string): string | undefined {
  for (const ext of ['', '.yml', '.yaml', '.json']) if (existsSync(base + ext) && (ext !== '' || /\.(ya?ml|json)$/.test(base))) return base + ext;
  return undefined;
}

function yamlMap(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  const v = readYamlFile(path);
  return isMapping(v) ? v : {};
}

function fromFile(dir: string, sub: string, name: string | undefined): string | undefined {
  const path = findYaml(join(dir, sub, name ?? 'main'));
  if (name !== undefined && !path) throw new PlaybookError(`role '${dir}': could not find specified file in role: ${sub}/${name}`);
  return path;
}

/** A `roles:` or `dependencies:` entry: a name, or a mapping of keywords, `vars` and parameters. */
export function roleSpec(entry: unknown, where: string): RoleSpec {
  if (typeof entry === 'string') return { name: entry, params: {}, entryVars: {}, kw: {}, from: {}, include: false };
  if (!isMapping(entry)) throw new PlaybookError(`${where}: a role entry must be a name or a mapping`);
  const name = String(entry.role ?? entry.name ?? '');
  if (!name) throw new PlaybookError(`${where}: role definitions must contain a role name`);
  const spec: RoleSpec = { name, params: {}, entryVars: {}, kw: {}, from: {}, include: false };
  for (const [k, v] of Object.entries(entry)) {
    if (k === 'role' || k === 'name') continue;
    if (k === 'vars') spec.entryVars = isMapping(v) ? v : {};
    else if (TASK_KEYWORDS.has(k)) spec.kw[k] = v;
    else spec.params[k] = v;
  }
  return spec;
}

function roleDir(name: string, ctx: LoadContext, parent: RoleRef | undefined): string {
  if (isAbsolute(name)) {
    if (existsSync(name)) return name;
    throw new PlaybookError(`the role '${name}' was not found`);
  }
  // role/definition.py _load_role_path: the playbook's roles/, the roles path, the depending
  // role's folder (for dependencies), then the playbook folder itself.
  const base = ctx.session.playbookDir;
  const dirs = [join(base, 'roles', name), ...ctx.session.rolesPath.map((p) => join(p, name)), ...(parent ? [join(dirname(parent.dir), name)] : []), join(base, name)];
  const found = dirs.find((d) => existsSync(d));
  if (!found) throw new PlaybookError(`the role '${name}' was not found in ${dirs.map((d) => dirname(d)).join(':')}`);
  return found;
}

interface Loaded {
  ref: RoleRef;
  tasks: PlayItem[];
}

const loaded = new WeakMap<RoleRef, Loaded>();

function loadRole(spec: RoleSpec, ctx: LoadContext, parents: RoleRef[]): Loaded {
  const parent = parents[parents.length - 1];
  const dir = roleDir(spec.name, ctx, parent);
  if (parents.some((p) => p.dir === dir)) throw new PlaybookError(`a recursion loop was detected with the roles specified (through '${spec.name}')`);
  const key = `${dir}|${JSON.stringify({ p: spec.params, w: spec.kw.when, t: spec.kw.tags, f: spec.from, v: spec.entryVars })}`;
  const cached = ctx.session.roleCache.get(key);
  if (cached) return loaded.get(cached)!;
  const meta = yamlMap(findYaml(join(dir, 'meta', 'main')));
  const ref: RoleRef = {
    name: isAbsolute(spec.name) || spec.name.includes('/') ? (spec.name.split('/').filter(Boolean).pop() ?? spec.name) : spec.name,
    dir,
    key,
    params: spec.params,
    entryVars: spec.entryVars,
    defaults: yamlMap(fromFile(dir, 'defaults', spec.from.defaults)),
    vars: yamlMap(fromFile(dir, 'vars', spec.from.vars)),
    deps: [],
    allowDuplicates: meta.allow_duplicates === true || meta.allow_duplicates === 'yes',
  };
  ctx.session.roleCache.set(key, ref);
  const rctx: LoadContext = { ...ctx, dir: join(dir, 'tasks'), role: ref, checked: undefined };
  const deps = Array.isArray(meta.dependencies) ? meta.dependencies : [];
  const depRuns = deps.map((d) => roleRun(roleSpec(d, join(dir, 'meta', 'main.yml')), ctx, [...parents, ref]));
  ref.deps = depRuns.map((b) => b.roleRun!);
  const tasksFile = fromFile(dir, 'tasks', spec.from.tasks);
  const tasks = tasksFile ? parseTaskList(readYamlFile(tasksFile), { ...rctx, file: tasksFile }) : [];
  const handlersFile = fromFile(dir, 'handlers', spec.from.handlers);
  if (handlersFile) ctx.session.handlers.push(...flattenTasks(parseTaskList(readYamlFile(handlersFile), { ...rctx, dir: join(dir, 'handlers'), file: handlersFile })));
  const result = { ref, tasks: [...depRuns, ...tasks] };
  loaded.set(ref, result);
  return result;
}

function roleRun(spec: RoleSpec, ctx: LoadContext, parents: RoleRef[]): BlockNode {
  const { ref, tasks } = loadRole(spec, ctx, parents);
  // import_role/include_role default to allow_duplicates (IncludeRole.allow_duplicates).
  const run = spec.include ? { ...ref, allowDuplicates: spec.allowDuplicates ?? true } : ref;
  // An include's keywords sit on the include task around this block (they key the instance only).
  return { kind: 'block', block: tasks, rescue: [], always: [], kw: spec.include ? {} : spec.kw, role: ref, roleRun: run, id: newId() };
}

/**
 * The run of one role listed by import_role/include_role (`parents`: the role whose tasks list
 * it, for the search path and loop detection).
 */
export function loadRoleRun(spec: RoleSpec, ctx: LoadContext, parents: RoleRef[]): BlockNode {
  return roleRun(spec, ctx, parents);
}

/** The play's `roles:`: one run block each, in order; every one becomes a play role. */
export function expandRoles(entries: unknown[], ctx: LoadContext): PlayItem[] {
  return entries.map((entry) => {
    const run = roleRun(roleSpec(entry, ctx.file), { ...ctx, dynamic: false }, []);
    if (!ctx.session.playRoles.some((r) => r.key === run.roleRun!.key)) ctx.session.playRoles.push(run.roleRun!);
    return run;
  });
}
