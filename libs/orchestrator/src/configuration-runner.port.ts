// The configuration port (STYLE.md rule 5): runs a node's lifecycle operation (an Ansible
// playbook) on its host over SSH. Real: @lib/runner; embedded: a recording runner that
// executes nothing and says so in the log.
import type { Failure } from './workflow/failure';
import type { Executor } from './ansible/executor-choice';
import type { ImInventory } from './im/im-contract';

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  /** OpenSSH private key text; never logged. */
  privateKey: string;
}

export interface OperationRun {
  /** Node instance and operation, for logs: `web_0 Standard.configure`. */
  label: string;
  /** Playbook path (resolved artifact) or file name as written in the template. */
  playbook: string;
  target: SshTarget;
  /** The operation inputs, resolved: passed as extra vars. */
  vars: Record<string, unknown>;
  signal: AbortSignal;
  timeoutMs: number;
  /** Streamed output lines (already free of secrets the runner knows). */
  onLine(line: string): void;
  /**
   * IM's contextualization contract (im/im-contract.ts): every host of the deployment in the
   * inventory, the operation's plays on `host`. With it, `playbook` is a file of the run's own
   * work folder (prepared from the artifact lock) and `rolesPath` its roles.
   */
  im?: { inventory: ImInventory; host: string };
  rolesPath?: string[];
  /** The run's own work folder (the only one a confined ansible-playbook sees). */
  workDir?: string;
  /** `--check`: report what would change, change nothing (comparisons of executors). */
  check?: boolean;
  /** Chosen at plan time (ansible/executor-choice.ts); default our runner. */
  executor?: Executor;
}

/** Values the playbook published (set_stats / registered outputs) and, when it failed, why. */
export type OperationResult =
  | { ok: true; outputs: Record<string, unknown> }
  /** `failure` keeps the runner's classification: an SSH hiccup mid-playbook stays retryable. */
  | { ok: false; outputs: Record<string, unknown>; failure: Failure };

export interface ConfigurationRunner {
  /**
   * Resolves when SSH answers on the target. Otherwise rejects with the runner's typed error,
   * which says what happened: the key refused, the host key changed, the connection refused or
   * timed out when `timeoutMs` ran out.
   */
  waitForSsh(target: SshTarget, options: { timeoutMs: number; signal: AbortSignal }): Promise<void>;
  run(operation: OperationRun): Promise<OperationResult>;
  /**
   * Why `playbook` (as an operation names it) cannot be run, or undefined when it can: checked
   * when a deployment is submitted, before any server exists (engine/plan-admission.ts).
   */
  checkPlaybook?(playbook: string): string | undefined;
}
