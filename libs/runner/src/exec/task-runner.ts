// Runs one task on one host: conditions, loops, retries/until, module call, changed_when /
// failed_when, register, notify, recap counters and events.
import { join } from 'node:path';
import { RunnerError, SshError, TemplateError } from '../errors';
import { LOCAL_MODULES, MODULES } from '../modules/registry';
import { bool, type ModuleContext, type ModuleResult } from '../modules/types';
import type { TaskNode } from '../playbook/model';
import type { CommandTarget } from '../ssh/target';
import { isMapping } from '../template/python';
import { findInSearchPath, firstFound } from '../template/first-found';
import { OMIT, type Scope } from '../template/templater';
import { unsafe, unsafeLayer } from '../template/unsafe';
import { isLocalName } from '../confine/localhost';
import { redact, type TaskStatus } from './events';
import type { HostState } from './host-state';
import { tagList, type Inherited, type PlayContext } from './run-context';
import { buildTaskVars } from './task-vars';

const CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

function stripOmit(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== OMIT).map(stripOmit);
  if (isMapping(v)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== OMIT).map(([k, x]) => [k, stripOmit(x)]));
  return v;
}

/** Whether tags select this task (`always` runs unless skipped by name, `never` only when asked). */
export function tagsSelect(taskTags: string[], only: string[], skip: string[]): boolean {
  const tags = new Set(taskTags);
  if (skip.some((t) => tags.has(t) || (t === 'tagged' && tags.size > 0) || (t === 'untagged' && tags.size === 0))) return false;
  if (tags.has('always')) return true;
  if (only.length === 0 || only.includes('all')) return !tags.has('never');
  if (only.includes('tagged') && tags.size > 0) return true;
  if (only.includes('untagged') && tags.size === 0) return true;
  return only.some((t) => tags.has(t));
}

export function statusOf(r: ModuleResult): TaskStatus {
  if (r.unreachable) return 'unreachable';
  if (r.failed) return 'failed';
  if (r.skipped) return 'skipped';
  return r.changed ? 'changed' : 'ok';
}

function lenientTemplate(v: unknown, template: (x: unknown) => unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => lenientTemplate(x, template));
  if (isMapping(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lenientTemplate(x, template)]));
  try {
    return template(v);
  } catch {
    return v;
  }
}

function loopItems(pc: PlayContext, task: TaskNode, scope: Scope): unknown[] | undefined {
  const kw = task.kw;
  const t = pc.run.templater;
  if (kw.loop !== undefined) {
    const v = t.template(kw.loop, scope);
    if (!Array.isArray(v)) throw new RunnerError('playbook_invalid', `Invalid data passed to 'loop', it requires a list, got this instead: ${String(v)}`);
    return v;
  }
  for (const key of Object.keys(kw).filter((k) => k.startsWith('with_'))) {
    // first_found terms are templated leniently (an undefined name is passed over, not an error).
    const v = key === 'with_first_found' ? lenientTemplate(kw[key], (x) => t.template(x, scope)) : t.template(kw[key], scope);
    switch (key) {
      case 'with_items':
        return (Array.isArray(v) ? v : [v]).flatMap((x) => (Array.isArray(x) ? x : [x]));
      case 'with_list':
        return Array.isArray(v) ? v : [v];
      case 'with_dict':
        return Object.entries(isMapping(v) ? v : {}).map(([key2, value]) => ({ key: key2, value }));
      case 'with_indexed_items':
        return (Array.isArray(v) ? v : []).map((x, i) => [i, x]);
      case 'with_together': {
        const lists = (Array.isArray(v) ? v : []) as unknown[][];
        const n = Math.max(0, ...lists.map((l) => l.length));
        return Array.from({ length: n }, (_, i) => lists.map((l) => l[i] ?? null));
      }
      case 'with_nested': {
        const lists = (Array.isArray(v) ? v : []) as unknown[][];
        return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]);
      }
      case 'with_first_found': {
        // TaskExecutor gives the lookup a subdir after the action: templates, vars or files.
        const subdir = task.module.includes('template') ? 'templates' : task.module.includes('var') ? 'vars' : 'files';
        const paths = (scope.get('ansible_search_path') as string[] | undefined) ?? [task.dir];
        const terms = Array.isArray(v) ? v : [v];
        return firstFound(terms, {}, (name) => findInSearchPath(paths, pc.run.playbookDir, subdir, name), (name) => {
          try {
            return String(t.template(name, scope));
          } catch {
            return undefined;
          }
        });
      }
      case 'with_sequence': {
        const m = /start=(\d+)\s+end=(\d+)(?:\s+stride=(\d+))?|^(\d+)-(\d+)$|count=(\d+)/.exec(String(v));
        if (!m) throw new RunnerError('playbook_invalid', `with_sequence: cannot parse '${String(v)}'`);
        const start = Number(m[1] ?? m[4] ?? 1);
        const end = Number(m[2] ?? m[5] ?? m[6]);
        const stride = Number(m[3] ?? 1);
        const out: string[] = [];
        for (let i = start; i <= end; i += stride) out.push(String(i));
        return out;
      }
      default: {
        // with_<lookup> is the lookup's list (with_file, with_fileglob, ...), read as lookups are.
        const plugin = key.slice('with_'.length);
        if (t.hasLookup(plugin)) return t.lookupPlugin(plugin, Array.isArray(v) ? v : [v]);
        throw new RunnerError('playbook_invalid', `loop keyword '${key}' is not supported in task '${task.name}'`);
      }
    }
  }
  return undefined;
}

