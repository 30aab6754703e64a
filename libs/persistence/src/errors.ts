// The one error family of libs/persistence (STYLE.md rule 13).
export type PersistenceErrorCode = 'secret_unreadable' | 'migration_failed' | 'invalid_query';

export class PersistenceError extends Error {
  constructor(
    readonly code: PersistenceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PersistenceError';
  }
}
