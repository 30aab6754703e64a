// SqlClient over node-postgres: a pool, with `search_path` pinned when a schema is given so
// tests (and several baton installations) can share one database.
import { createHash } from 'node:crypto';
import { Pool, types, type QueryConfig } from 'pg';
import type { SqlClient, SqlExecutor } from './sql-client.port';

// int8 (counts, bigserial) as JS numbers: our values stay far below 2^53.
types.setTypeParser(20, (v) => Number(v));

export interface PgClientOptions {
  url: string;
  schema?: string;
  max?: number;
}

// Statements are prepared (named) per connection, so PostgreSQL parses and plans each text once
// per connection: on a small host, planning the list query cost more than running it. Only DML
// and queries, and at most this many distinct texts, so a caller that builds texts from values
// cannot make every connection hold an unbounded set of plans.
const MAX_PREPARED = 256;
const PREPARABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;

export class PgSqlClient implements SqlClient {
  private readonly pool: Pool;
  private readonly names = new Map<string, string>();

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
    const result = await this.pool.query(this.config(sql, params));
    return result.rows as T[];
  }

  private config(text: string, values: unknown[]): QueryConfig {
    let name = this.names.get(text);
    if (name === undefined && this.names.size < MAX_PREPARED && PREPARABLE.test(text)) {
      name = `baton_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      this.names.set(text, name);
    }
    return name === undefined ? { text, values } : { name, text, values };
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const tx: SqlExecutor = {
        query: async <R>(sql: string, params: unknown[] = []) => (await client.query(this.config(sql, params))).rows as R[],
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