export interface TaskRunOptions {
  handler?: boolean;
}

export class TaskRunner {
  /** The runner error behind each failed result, for the task_end event (results are plain data). */
  private readonly errors = new WeakMap<ModuleResult, RunnerError>();

  constructor(private readonly pc: PlayContext) {}

  private get run() {
    return this.pc.run;
  }

  displayName(task: TaskNode, scope: Scope): string {
    let name = task.name;
    if (name.includes('{{')) {
      try {
        name = String(this.run.templater.template(name, scope));
      } catch {
        // Ansible shows the raw name when it cannot template it.
      }
    }
    return task.role ? `${task.role.name} : ${name}` : name;
  }

  async runTask(host: HostState, task: TaskNode, inh: Inherited, options: TaskRunOptions = {}): Promise<void> {
    if (!host.active) return;
    if (!options.handler && !tagsSelect([...inh.tags, ...tagList(task.kw.tags)], this.run.tags, this.run.skipTags)) return;
    await this.pc.barrier.arrive(host.name, inh.pos);
    if (!host.active) return;
    const scope = this.run.templater.scope(buildTaskVars(this.pc, host, inh, task));
    const name = this.displayName(task, scope);
    const base = { play: this.pc.play.name, task: name, host: host.name, module: task.module, handler: options.handler === true };
    // pause runs once for all hosts, as its action plugin bypasses the host loop.
    const runOnce = task.module === 'pause' || bool(this.safeTemplate(task.kw.run_once ?? false, scope));
    const onceKey = `${this.pc.index}:${inh.pos.join('.')}`;
    if (runOnce && this.run.runOnce.has(onceKey)) {
      const shared = await this.run.runOnce.get(onceKey)!;
      this.apply(host, task, shared, false);
      return;
    }
    // task_start when the host gets a fork, as Ansible's runner_on_start when a worker starts: with
    // forks 1 no two hosts' start..end intervals overlap.
    let started = Date.now();
    const exec = this.run.forks.run(() => {
      started = Date.now();
      this.run.emit({ ...base, type: 'task_start', at: started });
      return this.execute(host, task, inh, scope);
    });
    if (runOnce) this.run.runOnce.set(onceKey, exec);
    const result = await exec;
    const status = statusOf(result);
    const ignoreErrors = status === 'failed' && bool(this.run.templater.template(task.kw.ignore_errors ?? inh.ignoreErrors ?? false, scope));
    const rescued = status === 'failed' && !ignoreErrors && inh.rescuable;
    this.count(host, result, status, ignoreErrors, rescued);
    this.apply(host, task, result, ignoreErrors);
    // strategy/__init__.py: a role has run on a host once one of its tasks was ok or failed.
    if (task.role && status !== 'skipped' && status !== 'unreachable' && !options.handler) host.rolesRan.add(task.role.key);
    const noLog = bool(this.safeTemplate(task.kw.no_log ?? inh.noLog ?? false, scope));
    const secrets = [...this.run.secrets];
    const shown = noLog ? { censored: CENSORED, changed: result.changed === true } : redact(result, secrets);
    // Ansible templates a task's name when the task itself runs (TaskExecutor post_validate): a
    // looped task, or one skipped by its condition or an empty loop, keeps the name as written.
    const looped = task.kw.loop !== undefined || Object.keys(task.kw).some((k) => k.startsWith('with_'));
    const rawName = !options.handler && (looped || (status === 'skipped' && result.skip_reason === 'Conditional result was False'));
    this.run.emit({
      ...base,
      ...(rawName ? { task: task.role ? `${task.role.name} : ${task.name}` : task.name } : {}),
      type: 'task_end',
      status,
      changed: result.changed === true,
      ignored: ignoreErrors,
      rescued,
      durationMs: Date.now() - started,
      stdout: noLog ? undefined : (shown.stdout as string | undefined),
      stderr: noLog ? undefined : (shown.stderr as string | undefined),
      msg: noLog ? undefined : typeof shown.msg === 'string' ? shown.msg : undefined,
      error: this.errors.get(result),
      result: shown,
    });
    if (status === 'failed' && !ignoreErrors) {
      host.failed = true;
      host.hostVars.ansible_failed_task = unsafe({ name: typeof task.kw.name === 'string' ? task.kw.name : '', action: task.module });
      host.hostVars.ansible_failed_result = unsafe(result);
    }
    if (status === 'unreachable') host.unreachable = true;
  }

