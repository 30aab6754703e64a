// Public door of libs/persistence (STYLE.md rule 2). Named exports only.

/**
 * Open the deployment store (the `DeploymentStore` port of @lib/orchestrator) on PostgreSQL or
 * on embedded PGlite. Migrations run at open; secrets are sealed with AES-256-GCM.
 *
 * @example
 * ```ts
 * import { createPgliteStore, createPostgresStore } from '@lib/persistence';
 * const store = config.databaseUrl
 *   ? await createPostgresStore({ url: config.databaseUrl, secretKey: config.secretKey })
 *   : await createPgliteStore({ dataDir: `${config.dataDir}/db`, secretKey: config.secretKey });
 * await store.close();
 * ```
 */
export { createPgliteStore, createPostgresStore } from './store.factory';
export type { PgliteStoreOptions, PostgresStoreOptions } from './store.factory';

/**
 * The deployment store plus the durable refresh-token store (table `delegated_tokens`) on the
 * same connection: the `RefreshTokenStore` of @lib/auth, so every API and worker process sees
 * the sealed RFC 8693 refresh tokens. `store.close()` closes both.
 *
 * @example
 * ```ts
 * import { createAuthKit } from '@lib/auth';
 * import { createPostgresPersistence, SecretBox } from '@lib/persistence';
 * const { store, refreshTokens } = await createPostgresPersistence({ url: config.databaseUrl!, secretKey: config.secretKey });
 * const auth = createAuthKit(config, { store: refreshTokens, sealer: new SecretBox(config.secretKey) });
 * ```
 */
export { createPglitePersistence, createPostgresPersistence } from './store.factory';
export type { Persistence } from './store.factory';

/**
 * A refresh-token store on a SQL connection; values must be `SecretBox` output (others throw).
 *
 * @example
 * ```ts
 * import type { SqlRefreshTokenStore } from '@lib/persistence';
 * const sealed: string | null = await (refreshTokens as SqlRefreshTokenStore).load(key);
 * ```
 */
export type { SqlRefreshTokenStore } from './sql-refresh-token.store';

/**
 * AES-256-GCM sealing used for secrets at rest (exported for the auth lib's refresh tokens).
 *
 * @example
 * ```ts
 * import { SecretBox } from '@lib/persistence';
 * const box = new SecretBox(config.secretKey);
 * const sealed = box.seal('refresh-token'); // 'v1:...'
 * box.open(sealed); // 'refresh-token'
 * ```
 */
export { SecretBox } from './secret-box';

/**
 * The error family of libs/persistence.
 *
 * @example
 * ```ts
 * import { PersistenceError } from '@lib/persistence';
 * if (e instanceof PersistenceError && e.code === 'secret_unreadable') console.error('wrong BATON_SECRET_KEY');
 * ```
 */
export { PersistenceError } from './errors';
export type { PersistenceErrorCode } from './errors';
