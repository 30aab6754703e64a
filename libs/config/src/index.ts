// Public door of libs/config (STYLE.md rule 2). Named exports only. A leaf lib: no NestJS, no
// other internal lib. The only place in apps/ and libs/ that reads process.env (rule 19).

/**
 * Validates the environment once into a frozen, typed {@link BatonConfig}. Throws a
 * {@link ConfigError} listing every bad variable (never a secret's value). Call it once at boot
 * and pass the object (or the parts a lib needs) down. Variables: libs/config/README.md.
 *
 * @example
 * ```ts
 * import { ConfigError, loadConfig } from '@lib/config';
 * try {
 *   const config = loadConfig(); // process.env
 *   for (const w of config.warnings) console.warn(`WARNING: ${w}`);
 * } catch (e) {
 *   if (e instanceof ConfigError) { console.error(e.message); process.exit(78); }
 *   throw e;
 * }
 * ```
 */
export { loadConfig } from './load-config';

/**
 * The configuration types. `oidc === null` is the no-auth mode; `databaseUrl === null` is
 * embedded PGlite in `dataDir`; `redisUrl === null` is the in-process job runner.
 *
 * @example
 * ```ts
 * import type { BatonConfig } from '@lib/config';
 * const authOn = (c: BatonConfig) => c.oidc !== null;
 * ```
 */
export type { AdminGroupRule, ArtifactConfig, BatonConfig, CallbackConfig, ClientAuthMethod, ListenAddress, LogLevel, OidcConfig, ReadRule, SecretKeySource, SystemEndpointKey, WorkLimits } from './config.types';

/**
 * The accepted log levels (most severe first), client authentication methods, and the keys of
 * GET /configuration (each set by `BATON_<KEY>`, e.g. BATON_VAULT_URL).
 *
 * @example
 * ```ts
 * import { LOG_LEVELS } from '@lib/config';
 * const enabled = (level: string, min: string) => LOG_LEVELS.indexOf(level as never) <= LOG_LEVELS.indexOf(min as never);
 * ```
 */
export { CLIENT_AUTH_METHODS, LOG_LEVELS, READ_RULES, SYSTEM_ENDPOINT_KEYS } from './config.types';

/**
 * The error family of libs/config: one `invalid_config` error carrying every {@link ConfigIssue}.
 *
 * @example
 * ```ts
 * import { ConfigError, loadConfig } from '@lib/config';
 * try { loadConfig({ BATON_LISTEN: 'nope' }); } catch (e) {
 *   if (e instanceof ConfigError) console.log(e.issues.map((i) => i.variable)); // ['BATON_LISTEN']
 * }
 * ```
 */
export { ConfigError } from './errors';
export type { ConfigErrorCode, ConfigIssue } from './errors';

/**
 * A summary of the configuration for the start-up log, secrets left out.
 *
 * @example
 * ```ts
 * import { describeConfig, loadConfig } from '@lib/config';
 * for (const [k, v] of Object.entries(describeConfig(loadConfig()))) console.log(`${k}: ${v}`);
 * ```
 */
export { describeConfig } from './describe-config';

/**
 * Loopback test for a host (127.0.0.0/8, ::1, localhost): the no-auth mode listens only there.
 *
 * @example
 * ```ts
 * import { isLoopbackHost } from '@lib/config';
 * isLoopbackHost('127.0.0.2'); // true
 * isLoopbackHost('0.0.0.0');   // false
 * ```
 */
export { isLoopbackHost, parseListen } from './env-reader';

/**
 * True when a text is a valid BATON_SECRET_KEY (base64 of exactly 32 bytes).
 *
 * @example
 * ```ts
 * import { randomBytes } from 'node:crypto';
 * import { isSecretKeyText } from '@lib/config';
 * isSecretKeyText(randomBytes(32).toString('base64')); // true
 * ```
 */
export { isSecretKeyText } from './secret-key';

/**
 * What the command-line client needs: the orchestrator URL and the access token
 * (BATON_URL/BATON_TOKEN, or orchent's ORCHENT_URL/ORCHENT_TOKEN).
 *
 * @example
 * ```ts
 * import { loadClientConfig } from '@lib/config';
 * const { url, token } = loadClientConfig(); // process.env
 * ```
 */
export { loadClientConfig } from './client-config';
export type { ClientConfig } from './client-config';
