// The files a playbook names, read from its YAML without running it: what must travel with a
// remote playbook (vars_files, include/import files, template and copy sources, with_first_found
// candidates) and the roles it names (roles:, include_role, import_role). Pure: no I/O.
// Paths with Jinja2 (`{{ }}`) cannot be known before the run and are left out; the run reports
// them missing, as Ansible would.
import { parse as parseYaml } from 'yaml';

export type RefKind = 'playbook' | 'tasks' | 'vars' | 'template' | 'copy' | 'first_found';

export interface FileRef {
  kind: RefKind;
  /** As written, relative to the naming file's folder. */
  path: string;
  /** Paths to try in order (templates/X then X, ...); the first that exists is the one. */
  candidates: string[];
  /** A with_first_found candidate may be absent; every other reference must exist. */
  optional: boolean;
}

export interface PlaybookRefs {
  files: FileRef[];
  roles: string[];
}

const TASK_SECTIONS = ['pre_tasks', 'tasks', 'post_tasks', 'handlers'];
const TASK_INCLUDES = new Set(['include', 'include_tasks', 'import_tasks']);
const ROLE_INCLUDES = new Set(['include_role', 'import_role']);

function short(module: string): string {
  return module.replace(/^ansible\.(builtin|legacy)\./, '');
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function literal(path: unknown): path is string {
  return typeof path === 'string' && path.trim() !== '' && !path.includes('{{') && !path.includes('{%');
}

/** `key=value` pairs of a free-form argument string, and the part before them. */
function freeForm(text: string): { head: string; args: Record<string, string> } {
  const args: Record<string, string> = {};
  const head: string[] = [];
  for (const word of text.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []) {
    const eq = word.indexOf('=');
    if (eq > 0 && /^\w+$/.test(word.slice(0, eq))) args[word.slice(0, eq)] = word.slice(eq + 1).replace(/^["']|["']$/g, '');
    else head.push(word);
  }
  return { head: head.join(' '), args };
}

function argsOf(value: unknown): { head: string; args: Record<string, unknown> } {
  if (typeof value === 'string') return freeForm(value);
  if (isMap(value)) return { head: '', args: value };
  return { head: '', args: {} };
}

/** The task's module name (the one key that is not a task keyword we know of). */
function moduleOf(task: Record<string, unknown>): string | undefined {
  for (const key of Object.keys(task)) {
    if (['name', 'when', 'vars', 'args', 'tags', 'register', 'loop', 'loop_control', 'notify', 'become', 'become_user', 'ignore_errors', 'changed_when', 'failed_when', 'delegate_to', 'run_once', 'environment', 'no_log', 'until', 'retries', 'delay', 'listen', 'check_mode', 'timeout', 'local_action', 'action', 'with_items'].includes(key)) continue;
    if (key.startsWith('with_')) continue;
    return key;
  }
  return undefined;
}

function scanTasks(list: unknown, out: PlaybookRefs): void {
  if (!Array.isArray(list)) return;
  for (const task of list) {
    if (!isMap(task)) continue;
    for (const section of ['block', 'rescue', 'always']) scanTasks(task[section], out);
    if (task.block) continue;
    const module = moduleOf(task);
    if (!module) continue;
    const name = short(module);
    const { head, args } = argsOf(task[module]);
    const merged = { ...(isMap(task.args) ? task.args : {}), ...args };
    if (TASK_INCLUDES.has(name)) {
      const file = head || merged.file;
      if (literal(file)) out.files.push({ kind: 'tasks', path: file, candidates: [file, `tasks/${file}`], optional: false });
    } else if (ROLE_INCLUDES.has(name)) {
      if (literal(merged.name)) out.roles.push(merged.name);
    } else if (name === 'include_vars') {
      const file = head || merged.file;
      if (literal(file)) out.files.push({ kind: 'vars', path: file, candidates: [file, `vars/${file}`], optional: false });
    } else if (name === 'template' || name === 'copy') {
      const src = merged.src;
      const sub = name === 'template' ? 'templates' : 'files';
      if (literal(src) && !(name === 'copy' && merged.remote_src === true)) out.files.push({ kind: name, path: src, candidates: [`${sub}/${src}`, src], optional: false });
    }
    const found = task.with_first_found;
    const candidates = Array.isArray(found) ? found : isMap(found) && Array.isArray(found.files) ? found.files : [];
    for (const c of candidates) {
      if (literal(c)) out.files.push({ kind: 'first_found', path: c, candidates: [`templates/${c}`, `files/${c}`, `vars/${c}`, c], optional: true });
    }
  }
}

/** The references of a playbook or task file's YAML text. */
export function playbookRefs(text: string): PlaybookRefs {
  const out: PlaybookRefs = { files: [], roles: [] };
  const doc: unknown = parseYaml(text, { version: '1.1', uniqueKeys: false });
  if (!Array.isArray(doc)) return out;
  const isPlaybook = doc.some((item) => isMap(item) && ('hosts' in item || 'import_playbook' in item || 'roles' in item || TASK_SECTIONS.some((s) => s in item && !('block' in item))));
  if (!isPlaybook) {
    scanTasks(doc, out);
    return out;
  }
  for (const play of doc) {
    if (!isMap(play)) continue;
    const imported = play.import_playbook ?? play.include;
    if (literal(imported)) out.files.push({ kind: 'playbook', path: imported, candidates: [imported], optional: false });
    const varsFiles = Array.isArray(play.vars_files) ? play.vars_files : [];
    for (const v of varsFiles.flat()) if (literal(v)) out.files.push({ kind: 'vars', path: v, candidates: [v], optional: Array.isArray(play.vars_files) && varsFiles.some((x) => Array.isArray(x) && x.includes(v)) });
    if (Array.isArray(play.roles)) {
      for (const r of play.roles) {
        const name = typeof r === 'string' ? r : isMap(r) ? (r.role ?? r.name) : undefined;
        if (literal(name)) out.roles.push(name);
      }
    }
    for (const section of TASK_SECTIONS) scanTasks(play[section], out);
  }
  return out;
}
