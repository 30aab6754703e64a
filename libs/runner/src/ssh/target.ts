// What a module needs from a host: run one shell command, optionally with stdin, privileges,
// environment, a time-out and an AbortSignal. SSH hosts and `delegate_to: localhost` both
// implement it, so modules never know where they run.

export interface ExecOptions {
  stdin?: string | Buffer;
  become?: boolean;
  becomeUser?: string;
  /** Password for `sudo -S`; fed on stdin, never on the command line. */
  becomePassword?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Run under a pseudo-terminal, as Ansible runs `raw` and `script` (`ssh -tt`): lines end in
   * CRLF and stderr joins stdout. Not with `stdin` (a terminal would echo it).
   */
  pty?: boolean;
}

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
  /** Set when the command was killed for its time-out. */
  timedOut?: boolean;
}

/** A host the runner can execute commands on. */
export interface CommandTarget {
  readonly name: string;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
}
