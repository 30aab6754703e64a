// The one error family of libs/runner (STYLE.md rule 13). `transient` is the retry decision for
// the orchestrator (rule 16): an SSH connection refused while a host boots may succeed later; a
// bad playbook or a host key mismatch never will. Messages never carry a secret.

export type RunnerErrorCode =
  | 'playbook_invalid'
  | 'unsupported_module'
  | 'inventory_invalid'
  | 'template_error'
  | 'file_refused'
  | 'host_refused'
  | 'ssh_connect_failed'
  | 'ssh_auth_failed'
  | 'host_key_mismatch'
  | 'command_timeout'
  | 'aborted';

/** Base class: every error thrown by libs/runner is one of these (`cause` kept). */
export class RunnerError extends Error {
  constructor(
    readonly code: RunnerErrorCode,
    message: string,
    /** True when the same call may succeed later (connection refused or timed out). */
    readonly transient = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A playbook, role or task file that cannot be loaded; names the file. */
export class PlaybookError extends RunnerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('playbook_invalid', message, false, options);
  }
}

/** A task uses a module the runner does not implement; raised before anything runs. */
export class UnsupportedModuleError extends RunnerError {
  constructor(
    readonly module: string,
    readonly task: string,
    readonly file: string,
  ) {
    super('unsupported_module', `unsupported module '${module}' in task '${task}' (${file})`);
  }
}

/** An inventory text or file that cannot be read. */
export class InventoryError extends RunnerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('inventory_invalid', message, false, options);
  }
}

/** A Jinja2 expression that does not evaluate (syntax error, undefined variable). */
export class TemplateError extends RunnerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('template_error', message, false, options);
  }
}

/** SSH failures: connect (transient), authentication and host key (permanent), time-out, abort. */
export class SshError extends RunnerError {}

/**
 * A file of this machine that a confined run may not read (`..`, an absolute path or a symbolic
 * link leading out of the playbook's folder), or a lookup that reads the machine itself (`env`).
 */
export class FileRefusedError extends RunnerError {
  constructor(message: string) {
    super('file_refused', message);
  }
}

/** A task that would run on this machine (the controller) when the run allows only its nodes. */
export class HostRefusedError extends RunnerError {
  constructor(message: string) {
    super('host_refused', message);
  }
}
