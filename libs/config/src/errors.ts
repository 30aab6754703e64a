// The one error family of libs/config (STYLE.md rule 13). Boot fails with a single ConfigError
// that names every bad variable at once, so an operator fixes the environment in one round.

/** Codes of libs/config errors. */
export type ConfigErrorCode = 'invalid_config';

/** One bad variable: its name, the shape of what it held, what was expected, and why it failed. */
export interface ConfigIssue {
  /** The environment variable, e.g. `BATON_LISTEN`. */
  variable: string;
  /**
   * What the variable held, as a shape safe to print: secrets are never echoed (`<set, 12 chars>`),
   * passwords inside URLs are masked.
   */
  value: string;
  /** The expected shape, e.g. `host:port`. */
  expected: string;
  /** Why the value was refused. */
  reason: string;
}

/** Base class of every error thrown by libs/config (`cause` kept). */
export class ConfigError extends Error {
  constructor(
    readonly code: ConfigErrorCode,
    message: string,
    readonly issues: readonly ConfigIssue[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Builds the error from the list of issues; the message has one line per bad variable. */
  static fromIssues(issues: readonly ConfigIssue[]): ConfigError {
    const lines = issues.map((i) => `  - ${i.variable}=${i.value}: ${i.reason} (expected ${i.expected})`);
    const noun = issues.length === 1 ? 'variable' : 'variables';
    return new ConfigError('invalid_config', `Invalid configuration, ${issues.length} bad ${noun}:\n${lines.join('\n')}`, issues);
  }
}
