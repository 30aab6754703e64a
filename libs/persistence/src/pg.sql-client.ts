// SqlClient over node-postgres: a pool, with `search_path` pinned when a schema is given so
// tests (and several baton installations) can share one database.
import { Pool, types } from 'pg';
import type { SqlClient, SqlExecutor } from './sql-client.port';

// int8 (counts, bigserial) as JS numbers: our values stay far below 2^53.
types.setTypeParser(20, (v) => Number(v));

export interface PgClientOptions {
  url: string;
  schema?: string;
  max?: number;
}

export class PgSqlClient implements SqlClient {
  private readonly pool: Pool;

  constructor(options: PgClientOptions) {
    if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) {
      throw new TypeError(`invalid schema name: ${options.schema}`);
    }
    this.pool = new Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // A dropped idle connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.pool.query(sql, params);
    return result.rows as T[];
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const tx: SqlExecutor = {
        query: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[],
      };
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
