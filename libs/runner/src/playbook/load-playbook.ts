// Reads a playbook file into the model: plays, roles (tasks, handlers, defaults, vars, meta
// dependencies), static imports expanded, and every module checked before anything runs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml, type SchemaOptions } from 'yaml';
import { PlaybookError, UnsupportedModuleError } from '../errors';
import { canonicalModule, SUPPORTED_MODULES } from '../modules/names';
import { isMapping } from '../template/python';
import { parseFreeForm } from './free-form';
import { TASK_KEYWORDS, type BlockNode, type Play, type PlayItem, type Playbook, type RoleRef, type TaskNode } from './model';

let nextId = 1;

// Playbooks are YAML 1.1 as PyYAML reads them: 0644 is octal and yes/no/on/off are booleans,
// but unlike the YAML 1.1 spec, a lone y/Y/n/N stays a string.
type TagLike = { tag: string; test?: RegExp; [k: string]: unknown };
const YAML_OPTIONS = {
  merge: true,
  version: '1.1' as const,
  customTags: ((tags: TagLike[]) =>
    tags.map((t) => (t.tag === 'tag:yaml.org,2002:bool' && t.test ? { ...t, test: new RegExp(t.test.source.replace('Y|y|', '').replace('N|n|', '')) } : t))) as unknown as SchemaOptions['customTags'],
};

