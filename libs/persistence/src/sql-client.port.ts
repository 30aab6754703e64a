// The one seam between the store and a Postgres driver: `pg` (real PostgreSQL) or PGlite
// (embedded). Both speak the same SQL; only connection handling differs.

/** A parameterised query runner. `$1..$n` placeholders, rows as plain objects. */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface SqlClient extends SqlExecutor {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