  private safeTemplate(v: unknown, scope: Scope): unknown {
    try {
      return this.run.templater.template(v, scope);
    } catch {
      return v;
    }
  }

  private count(host: HostState, r: ModuleResult, status: TaskStatus, ignored: boolean, rescued: boolean): void {
    const s = host.stats;
    switch (status) {
      case 'unreachable':
        s.unreachable++;
        return;
      case 'failed':
        if (ignored) {
          s.ok++;
          s.ignored++;
          if (r.changed) s.changed++;
        } else if (rescued) s.rescued++;
        else s.failed++;
        return;
      case 'skipped':
        s.skipped++;
        return;
      case 'changed':
        s.changed++;
        s.ok++;
        return;
      case 'ok':
        s.ok++;
        return;
    }
  }

  /** register, facts and notify: effects of a result on the host's state. */
  private apply(host: HostState, task: TaskNode, r: ModuleResult, ignored: boolean): void {
    const register = task.kw.register;
    // Results, facts and set_fact values are data (Ansible's wrap_var): never templated again.
    // include_vars reads the playbook's own files, templated when used, as Ansible does.
    if (typeof register === 'string' && !r.unreachable) host.hostVars[register] = unsafe(r);
    if (r.failed && !ignored) return;
    const facts: Record<string, unknown>[] = Array.isArray(r.results) ? r.results.map((x) => (isMapping(x) ? (x.ansible_facts as Record<string, unknown>) : undefined)).filter((x): x is Record<string, unknown> => Boolean(x)) : r.ansible_facts ? [r.ansible_facts] : [];
    for (const f of facts) {
      if (task.module === 'setup') host.facts = { ...(host.facts ?? {}), ...Object.fromEntries(Object.entries(f).map(([k, v]) => [k.replace(/^ansible_/, ''), v])) };
      else Object.assign(host.hostVars, task.module === 'include_vars' ? f : unsafeLayer(f));
    }
    if (r.changed && task.kw.notify !== undefined) {
      for (const n of Array.isArray(task.kw.notify) ? task.kw.notify : [task.kw.notify]) host.notified.add(String(n));
    }
  }

