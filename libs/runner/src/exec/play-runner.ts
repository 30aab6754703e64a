// Runs one play: hosts in parallel (each host walks the task lists on its own; forks bound
// how many execute a task at once), blocks with rescue/always, include_tasks, meta, handlers.
import { dirname } from 'node:path';
import { RunnerError } from '../errors';
import { gatherFacts } from '../modules/control.module';
import { parseTaskList, readYamlFile, resolveTaskFile } from '../playbook/load-playbook';
import type { BlockNode, IncludeNode, PlayItem, TaskNode } from '../playbook/model';
import { isMapping } from '../template/python';
import { unsafe } from '../template/unsafe';
import type { HostState } from './host-state';
import { inherit, tagList, type Inherited, type PlayContext } from './run-context';
import { buildTaskVars } from './task-vars';
import { tagsSelect, TaskRunner } from './task-runner';

export class PlayRunner {
  private readonly tasks: TaskRunner;
  private readonly includeCache = new Map<string, { empty: boolean; list: PlayItem[] }>();

  constructor(private readonly pc: PlayContext) {
    this.tasks = new TaskRunner(pc);
  }

  private root(): Inherited {
    const kw = this.pc.play.kw;
    return inherit({ when: [], vars: {}, environment: [], tags: [], roleChain: [], rescuable: false, pos: [] }, { ...kw, vars: undefined });
  }

  /** Runs the play on one host, in lock-step with the play's other hosts. */
  async runHost(host: HostState): Promise<void> {
    const play = this.pc.play;
    host.ended = false;
    const inh = this.root();
    // Sections are the first index of every position: facts, pre_tasks, their handlers, roles,
    // tasks, their handlers, post_tasks, their handlers.
    const at = (section: number): Inherited => ({ ...inh, pos: [section] });
    try {
      if (play.gatherFacts) await this.gather(host);
      await this.runItems(host, play.preTasks, at(1));
      await this.flushHandlers(host, at(2));
      await this.runItems(host, play.roleTasks, at(3));
      await this.runItems(host, play.tasks, at(4));
      await this.flushHandlers(host, at(5));
      await this.runItems(host, play.postTasks, at(6));
      await this.flushHandlers(host, at(7));
    } finally {
      this.pc.barrier.leave();
    }
  }

  private async gather(host: HostState): Promise<void> {
    if (!host.active) return;
    await this.pc.barrier.arrive(host.name, [0]);
    const base = { play: this.pc.play.name, task: 'Gathering Facts', host: host.name, module: 'setup', handler: false };
    let started = Date.now();
    // As for tasks, task_start once the host holds a fork slot (connect and gather in the same slot).
    const begin = () => {
      started = Date.now();
      this.pc.run.emit({ ...base, type: 'task_start', at: started });
    };
    let result: Record<string, unknown>;
    let status: 'ok' | 'unreachable' | 'failed' = 'ok';
    let failure: RunnerError | undefined;
    try {
      if (!host.facts) {
        host.facts = await this.pc.run.forks.run(async () => {
          begin();
          const target = await this.pc.run.connect(host);
          return gatherFacts((c) => target.exec(c, { signal: this.pc.run.signal, timeoutMs: 60_000 }));
        });
      } else begin();
      result = { changed: false, ansible_facts: host.facts };
      host.stats.ok++;
    } catch (error) {
      if (error instanceof RunnerError) failure = error;
      const unreachable = error instanceof RunnerError && error.name === 'SshError' && error.code !== 'aborted';
      status = unreachable ? 'unreachable' : 'failed';
      result = { [status === 'unreachable' ? 'unreachable' : 'failed']: true, changed: false, msg: (error as Error).message };
      if (unreachable) {
        host.unreachable = true;
        host.stats.unreachable++;
      } else {
        host.failed = true;
        host.stats.failed++;
      }
    }
    this.pc.run.emit({ ...base, type: 'task_end', status, changed: false, ignored: false, rescued: false, durationMs: Date.now() - started, ...(failure ? { error: failure } : {}), result: status === 'ok' ? { changed: false } : result });
  }

  /** Runs a task list; `inh.pos` is the list's position, item i sits at `[...pos, i]`. */
  async runItems(host: HostState, items: PlayItem[], inh: Inherited): Promise<void> {
    for (const [i, item] of items.entries()) {
      if (!host.active || this.pc.run.signal?.aborted) return;
      const here = { ...inh, pos: [...inh.pos, i] };
      switch (item.kind) {
        case 'task':
          if (item.module === 'meta') await this.meta(host, item, here);
          else await this.tasks.runTask(host, item, here);
          break;
        case 'block':
          await this.runBlock(host, item, here);
          break;
        case 'include':
          await this.runInclude(host, item, here);
          break;
      }
    }
  }

