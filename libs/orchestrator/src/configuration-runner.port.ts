// The configuration port (STYLE.md rule 5): runs a node's lifecycle operation (an Ansible
// playbook) on its host over SSH. Real: @lib/runner; embedded: a recording runner that
// executes nothing and says so in the log.

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
}

export interface OperationResult {
  ok: boolean;
  /** Values the playbook published (set_stats / registered outputs). */
  outputs: Record<string, unknown>;
  /** Why it failed, one line. */
  error?: string;
}

export interface ConfigurationRunner {
  /** Resolves when SSH answers on the target; throws with a clear reason at the deadline. */
  waitForSsh(target: SshTarget, options: { deadline: Date; signal: AbortSignal }): Promise<void>;
  run(operation: OperationRun): Promise<OperationResult>;
}
