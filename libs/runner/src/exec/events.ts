// The event stream the orchestrator writes to the deployment log, and the per-host recap.
import type { RunnerError } from '../errors';

/** Outcome of one task on one host (a loop counts once, as in Ansible's output). */
export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

/** Ansible's PLAY RECAP counters for one host. */
export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}

export interface TaskEventBase {
  play: string;
  task: string;
  host: string;
  module: string;
  /** True for handlers, `Gathering Facts` is a task named so with module `setup`. */
  handler: boolean;
}

export type RunnerEvent =
  | { type: 'play_start'; play: string; hosts: string[] }
  /** Emitted when the host gets one of the `forks` slots and starts the task. */
  | (TaskEventBase & { type: 'task_start'; at: number })
  | (TaskEventBase & {
      type: 'task_end';
      status: TaskStatus;
      changed: boolean;
      /** A failure that `ignore_errors` or a block's `rescue` absorbed. */
      ignored: boolean;
      rescued: boolean;
      durationMs: number;
      stdout?: string;
      stderr?: string;
      msg?: string;
      /**
       * The runner's own error behind a failed or unreachable task (an SSH refusal, a host key
       * mismatch, a time-out), so a caller decides from its `code` and `transient`, not its text.
       */
      error?: RunnerError;
      /** The registered result, secrets replaced by `********`. */
      result: Record<string, unknown>;
    })
  | { type: 'play_end'; play: string }
  | { type: 'recap'; recap: Record<string, HostStats> };

const MASK = '********';

/** Replaces every secret value in strings anywhere inside `value`. */
export function redact<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') {
      let s = v;
      for (const secret of secrets) if (secret && s.includes(secret)) s = s.split(secret).join(MASK);
      return s;
    }
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x)]));
    return v;
  };
  return scrub(value) as T;
}

const SECRET_NAME = /pass(word)?|secret|token|private_key|api_key|credential/i;

/** Secret values found in variables: by name (password, token, private_key, ...). */
export function collectSecrets(vars: Record<string, unknown>, into: Set<string>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (typeof v === 'string' && v.length >= 4 && SECRET_NAME.test(k) && !v.includes('{{')) {
      into.add(v);
      // Keys travel with their lines; mask each line of a multi-line secret too.
      for (const line of v.split('\n')) if (line.length >= 16) into.add(line);
    }
  }
}