  private async runBlock(host: HostState, block: BlockNode, parent: Inherited): Promise<void> {
    if (block.includeName !== undefined) {
      await this.runRoleInclude(host, block, parent);
      return;
    }
    const run = block.roleRun;
    // A role instance a host completed before is skipped silently (linear.py: role has_run).
    if (run && !run.allowDuplicates && host.rolesDone.has(run.key)) return;
    const inh = inherit(parent, block.kw, block.role);
    if (run) inh.roleChain = [...parent.roleChain, run];
    await this.runItems(host, block.block, { ...inh, rescuable: block.rescue.length > 0 || parent.rescuable, pos: [...parent.pos, 0] });
    if (host.failed && !host.unreachable && block.rescue.length > 0) {
      host.failed = false;
      await this.runItems(host, block.rescue, { ...inh, rescuable: parent.rescuable, pos: [...parent.pos, 1] });
    }
    if (block.always.length > 0 && !host.unreachable) {
      const failed = host.failed;
      host.failed = false;
      await this.runItems(host, block.always, { ...inh, rescuable: parent.rescuable, pos: [...parent.pos, 2] });
      host.failed ||= failed;
    }
    // role_complete: the instance is done here once one of its own tasks ran (not skipped).
    if (run && host.rolesRan.has(run.key)) host.rolesDone.add(run.key);
  }

  /**
   * include_role: a result for the include (which, unlike include_tasks, Ansible never counts),
   * then the role's run, once per loop item.
   */
  private async runRoleInclude(host: HostState, block: BlockNode, parent: Inherited): Promise<void> {
    if (!tagsSelect([...parent.tags, ...tagList(block.kw.tags)], this.pc.run.tags, this.pc.run.skipTags)) return;
    await this.pc.barrier.arrive(host.name, parent.pos);
    const t = this.pc.run.templater;
    const base = { play: this.pc.play.name, task: parent.role ? `${parent.role.name} : ${block.includeName}` : String(block.includeName), host: host.name, module: 'include_role', handler: false };
    const skip = (reason?: string) => {
      host.stats.skipped++;
      this.pc.run.emit({ ...base, type: 'task_end', status: 'skipped', changed: false, ignored: false, rescued: false, durationMs: 0, result: { skipped: true, changed: false, ...(reason ? { skipped_reason: reason } : {}) } });
    };
    const when = [...parent.when, ...(block.kw.when === undefined ? [] : Array.isArray(block.kw.when) ? block.kw.when : [block.kw.when])];
    const scope = t.scope(buildTaskVars(this.pc, host, parent));
    if (!when.every((c) => t.condition(c, scope))) return skip();
    const loop = block.kw.loop ?? block.kw.with_items;
    const items = loop === undefined ? [undefined] : (t.template(loop, scope) as unknown[]);
    if (items.length === 0) return skip('No items in the list');
    const run = block.block[0] as BlockNode;
    this.pc.run.emit({ ...base, type: 'task_end', status: 'ok', changed: false, ignored: false, rescued: false, durationMs: 0, result: { include_role: run.roleRun?.name, changed: false } });
    if (block.publicRole && run.roleRun && !this.pc.dynamicRoles.some((r) => r.key === run.roleRun!.key)) {
      this.pc.dynamicRoles.push(run.roleRun);
      this.pc.roleVarsCache.clear();
    }
    const loopVar = isMapping(block.kw.loop_control) && block.kw.loop_control.loop_var ? String(block.kw.loop_control.loop_var) : 'item';
    for (const [k, item] of items.entries()) {
      const vars = { ...(isMapping(block.kw.vars) ? block.kw.vars : {}), ...(loop === undefined ? {} : { [loopVar]: item }) };
      const inh = inherit({ ...parent, when: [] }, { ...block.kw, when: undefined, loop: undefined, with_items: undefined, loop_control: undefined, vars });
      await this.runItems(host, block.block, { ...inh, pos: [...parent.pos, k] });
      if (!host.active) return;
    }
  }