  private async execute(host: HostState, task: TaskNode, inh: Inherited, scope: Scope): Promise<ModuleResult> {
    try {
      const items = loopItems(this.pc, task, scope);
      if (items === undefined) return await this.once(host, task, inh, scope);
      if (items.length === 0) return { changed: false, skipped: true, skipped_reason: 'No items in the list', results: [] };
      const control = isMapping(task.kw.loop_control) ? task.kw.loop_control : {};
      const loopVar = String(control.loop_var ?? 'item');
      const results: ModuleResult[] = [];
      let loopError: RunnerError | undefined;
      for (let i = 0; i < items.length; i++) {
        if (this.run.signal?.aborted) break;
        // Items are values already templated (from the loop expression): data from here on.
        const vars: Record<string, unknown> = {
          [loopVar]: unsafe(items[i]),
          ansible_loop_var: loopVar,
          ansible_loop: unsafe({ index: i + 1, index0: i, first: i === 0, last: i === items.length - 1, length: items.length, revindex: items.length - i, revindex0: items.length - i - 1, allitems: items }),
        };
        if (control.index_var) vars[String(control.index_var)] = i;
        const itemScope = scope.child(vars);
        const r = await this.once(host, task, inh, itemScope);
        loopError ??= this.errors.get(r);
        const entry: ModuleResult = { ...r, [loopVar]: items[i], ansible_loop_var: loopVar };
        if (control.index_var) entry[String(control.index_var)] = i;
        if (control.label !== undefined) entry._ansible_item_label = this.safeTemplate(control.label, itemScope);
        results.push(entry);
        if (r.unreachable) break;
        if (control.pause) await new Promise((res) => setTimeout(res, Number(control.pause) * 1000));
      }
      const res: ModuleResult = { results, changed: results.some((r) => r.changed === true), msg: 'All items completed' };
      if (results.some((r) => r.unreachable)) res.unreachable = true;
      if (loopError) this.errors.set(res, loopError);
      if (results.some((r) => r.failed)) {
        res.failed = true;
        res.msg = 'One or more items failed';
      } else if (results.every((r) => r.skipped)) {
        res.skipped = true;
        res.msg = 'All items skipped';
      }
      return res;
    } catch (error) {
      return this.errorResult(error);
    }
  }

  private errorResult(error: unknown): ModuleResult {
    const result = this.resultOf(error);
    if (error instanceof RunnerError) this.errors.set(result, error);
    return result;
  }

  private resultOf(error: unknown): ModuleResult {
    if (error instanceof SshError && error.code !== 'command_timeout' && error.code !== 'aborted') {
      return { unreachable: true, changed: false, msg: error.message };
    }
    if (error instanceof TemplateError) return { failed: true, changed: false, msg: `The task includes an option with an undefined variable or a template error. The error was: ${error.message}` };
    return { failed: true, changed: false, msg: error instanceof Error ? error.message : String(error) };
  }

  private async targetFor(host: HostState, task: TaskNode, inh: Inherited, scope: Scope): Promise<CommandTarget> {
    const delegate = task.kw.delegate_to ?? inh.delegateTo;
    if (delegate !== undefined && delegate !== null) {
      const name = String(this.run.templater.template(delegate, scope));
      const other = this.run.hosts.get(name);
      if (other) return this.run.connect(other);
      if (isLocalName(name)) return this.run.localhost();
      throw new RunnerError('playbook_invalid', `delegate_to: unknown host '${name}'`);
    }
    return this.run.connect(host);
  }

  private async once(host: HostState, task: TaskNode, inh: Inherited, scope: Scope): Promise<ModuleResult> {
    const t = this.run.templater;
    const when = [...inh.when, ...(task.kw.when === undefined ? [] : Array.isArray(task.kw.when) ? task.kw.when : [task.kw.when])];
    for (const cond of when) {
      try {
        if (!t.condition(cond, scope)) return { changed: false, skipped: true, skip_reason: 'Conditional result was False', false_condition: cond };
      } catch (error) {
        return { failed: true, changed: false, msg: `The conditional check '${String(cond)}' failed. The error was: ${(error as Error).message}` };
      }
    }
    const fn = MODULES[task.module];
    if (!fn) return { failed: true, msg: `module '${task.module}' is not supported` };
    const until = task.kw.until;
    const retriesRaw = task.kw.retries === undefined ? 3 : Number(t.template(task.kw.retries, scope));
    const attempts = until === undefined ? 1 : retriesRaw <= 0 ? 1 : retriesRaw + 1;
    const delay = task.kw.delay === undefined ? 5 : Math.max(0, Number(t.template(task.kw.delay, scope)));
    const register = typeof task.kw.register === 'string' ? task.kw.register : undefined;
    let result: ModuleResult = {};
    for (let attempt = 1; attempt <= attempts; attempt++) {
      result = await this.callModule(host, task, inh, scope);
      if (until !== undefined) result.attempts = attempt;
      if (result.unreachable) return result;
      let condScope = register ? scope.child({ [register]: unsafe(result) }) : scope;
      if (!result.skipped) {
        let cond = 'changed';
        try {
          if (task.kw.changed_when !== undefined) result.changed = t.condition(task.kw.changed_when, condScope);
          cond = 'failed';
          if (task.kw.failed_when !== undefined) {
            const f = t.condition(task.kw.failed_when, condScope);
            result.failed_when_result = f;
            result.failed = f;
          }
        } catch (error) {
          result.failed = true;
          result[`${cond}_when_result`] = (error as Error).message;
        }
        condScope = register ? scope.child({ [register]: unsafe(result) }) : scope;
      }
      if (attempts > 1) {
        let done = false;
        try {
          done = t.condition(until, condScope);
        } catch {
          done = false;
        }
        if (done) break;
        if (attempt < attempts) {
          await new Promise((res) => setTimeout(res, delay * 1000));
          if (this.run.signal?.aborted) break;
        } else {
          result.attempts = attempts - 1;
          result.failed = true;
        }
      }
    }
    if (result.changed === undefined) result.changed = false;
    return result;
  }

