// The contract between the executor and a module implementation.
import type { TaskNode } from '../playbook/model';
import type { CommandTarget, ExecResult } from '../ssh/target';
import type { Scope, Templater } from '../template/templater';

export type ModuleResult = Record<string, unknown> & {
  changed?: boolean;
  failed?: boolean;
  skipped?: boolean;
  msg?: unknown;
  /** Facts to merge into the host's variables (setup, set_fact, include_vars). */
  ansible_facts?: Record<string, unknown>;
};

export interface ModuleContext {
  host: string;
  target: CommandTarget;
  /** Arguments, templated, with `omit` removed. */
  args: Record<string, unknown>;
  check: boolean;
  task: TaskNode;
  scope: Scope;
  templater: Templater;
  facts: Record<string, unknown>;
  signal?: AbortSignal;
  /** Runs a shell command on the task's host with the task's become/environment/time-out. */
  exec(command: string, stdin?: string | Buffer, options?: { pty?: boolean }): Promise<ExecResult>;
  /**
   * Local path of a `src:` file: the role's `kind/` folder and folder, the task's, then the
   * playbook's; confined runs refuse `..`, absolute paths and symbolic links leading out.
   */
  findFile(kind: 'files' | 'templates' | 'vars', src: string): string;
  /** A path inside a folder findFile returned (copy of a folder), checked the same way. */
  checkFile(path: string): string;
}

export type ModuleFn = (ctx: ModuleContext) => Promise<ModuleResult>;

export function str(v: unknown, def = ''): string {
  return v === undefined || v === null ? def : String(v);
}

export function bool(v: unknown, def = false): boolean {
  if (v === undefined || v === null) return def;
  if (typeof v === 'boolean') return v;
  return ['yes', 'on', '1', 'true', 'y'].includes(String(v).toLowerCase());
}

/** Python's str.splitlines(): CRLF, LF and CR all end a line. */
export function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/(\r\n|\n|\r)$/, '').split(/\r\n|\n|\r/);
}
