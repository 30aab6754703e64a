// Versioned migrations, run at start. A transaction-scoped advisory lock serialises concurrent
// starters (API and workers booting together against one PostgreSQL).
import { PersistenceError } from './errors';
import { migration001 } from './migrations/001-initial.migration';
import { migration002 } from './migrations/002-delegated-tokens.migration';
import { migration003 } from './migrations/003-read-paths.migration';
import { migration004 } from './migrations/004-workflow-model.migration';
import type { SqlClient } from './sql-client.port';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004];

const LOCK_KEY = 0x6261746f; // "bato"

/** Applies every migration newer than the recorded version; returns the versions applied. */
export async function runMigrations(client: SqlClient, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS baton_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM baton_migrations')).map((r) => r.version));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      try {
        for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      } catch (cause) {
        throw new PersistenceError('migration_failed', `migration ${migration.version} (${migration.name}) failed`, { cause });
      }
      await tx.query('INSERT INTO baton_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    }
    return applied;
  });
}

// Extended-protocol queries take one statement each. A statement ends with `;` at the end of a
// line, except inside a `$$` function body; our migrations hold no `;` or `$$` inside literals.
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let inBody = false;
  for (const line of sql.split('\n')) {
    if (!inBody && /^\s*--/.test(line)) continue;
    current += `${line}\n`;
    if ((line.match(/\$\$/g) ?? []).length % 2 === 1) inBody = !inBody;
    if (!inBody && /;\s*$/.test(line)) {
      statements.push(current.trim().replace(/;$/, ''));
      current = '';
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements.filter((s) => s.length > 0);
}
