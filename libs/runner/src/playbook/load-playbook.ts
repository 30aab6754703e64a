// Reads a playbook file into the model: plays, roles (roles.ts), static imports expanded, and
// every module checked before anything runs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml, type SchemaOptions } from 'yaml';
import { PlaybookError, UnsupportedModuleError } from '../errors';
import { canonicalModule, SUPPORTED_MODULES } from '../modules/names';
import { isMapping } from '../template/python';
import { parseFreeForm } from './free-form';
import { TASK_KEYWORDS, type LoadSession, type Play, type PlayItem, type Playbook, type RoleRef, type TaskNode } from './model';
import { checkKeywords, noteUnsupported } from './note-unsupported';
import { expandRoles, loadRoleRun } from './roles';

let nextId = 1;

/** A fresh id for a model node (unique within the process; keys run_once results). */
export function newId(): number {
  return nextId++;
}

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

export interface LoadContext {
  dir: string;
  file: string;
  role?: RoleRef;
  session: LoadSession;
  depth: number;
  /** include_tasks files already checked while loading this task list (self-includes, fan-out). */
  checked?: Set<string>;
  /**
   * Below something dynamic (an include_tasks file, an include_role): Ansible then runs a bare
   * `include` dynamically too (TaskInclude.all_parents_static).
   */
  dynamic: boolean;
  /** Reached only through an include with a templated file name (collect mode). */
  conditional?: boolean;
}

export function pickKeywords(raw: Record<string, unknown>, exclude: string[] = []): Record<string, unknown> {
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
    checkKeywords(raw, ctx, typeof raw.name === 'string' ? raw.name : 'block');
    return [
      {
        kind: 'block',
        name: typeof raw.name === 'string' ? raw.name : undefined,
        block: parseTaskList(raw.block, ctx),
        rescue: parseTaskList(raw.rescue, ctx),
        always: parseTaskList(raw.always, ctx),
        kw: pickKeywords(raw, ['block', 'rescue', 'always', 'name']),
        role: ctx.role,
        id: nextId++,
      },
    ];
  }
  const moduleKeys = Object.keys(raw).filter((k) => !TASK_KEYWORDS.has(k) && !k.startsWith('with_'));
  const taskName = typeof raw.name === 'string' ? raw.name : undefined;
  if (moduleKeys.length !== 1) {
    const what = moduleKeys.length === 0 ? 'no module' : `several modules or unknown keywords (${moduleKeys.join(', ')})`;
    throw new PlaybookError(`${ctx.file}: task '${taskName ?? '?'}' has ${what}`);
  }
  const written = moduleKeys[0];
  const module = canonicalModule(written);
  checkKeywords(raw, ctx, taskName ?? written);
  if (!SUPPORTED_MODULES.has(module)) {
    if (!ctx.session.collect) throw new UnsupportedModuleError(written, taskName ?? written, ctx.file);
    noteUnsupported(ctx, `module ${written}`, taskName ?? written);
  }
  const value = raw[written];
  let args: Record<string, unknown> =
    typeof value === 'string' ? parseFreeForm(module, value) : isMapping(value) ? { ...value } : value === null || value === undefined ? {} : { _raw_params: value };
  if (isMapping(raw.args)) args = { ...raw.args, ...args };
  const kw = pickKeywords(raw, ['args']);
  if (module === 'import_tasks' || module === 'include_tasks' || module === 'include') return taskInclude(module, taskName ?? written, args, kw, ctx);
  if (module === 'import_role' || module === 'include_role') return roleInclude(module, taskName ?? written, args, kw, ctx);
  const task: TaskNode = { kind: 'task', name: taskName ?? written, module, args, kw, dir: ctx.dir, file: ctx.file, role: ctx.role, id: nextId++ };
  return [task];
}

/**
 * import_tasks (static), include_tasks (dynamic) and the bare `include` of ansible-core 2.14:
 * static unless its file name is templated, it loops, or it sits below a dynamic include
 * (helpers.load_list_of_tasks); its other arguments (`include: x.yml a=1`) are variables.
 */