  private async runInclude(host: HostState, inc: IncludeNode, parent: Inherited): Promise<void> {
    if (!tagsSelect([...parent.tags, ...tagList(inc.kw.tags)], this.pc.run.tags, this.pc.run.skipTags)) return;
    await this.pc.barrier.arrive(host.name, parent.pos);
    const t = this.pc.run.templater;
    const scope = t.scope(buildTaskVars(this.pc, host, parent));
    const when = inc.kw.when === undefined ? [] : Array.isArray(inc.kw.when) ? inc.kw.when : [inc.kw.when];
    const role = inc.role ?? parent.role;
    const base = { play: this.pc.play.name, task: role ? `${role.name} : ${inc.name}` : inc.name, host: host.name, module: 'include_tasks', handler: false };
    try {
      for (const c of [...parent.when, ...when]) {
        if (!t.condition(c, scope)) {
          host.stats.skipped++;
          this.pc.run.emit({ ...base, type: 'task_end', status: 'skipped', changed: false, ignored: false, rescued: false, durationMs: 0, result: { skipped: true, changed: false } });
          return;
        }
      }
      const loop = inc.kw.loop ?? inc.kw.with_items;
      const items = loop === undefined ? [undefined] : (t.template(loop, scope) as unknown[]);
      if (items.length === 0) {
        host.stats.skipped++;
        this.pc.run.emit({ ...base, type: 'task_end', status: 'skipped', changed: false, ignored: false, rescued: false, durationMs: 0, result: { skipped: true, skipped_reason: 'No items in the list', changed: false } });
        return;
      }
      // One result for the include task; Ansible counts `ok` once per file it includes (once per
      // loop item) when it loads the file, and not at all for an empty file.
      this.pc.run.emit({ ...base, type: 'task_end', status: 'ok', changed: false, ignored: false, rescued: false, durationMs: 0, result: { include: inc.file, changed: false } });
      for (const [k, item] of items.entries()) {
        const loopVar = isMapping(inc.kw.loop_control) && inc.kw.loop_control.loop_var ? String(inc.kw.loop_control.loop_var) : 'item';
        const vars = { ...(isMapping(inc.kw.vars) ? inc.kw.vars : {}), ...inc.params, ...(loop === undefined ? {} : { [loopVar]: unsafe(item) }) };
        const itemScope = scope.child(vars);
        const file = String(t.template(inc.file, itemScope));
        const path = this.pc.run.files.check(resolveTaskFile(file, inc.dir, inc.role ?? parent.role), 'include_tasks', file);
        let cached = this.includeCache.get(path);
        if (!cached) {
          const data = readYamlFile(path);
          cached = { empty: data === null || data === undefined, list: parseTaskList(data, { dir: dirname(path), file: path, role: inc.role ?? parent.role, session: this.pc.play.session, depth: 0, dynamic: true }) };
          this.includeCache.set(path, cached);
        }
        const list = cached.list;
        if (!cached.empty) host.stats.ok++;

        // Keywords on include_tasks other than when/loop/vars apply to the included tasks.
        const inh = inherit(parent, { ...inc.kw, when: undefined, loop: undefined, with_items: undefined, loop_control: undefined, vars: vars });
        await this.runItems(host, list, { ...inh, pos: [...parent.pos, k] });
        if (!host.active) return;
      }
    } catch (error) {
      host.failed = true;
      if (parent.rescuable) host.stats.rescued++;
      else host.stats.failed++;
      this.pc.run.emit({ ...base, type: 'task_end', status: 'failed', changed: false, ignored: false, rescued: parent.rescuable, durationMs: 0, result: { failed: true, msg: (error as Error).message } });
    }
  }

  private async meta(host: HostState, task: TaskNode, inh: Inherited): Promise<void> {
    const action = String(task.args._raw_params ?? task.args.free_form ?? '');
    await this.pc.barrier.arrive(host.name, inh.pos);
    const t = this.pc.run.templater;
    if (task.kw.when !== undefined || inh.when.length) {
      const scope = t.scope(buildTaskVars(this.pc, host, inh, task));
      const when = [...inh.when, ...(Array.isArray(task.kw.when) ? task.kw.when : task.kw.when === undefined ? [] : [task.kw.when])];
      if (!when.every((c) => t.condition(c, scope))) {
        // Ansible reports a meta task whose condition is false as skipped, without counting it.
        const name = this.tasks.displayName(task, scope);
        this.pc.run.emit({ play: this.pc.play.name, task: name, host: host.name, module: 'meta', handler: false, type: 'task_end', status: 'skipped', changed: false, ignored: false, rescued: false, durationMs: 0, result: { skipped: true, skip_reason: `${action} conditional evaluated to False` } });
        return;
      }
    }
    switch (action) {
      case 'flush_handlers':
        await this.flushHandlers(host, inh);
        return;
      case 'end_host':
        host.ended = true;
        return;
      case 'end_play':
        for (const h of this.pc.hosts) {
          const s = this.pc.run.hosts.get(h);
          if (s) s.ended = true;
        }
        return;
      case 'clear_facts':
        host.facts = undefined;
        return;
      case 'clear_host_errors':
        host.failed = false;
        return;
      case 'reset_connection':
      case 'noop':
      case 'refresh_inventory':
        return;
      default:
        host.failed = true;
        host.stats.failed++;
        this.pc.run.emit({ play: this.pc.play.name, task: task.name, host: host.name, module: 'meta', handler: false, type: 'task_end', status: 'failed', changed: false, ignored: false, rescued: false, durationMs: 0, result: { failed: true, msg: `invalid meta action requested: ${action}` } });
    }
  }

  async flushHandlers(host: HostState, inh: Inherited): Promise<void> {
    // A handler may notify another; loop until quiet (bounded, as a handler can notify itself).
    for (let round = 0; round < 10 && host.notified.size > 0 && host.active; round++) {
      const pending = new Set(host.notified);
      host.notified.clear();
      for (const [i, h] of this.pc.play.handlers.entries()) {
        const names = [h.name, ...tagList(h.kw.listen), ...(h.role ? [`${h.role.name} : ${h.name}`] : [])];
        if (!names.some((n) => pending.has(n))) continue;
        for (const n of names) pending.delete(n);
        if (!host.active) break;
        await this.tasks.runTask(host, h, { ...inherit(inh, {}, h.role), pos: [...inh.pos, round, i] }, { handler: true });
      }
    }
    host.notified.clear();
  }
}