  private async callModule(host: HostState, task: TaskNode, inh: Inherited, scope: Scope): Promise<ModuleResult> {
    const t = this.run.templater;
    try {
      const args = stripOmit(task.module === 'assert' ? { ...task.args, fail_msg: t.template(task.args.fail_msg, scope), msg: t.template(task.args.msg, scope), success_msg: t.template(task.args.success_msg, scope) } : t.template(task.args, scope)) as Record<string, unknown>;
      if (task.module === 'assert') args.that = task.args.that;
      for (const k of Object.keys(args)) if (args[k] === undefined) delete args[k];
      const local = LOCAL_MODULES.has(task.module);
      const target = local ? this.run.local : await this.targetFor(host, task, inh, scope);
      const become = bool(t.template(task.kw.become ?? inh.become ?? scope.get('ansible_become') ?? false, scope));
      const becomeUser = t.template(task.kw.become_user ?? inh.becomeUser ?? scope.get('ansible_become_user') ?? 'root', scope);
      const becomePassword = scope.get('ansible_become_password') ?? scope.get('ansible_become_pass') ?? scope.get('ansible_sudo_pass');
      const envList = [...inh.environment, ...(task.kw.environment === undefined ? [] : [task.kw.environment])];
      const env: Record<string, string> = {};
      for (const e of envList) {
        const v = t.template(e, scope);
        if (isMapping(v)) for (const [k, x] of Object.entries(v)) env[k] = String(x);
      }
      const timeoutMs = task.kw.timeout !== undefined ? Number(t.template(task.kw.timeout, scope)) * 1000 : this.run.commandTimeoutMs;
      const checkKw = task.kw.check_mode ?? inh.checkMode;
      const check = checkKw === undefined ? this.run.check : bool(t.template(checkKw, scope));
      const role = task.role ?? inh.role;
      const ctx: ModuleContext = {
        host: host.name,
        target,
        args,
        check,
        task,
        scope,
        templater: t,
        facts: host.facts ?? {},
        signal: this.run.signal,
        exec: (command, stdin, extra) =>
          target.exec(command, {
            stdin,
            pty: extra?.pty,
            become,
            becomeUser: String(becomeUser),
            becomePassword: becomePassword === undefined ? undefined : String(becomePassword),
            env,
            timeoutMs,
            signal: this.run.signal,
          }),
        findFile: (kind, src) => {
          const bases = [...(role ? [join(role.dir, kind), role.dir] : []), join(task.dir, kind), task.dir, join(this.run.playbookDir, kind), this.run.playbookDir];
          return this.run.files.find(src, bases, kind === 'vars' ? 'include_vars' : 'src');
        },
        checkFile: (path) => this.run.files.check(path, 'src'),
      };
      const r = await MODULES[task.module](ctx);
      if (task.module === 'setup' && r.ansible_facts) r.ansible_facts = { ...r.ansible_facts };
      return r;
    } catch (error) {
      return this.errorResult(error);
    }
  }
}