function taskInclude(module: string, name: string, args: Record<string, unknown>, kw: Record<string, unknown>, ctx: LoadContext): PlayItem[] {
  const file = String(args.file ?? args._raw_params ?? '');
  if (!file) throw new PlaybookError(`${ctx.file}: no file specified for ${module}`);
  const params: Record<string, unknown> = {};
  if (module === 'include') for (const [k, v] of Object.entries(args)) if (k !== 'file' && k !== '_raw_params') params[k] = v;
  if (isMapping(args.apply)) noteUnsupported(ctx, `${module} apply`, name);
  const loops = kw.loop !== undefined || Object.keys(kw).some((k) => k.startsWith('with_'));
  const templated = file.includes('{{') || file.includes('{%');
  const isStatic = module === 'import_tasks' || (module === 'include' && !templated && !loops && !ctx.dynamic);
  if (isStatic) {
    if (loops) throw new PlaybookError(`${ctx.file}: You cannot use loops on 'import_tasks' statements. You should use 'include_tasks' instead.`);
    if (templated) throw new PlaybookError(`${ctx.file}: ${module} needs a static file name (or use include_tasks)`);
    const vars = Object.keys(params).length ? { ...(isMapping(kw.vars) ? kw.vars : {}), ...params } : kw.vars;
    return importTasks(file, { ...kw, ...(vars === undefined ? {} : { vars }) }, ctx);
  }
  if (!templated) checkIncludedModules(file, ctx);
  else if (ctx.session.collect) checkTemplatedInclude(file, ctx);
  return [{ kind: 'include', module, params, name, file, kw, dir: ctx.dir, role: ctx.role, id: nextId++ }];
}

function roleInclude(module: string, name: string, args: Record<string, unknown>, kw: Record<string, unknown>, ctx: LoadContext): PlayItem[] {
  const roleName = String(args.name ?? args.role ?? '');
  if (!roleName || roleName.includes('{{')) {
    if (!ctx.session.collect) throw new PlaybookError(`${ctx.file}: ${module} needs a static role name`);
    noteUnsupported(ctx, `${module} with a templated role name`, name);
    return [];
  }
  if (isMapping(args.apply)) noteUnsupported(ctx, `${module} apply`, name);
  const run = loadRoleRun(
    { name: roleName, params: {}, entryVars: isMapping(kw.vars) ? kw.vars : {}, kw: { when: kw.when, tags: kw.tags }, from: fromFiles(args), include: true, allowDuplicates: args.allow_duplicates === undefined ? true : isTrue(args.allow_duplicates) },
    // Measured on 2.14: a bare include in a role run by include_role stays static.
    ctx,
    ctx.role ? [ctx.role] : [],
  );
  if (module === 'import_role') {
    if (!ctx.session.playRoles.includes(run.roleRun!)) ctx.session.playRoles.push(run.roleRun!);
    return [{ ...run, kw }];
  }
  return [{ kind: 'block', name, block: [run], rescue: [], always: [], kw, role: ctx.role, id: nextId++, includeName: name, publicRole: isTrue(args.public) }];
}

function isTrue(v: unknown): boolean {
  return v === true || (typeof v === 'string' && ['yes', 'true', 'on', '1'].includes(v.toLowerCase()));
}

function fromFiles(args: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['tasks', 'vars', 'defaults', 'handlers']) if (args[`${k}_from`] !== undefined) out[k] = String(args[`${k}_from`]);
  return out;
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
function checkIncludedModules(file: string, ctx: LoadContext, conditional = ctx.conditional): void {
  const checked = ctx.checked ?? new Set<string>();
  try {
    const path = resolveTaskFile(file, ctx.dir, ctx.role);
    if (checked.has(path)) return;
    checked.add(path);
    parseTaskList(readYamlFile(path), { ...ctx, file: path, dir: dirname(path), depth: ctx.depth + 1, checked, dynamic: true, conditional });
  } catch (error) {
    if (error instanceof UnsupportedModuleError) throw error;
  }
}

