// Which executor runs an operation: our runner, or ansible-playbook where the playbook or its
// roles use something our runner does not support. Decided once per operation, at plan time,
// with the reason logged ("runs with ansible-playbook: apt_key in role indigo-dc.docker").
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadPlaybook, UnsupportedModuleError } from '@lib/runner';
import { parse as parseYaml } from 'yaml';

export type Executor = 'runner' | 'ansible-playbook';
/** BATON_ANSIBLE_EXECUTOR: `auto` chooses per operation; the others force one for all. */
export type ExecutorSetting = 'auto' | Executor;

export interface ExecutorChoice {
  executor: Executor;
  reason: string;
}

/** Play and task keywords our runner does not implement (libs/runner/README.md, Not supported). */
const UNSUPPORTED_KEYWORDS = ['async', 'poll', 'strategy', 'serial', 'throttle', 'max_fail_percentage', 'any_errors_fatal', 'delegate_facts', 'ignore_unreachable', 'vars_prompt'];

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) out.push(path);
    }
  };
  walk(dir);
  return out;
}

function keywordIn(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = keywordIn(v);
      if (found) return found;
    }
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const map = value as Record<string, unknown>;
  // A task or play mapping: one of its keys is the keyword (module arguments are not scanned).
  const looksLikeTask = 'name' in map || 'hosts' in map || 'block' in map || Object.keys(map).some((k) => UNSUPPORTED_KEYWORDS.includes(k));
  if (looksLikeTask) {
    const key = Object.keys(map).find((k) => UNSUPPORTED_KEYWORDS.includes(k) && map[k] !== undefined && map[k] !== null);
    if (key && !(key === 'strategy' && map[key] === 'linear') && !(key === 'poll' && !('async' in map))) return key === 'strategy' ? `strategy ${String(map[key])}` : key;
  }
  for (const k of ['tasks', 'pre_tasks', 'post_tasks', 'handlers', 'block', 'rescue', 'always']) {
    const found = keywordIn(map[k]);
    if (found) return found;
  }
  return undefined;
}

/** The first construct of the playbook (and of the roles in `rolesDir`) our runner cannot run, or undefined. */
export function unsupportedConstruct(playbookPath: string, dirs: { playbookDir: string; rolesDir: string }): string | undefined {
  for (const [root, label] of [
    [dirs.playbookDir, 'playbook'],
    [dirs.rolesDir, 'role'],
  ] as const) {
    let files: string[] = [];
    try {
      files = yamlFiles(root);
    } catch {
      continue;
    }
    for (const file of files) {
      let doc: unknown;
      try {
        doc = parseYaml(readFileSync(file, 'utf8'), { version: '1.1', uniqueKeys: false });
      } catch {
        continue;
      }
      const found = keywordIn(doc);
      if (found) return `${found} in ${label === 'role' ? `role ${relative(root, file).split('/')[0]}` : relative(root, file)}`;
    }
  }
  try {
    loadPlaybook(playbookPath, { rolesPath: [dirs.rolesDir] });
  } catch (error) {
    if (error instanceof UnsupportedModuleError) {
      const role = /roles\/([^/]+)\//.exec(relative(dirs.rolesDir, error.file).startsWith('..') ? '' : `roles/${relative(dirs.rolesDir, error.file)}`)?.[1];
      return `${error.module} in ${role ? `role ${role}` : `task "${error.task}"`}`;
    }
    // What our loader refuses beyond modules (a keyword form it does not read): Ansible decides.
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
  return undefined;
}

export function chooseExecutor(setting: ExecutorSetting, playbookPath: string, dirs: { playbookDir: string; rolesDir: string }): ExecutorChoice {
  if (setting !== 'auto') return { executor: setting, reason: `BATON_ANSIBLE_EXECUTOR=${setting}` };
  const construct = unsupportedConstruct(playbookPath, dirs);
  return construct ? { executor: 'ansible-playbook', reason: construct } : { executor: 'runner', reason: 'every module and keyword is supported' };
}