export function readYamlFile(path: string): unknown {
  if (!existsSync(path)) throw new PlaybookError(`file not found: ${path}`);
  try {
    return parseYaml(readFileSync(path, 'utf8'), YAML_OPTIONS);
  } catch (error) {
    throw new PlaybookError(`invalid YAML in ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function findYaml(base: string): string | undefined {
  for (const ext of ['', '.yml', '.yaml']) if (existsSync(base + ext) && (ext !== '' || /\.ya?ml$/.test(base))) return base + ext;
  return undefined;
}

interface LoadContext {
  dir: string;
  file: string;
  role?: RoleRef;
  rolesPath: string[];
  depth: number;
  /** include_tasks files already checked while loading this task list (self-includes, fan-out). */
  checked?: Set<string>;
}

function pickKeywords(raw: Record<string, unknown>, exclude: string[] = []): Record<string, unknown> {
  const kw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (TASK_KEYWORDS.has(k) && !exclude.includes(k)) kw[k] = v;
  for (const [k, v] of Object.entries(raw)) if (k.startsWith('with_')) kw[k] = v;
  return kw;
}

export function parseTaskList(list: unknown, ctx: LoadContext): PlayItem[] {
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) throw new PlaybookError(`${ctx.file}: a task list must be a YAML list`);
  return list.flatMap((raw) => parseItem(raw, ctx));
}

function parseItem(raw: unknown, ctx: LoadContext): PlayItem[] {
  if (!isMapping(raw)) throw new PlaybookError(`${ctx.file}: a task must be a mapping`);
  if ('block' in raw) {
    const block: BlockNode = {
      kind: 'block',
      name: typeof raw.name === 'string' ? raw.name : undefined,
      block: parseTaskList(raw.block, ctx),
      rescue: parseTaskList(raw.rescue, ctx),
      always: parseTaskList(raw.always, ctx),
      kw: pickKeywords(raw, ['block', 'rescue', 'always', 'name']),
      role: ctx.role,
      id: nextId++,
    };
    return [block];
  }
  const moduleKeys = Object.keys(raw).filter((k) => !TASK_KEYWORDS.has(k) && !k.startsWith('with_'));
  const taskName = typeof raw.name === 'string' ? raw.name : undefined;
  if (moduleKeys.length !== 1) {
    const what = moduleKeys.length === 0 ? 'no module' : `several modules or unknown keywords (${moduleKeys.join(', ')})`;
    throw new PlaybookError(`${ctx.file}: task '${taskName ?? '?'}' has ${what}`);
  }
  const written = moduleKeys[0];
  const module = canonicalModule(written);
  if (!SUPPORTED_MODULES.has(module)) throw new UnsupportedModuleError(written, taskName ?? written, ctx.file);
  const value = raw[written];
  let args: Record<string, unknown> =
    typeof value === 'string' ? parseFreeForm(module, value) : isMapping(value) ? { ...value } : value === null || value === undefined ? {} : { _raw_params: value };
  if (isMapping(raw.args)) args = { ...raw.args, ...args };
  const kw = pickKeywords(raw, ['args']);
  if (module === 'import_tasks' || module === 'include_tasks') {
    const file = String(args.file ?? args._raw_params ?? '');
    if (module === 'import_tasks' && !file.includes('{{')) return importTasks(file, kw, ctx);
    if (!file.includes('{{')) checkIncludedModules(file, ctx);
    return [{ kind: 'include', name: taskName ?? written, file, kw, dir: ctx.dir, role: ctx.role, id: nextId++ }];
  }
  if (module === 'import_role' || module === 'include_role') {
    const name = String(args.name ?? '');
    if (!name || name.includes('{{')) throw new PlaybookError(`${ctx.file}: ${module} needs a static role name`);
    const loaded = loadRole(name, isMapping(kw.vars) ? kw.vars : {}, ctx, new Set());
    const include = module === 'include_role' ? { includeName: taskName ?? written } : {};
    return [{ kind: 'block', name: taskName, block: loaded.tasks, rescue: [], always: [], kw, role: loaded.ref, id: nextId++, ...include }];
  }
  const task: TaskNode = { kind: 'task', name: taskName ?? written, module, args, kw, dir: ctx.dir, file: ctx.file, role: ctx.role, id: nextId++ };
  return [task];
}

function importTasks(file: string, kw: Record<string, unknown>, ctx: LoadContext): PlayItem[] {
  if (ctx.depth > 20) throw new PlaybookError(`${ctx.file}: import_tasks nested too deep`);
  const path = resolveTaskFile(file, ctx.dir, ctx.role);
  const items = parseTaskList(readYamlFile(path), { ...ctx, file: path, dir: dirname(path), depth: ctx.depth + 1 });
  // Static import: the import's keywords apply to every imported task, as a block would.
  return [{ kind: 'block', block: items, rescue: [], always: [], kw, role: ctx.role, id: nextId++ }];
}

/**
 * `include_tasks` with a static file name: the file is loaded again when the include runs, but its
 * modules are checked now, so an unsupported one stops the run before any task (as for the
 * playbook's own tasks). Other problems (a missing file, bad YAML) are left to the include at run
 * time, where Ansible reports them too: a `when` may keep the include from ever running.
 */
function checkIncludedModules(file: string, ctx: LoadContext): void {
  const checked = ctx.checked ?? new Set<string>();
  try {
    const path = resolveTaskFile(file, ctx.dir, ctx.role);
    if (checked.has(path)) return;
    checked.add(path);
    parseTaskList(readYamlFile(path), { ...ctx, file: path, dir: dirname(path), depth: ctx.depth + 1, checked });
  } catch (error) {
    if (error instanceof UnsupportedModuleError) throw error;
  }
}

export function resolveTaskFile(file: string, dir: string, role?: RoleRef): string {
  const candidates = isAbsolute(file) ? [file] : [...(role ? [join(role.dir, 'tasks', file)] : []), join(dir, file)];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new PlaybookError(`task file not found: ${file}`);
}

interface LoadedRole {
  ref: RoleRef;
  tasks: PlayItem[];
  handlers: TaskNode[];
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
}

function yamlMap(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  const v = readYamlFile(path);
  return isMapping(v) ? v : {};
}

function flattenTasks(items: PlayItem[]): TaskNode[] {
  return items.flatMap((i) => (i.kind === 'task' ? [i] : i.kind === 'block' ? flattenTasks([...i.block, ...i.rescue, ...i.always]) : []));
}

function loadRole(name: string, params: Record<string, unknown>, ctx: LoadContext, chain: Set<string>): LoadedRole {
  const dirs = [...ctx.rolesPath.map((p) => join(p, name)), join(ctx.dir, 'roles', name), join(ctx.dir, name)];
  const dir = isAbsolute(name) ? name : dirs.find((d) => existsSync(d));
  if (!dir) throw new PlaybookError(`role '${name}' not found (looked in ${dirs.join(', ')})`);
  if (chain.has(dir)) throw new PlaybookError(`role dependency loop through '${name}'`);
  const ref: RoleRef = { name: name.split('/').pop() ?? name, dir, params };
  const rctx: LoadContext = { ...ctx, dir: join(dir, 'tasks'), role: ref };
  const tasksFile = findYaml(join(dir, 'tasks', 'main'));
  const handlersFile = findYaml(join(dir, 'handlers', 'main'));
  const tasks = tasksFile ? parseTaskList(readYamlFile(tasksFile), { ...rctx, file: tasksFile }) : [];
  const handlers = handlersFile ? flattenTasks(parseTaskList(readYamlFile(handlersFile), { ...rctx, dir: join(dir, 'handlers'), file: handlersFile })) : [];
  return { ref, tasks, handlers, defaults: yamlMap(findYaml(join(dir, 'defaults', 'main'))), vars: yamlMap(findYaml(join(dir, 'vars', 'main'))) };
}

function roleDeps(dir: string): unknown[] {
  const meta = yamlMap(findYaml(join(dir, 'meta', 'main')));
  return Array.isArray(meta.dependencies) ? meta.dependencies : [];
}

function roleSpec(entry: unknown): { name: string; params: Record<string, unknown>; kw: Record<string, unknown> } {
  if (typeof entry === 'string') return { name: entry, params: {}, kw: {} };
  if (!isMapping(entry)) throw new PlaybookError('a role entry must be a name or a mapping');
  const name = String(entry.role ?? entry.name ?? '');
  const params: Record<string, unknown> = {};
  const kw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) {
    if (k === 'role' || k === 'name') continue;
    if (['when', 'tags', 'become', 'become_user', 'environment', 'delegate_to', 'ignore_errors'].includes(k)) kw[k] = v;
    else if (k === 'vars' && isMapping(v)) Object.assign(params, v);
    else params[k] = v;
  }
  return { name, params, kw };
}

function expandRoles(entries: unknown[], ctx: LoadContext, play: Play, seen: Set<string>, chain: Set<string>): void {
  for (const entry of entries) {
    const spec = roleSpec(entry);
    const loaded = loadRole(spec.name, spec.params, ctx, chain);
    const key = `${loaded.ref.dir}|${JSON.stringify(spec.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    expandRoles(roleDeps(loaded.ref.dir), { ...ctx, dir: dirname(loaded.ref.dir) }, play, seen, new Set([...chain, loaded.ref.dir]));
    Object.assign(play.roleDefaults, loaded.defaults);
    Object.assign(play.roleVars, loaded.vars);
    play.handlers.push(...loaded.handlers);
    play.roleTasks.push({ kind: 'block', name: undefined, block: loaded.tasks, rescue: [], always: [], kw: { ...spec.kw, vars: spec.params }, role: loaded.ref, id: nextId++ });
  }
}

function parsePlay(raw: unknown, path: string, rolesPath: string[], index: number): Play {
  if (!isMapping(raw)) throw new PlaybookError(`${path}: play ${index + 1} must be a mapping`);
  if (raw.hosts === undefined) throw new PlaybookError(`${path}: play ${index + 1} has no 'hosts'`);
  const dir = dirname(path);
  const ctx: LoadContext = { dir, file: path, rolesPath, depth: 0 };
  const hosts = Array.isArray(raw.hosts) ? raw.hosts.join(',') : String(raw.hosts);
  const play: Play = {
    name: typeof raw.name === 'string' ? raw.name : hosts,
    hosts,
    vars: isMapping(raw.vars) ? raw.vars : {},
    varsFiles: (Array.isArray(raw.vars_files) ? raw.vars_files : raw.vars_files ? [raw.vars_files] : []).map(String),
    gatherFacts: raw.gather_facts === undefined ? true : raw.gather_facts === true || raw.gather_facts === 'yes' || raw.gather_facts === 'true',
    kw: pickKeywords(raw, ['vars', 'name', 'when']),
    preTasks: parseTaskList(raw.pre_tasks, ctx),
    roleTasks: [],
    tasks: parseTaskList(raw.tasks, ctx),
    postTasks: parseTaskList(raw.post_tasks, ctx),
    handlers: flattenTasks(parseTaskList(raw.handlers, ctx)),
    roleDefaults: {},
    roleVars: {},
    dir,
  };
  for (const k of ['serial', 'strategy', 'max_fail_percentage']) if (k in raw) play.kw[k] = raw[k];
  expandRoles(Array.isArray(raw.roles) ? raw.roles : [], ctx, play, new Set(), new Set());
  return play;
}

/** Loads a playbook from a file path, or from parsed YAML (relative paths then resolve from `dir`). */
export function loadPlaybook(source: string | unknown[], options: { dir?: string; rolesPath?: string[] } = {}): Playbook {
  const path = typeof source === 'string' ? resolve(source) : join(options.dir ?? process.cwd(), '<inline>');
  const doc = typeof source === 'string' ? readYamlFile(path) : source;
  if (!Array.isArray(doc)) throw new PlaybookError(`${path}: a playbook must be a YAML list of plays`);
  const rolesPath = (options.rolesPath ?? []).map((p) => resolve(p));
  return { path, dir: dirname(path), plays: parsePlays(doc, path, rolesPath, [path]) };
}

/** Plays of a playbook document, `import_playbook` entries replaced by the plays they name. */
function parsePlays(doc: unknown[], path: string, rolesPath: string[], chain: string[]): Play[] {
  return doc.flatMap((raw, i) => {
    if (!isMapping(raw) || raw.import_playbook === undefined) return [parsePlay(raw, path, rolesPath, i)];
    const name = String(raw.import_playbook);
    if (name.includes('{{')) throw new PlaybookError(`${path}: import_playbook needs a static file name`);
    const file = resolve(dirname(path), name);
    if (chain.includes(file)) throw new PlaybookError(`${path}: import_playbook loop through ${name}`);
    const sub = readYamlFile(file);
    if (!Array.isArray(sub)) throw new PlaybookError(`${file}: a playbook must be a YAML list of plays`);
    const plays = parsePlays(sub, file, rolesPath, [...chain, file]);
    // Variables given to the import reach every imported play, below the play's own.
    const vars = isMapping(raw.vars) ? raw.vars : {};
    const when = raw.when === undefined ? [] : Array.isArray(raw.when) ? raw.when : [raw.when];
    for (const play of plays) {
      play.vars = { ...vars, ...play.vars };
      if (when.length) play.kw.when = [...when, ...(play.kw.when === undefined ? [] : Array.isArray(play.kw.when) ? play.kw.when : [play.kw.when])];
    }
    return plays;
  });
}
