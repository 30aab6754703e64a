// Composition of a DeploymentStore: a driver, migrations at start, the secret box. The
// `*Persistence` variants also give the refresh-token store on the same connection (PGlite allows
// one opener of a data directory, so a second connection is not an option there).
import type { DeploymentStore } from '@lib/orchestrator';
import { runMigrations } from './migrator';
import { PgSqlClient } from './pg.sql-client';
import { PgliteSqlClient } from './pglite.sql-client';
import { SecretBox } from './secret-box';
import { SqlDeploymentStore } from './sql-deployment.store';
import { SqlRefreshTokenStore } from './sql-refresh-token.store';
import type { SqlClient } from './sql-client.port';

export interface PostgresStoreOptions {
  /** e.g. postgres://postgres@127.0.0.1:5432/baton */
  url: string;
  /** Pin `search_path` (created if missing): lets tests use a random schema per run. */
  schema?: string;
  /** BATON_SECRET_KEY: encrypts secret inputs and keys at rest. */
  secretKey: string;
  poolSize?: number;
}

export interface PgliteStoreOptions {
  /** Directory for durable data (e.g. `${BATON_DATA_DIR}/db`); omitted = in memory. */
  dataDir?: string;
  secretKey: string;
}

/** The deployment store and the refresh-token store of one database; `store.close()` closes both. */
export interface Persistence {
  store: DeploymentStore;
  /** Sealed RFC 8693 refresh tokens (the `RefreshTokenStore` port of @lib/auth). */
  refreshTokens: SqlRefreshTokenStore;
}

/** The store on real PostgreSQL, with migrations applied. */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<DeploymentStore> {
  return (await createPostgresPersistence(options)).store;
}

/** The store on embedded PGlite, with migrations applied. */
export async function createPgliteStore(options: PgliteStoreOptions): Promise<DeploymentStore> {
  return (await createPglitePersistence(options)).store;
}

/** Both stores on real PostgreSQL, with migrations applied. */
export async function createPostgresPersistence(options: PostgresStoreOptions): Promise<Persistence> {
  if (options.schema) {
    const admin = new PgSqlClient({ url: options.url, max: 1 });
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
    } finally {
      await admin.close();
    }
  }
  return open(new PgSqlClient({ url: options.url, schema: options.schema, max: options.poolSize }), options.secretKey);
}

/** Both stores on embedded PGlite, with migrations applied. */
export async function createPglitePersistence(options: PgliteStoreOptions): Promise<Persistence> {
  return open(await PgliteSqlClient.open({ dataDir: options.dataDir }), options.secretKey);
}

async function open(client: SqlClient, secretKey: string): Promise<Persistence> {
  try {
    await runMigrations(client);
  } catch (error) {
    await client.close();
    throw error;
  }
  return { store: new SqlDeploymentStore(client, new SecretBox(secretKey)), refreshTokens: new SqlRefreshTokenStore(client) };
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new TypeError(`invalid schema name: ${name}`);
  return `"${name}"`;
}
