// SqlClient over PGlite: real Postgres compiled to WASM, in this process. One session, so
// PGlite itself serialises queries and transactions.
import { PGlite } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor } from './sql-client.port';

export interface PgliteClientOptions {
  /** A directory for durable data; omitted = in memory. */
  dataDir?: string;
}

export class PgliteSqlClient implements SqlClient {
  private constructor(private readonly db: PGlite) {}

  static async open(options: PgliteClientOptions = {}): Promise<PgliteSqlClient> {
    const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
    return new PgliteSqlClient(db);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.db.query<T>(sql, params);
    return result.rows.map(normaliseRow) as T[];
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) =>
      fn({ query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows.map(normaliseRow) as R[] }),
    );
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

// PGlite returns int8 as bigint; the store expects numbers (as pg gives with our type parser).
function normaliseRow<T>(row: T): T {
  if (row === null || typeof row !== 'object') return row;
  const out = row as Record<string, unknown>;
  for (const [key, value] of Object.entries(out)) {
    if (typeof value === 'bigint') out[key] = Number(value);
  }
  return row;
}