/** Collect mode: a templated include name may be any task file its fixed parts match. */
function checkTemplatedInclude(file: string, ctx: LoadContext): void {
  const pattern = new RegExp(`^${file.split(/\{\{.*?\}\}|\{%.*?%\}/s).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  const dirs = [...(ctx.role ? [join(ctx.role.dir, 'tasks')] : []), ctx.dir];
  for (const d of new Set(dirs)) {
    if (!existsSync(d)) continue;
    for (const f of readdirNames(d)) if (pattern.test(f) && /\.ya?ml$/.test(f) && join(d, f) !== ctx.file) checkIncludedModules(join(d, f), ctx, true);
  }
}

function readdirNames(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

export function resolveTaskFile(file: string, dir: string, role?: RoleRef): string {
  const candidates = isAbsolute(file) ? [file] : [...(role ? [join(role.dir, 'tasks', file)] : []), join(dir, file)];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new PlaybookError(`task file not found: ${file}`);
}

export function flattenTasks(items: PlayItem[]): TaskNode[] {
  return items.flatMap((i) => (i.kind === 'task' ? [i] : i.kind === 'block' ? flattenTasks([...i.block, ...i.rescue, ...i.always]) : []));
}

const PLAY_UNSUPPORTED = ['serial', 'max_fail_percentage', 'any_errors_fatal', 'throttle', 'vars_prompt', 'order'];

function parsePlay(raw: unknown, path: string, session: Omit<LoadSession, 'roleCache' | 'handlers' | 'playRoles'>, index: number): Play {
  if (!isMapping(raw)) throw new PlaybookError(`${path}: play ${index + 1} must be a mapping`);
  // ansible-core 2.14 accepts only import_playbook between plays.
  if ('include' in raw) throw new PlaybookError(`${path}: play ${index + 1}: 'include' is not a valid attribute for a Play (use import_playbook)`);
  if (raw.hosts === undefined) throw new PlaybookError(`${path}: play ${index + 1} has no 'hosts'`);
  const dir = dirname(path);
  const play: Play = {
    name: typeof raw.name === 'string' ? raw.name : Array.isArray(raw.hosts) ? raw.hosts.join(',') : String(raw.hosts),
    hosts: Array.isArray(raw.hosts) ? raw.hosts.join(',') : String(raw.hosts),
    vars: isMapping(raw.vars) ? raw.vars : {},
    varsFiles: (Array.isArray(raw.vars_files) ? raw.vars_files : raw.vars_files ? [raw.vars_files] : []).map(String),
    gatherFacts: raw.gather_facts === undefined ? true : raw.gather_facts === true || raw.gather_facts === 'yes' || raw.gather_facts === 'true',
    kw: pickKeywords(raw, ['vars', 'name', 'when']),
    preTasks: [],
    roleTasks: [],
    tasks: [],
    postTasks: [],
    handlers: [],
    roles: [],
    dir,
    session: { ...session, roleCache: new Map(), handlers: [], playRoles: [] },
  };
  play.session.handlers = play.handlers;
  play.session.playRoles = play.roles;
  const ctx: LoadContext = { dir, file: path, session: play.session, depth: 0, dynamic: false };
  for (const k of ['serial', 'strategy', 'max_fail_percentage']) if (k in raw) play.kw[k] = raw[k];
  for (const k of PLAY_UNSUPPORTED) if (raw[k] !== undefined && raw[k] !== null && raw[k] !== false) noteUnsupported(ctx, `play keyword ${k}`, undefined);
  if (raw.strategy !== undefined && raw.strategy !== 'linear') noteUnsupported(ctx, `strategy ${String(raw.strategy)}`, undefined);
  // Ansible loads roles first (attribute priority), then handlers and the task lists; the
  // handlers list is the roles' handlers, the play's own, then those of import_role tasks.
  const own = flattenTasks(parseTaskList(raw.handlers, ctx));
  play.roleTasks = expandRoles(Array.isArray(raw.roles) ? raw.roles : [], ctx);
  play.handlers.push(...own);
  play.preTasks = parseTaskList(raw.pre_tasks, ctx);
  play.postTasks = parseTaskList(raw.post_tasks, ctx);
  play.tasks = parseTaskList(raw.tasks, ctx);
  return play;
}

export interface LoadOptions {
  dir?: string;
  rolesPath?: string[];
}

/** Loads a playbook from a file path, or from parsed YAML (relative paths then resolve from `dir`). */
export function loadPlaybook(source: string | unknown[], options: LoadOptions = {}): Playbook {
  return load(source, options);
}

export function load(source: string | unknown[], options: LoadOptions, collect?: LoadSession['collect']): Playbook {
  const path = typeof source === 'string' ? resolve(source) : join(options.dir ?? process.cwd(), '<inline>');
  const doc = typeof source === 'string' ? readYamlFile(path) : source;
  if (!Array.isArray(doc)) throw new PlaybookError(`${path}: a playbook must be a YAML list of plays`);
  const rolesPath = (options.rolesPath ?? []).map((p) => resolve(p));
  return { path, dir: dirname(path), plays: parsePlays(doc, path, { rolesPath, playbookDir: dirname(path), collect }, [path]) };
}

/** Plays of a playbook document, `import_playbook` entries replaced by the plays they name. */
function parsePlays(doc: unknown[], path: string, session: Omit<LoadSession, 'roleCache' | 'handlers' | 'playRoles'>, chain: string[]): Play[] {
  return doc.flatMap((raw, i) => {
    if (!isMapping(raw) || raw.import_playbook === undefined) return [parsePlay(raw, path, session, i)];
    const name = String(raw.import_playbook);
    if (name.includes('{{')) throw new PlaybookError(`${path}: import_playbook needs a static file name`);
    const file = resolve(dirname(path), name);
    if (chain.includes(file)) throw new PlaybookError(`${path}: import_playbook loop through ${name}`);
    const sub = readYamlFile(file);
    if (!Array.isArray(sub)) throw new PlaybookError(`${file}: a playbook must be a YAML list of plays`);
    const plays = parsePlays(sub, file, session, [...chain, file]);
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
