// The typed, validated configuration of one baton process. Built once by loadConfig() and frozen.
// Field names are the ones the other libs code against (e.g. libs/persistence reads
// `databaseUrl`, `dataDir`, `secretKey`); README.md maps each to its environment variable.

/** Log levels, most to least severe. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A parsed `host:port` (IPv6 hosts without brackets, e.g. `::1`). */
export interface ListenAddress {
  host: string;
  /** 0 = any free port (tests). */
  port: number;
  /** True for 127.0.0.0/8, ::1 and `localhost`. */
  loopback: boolean;
}

/** How our client authenticates at the issuer's token endpoint. */
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

/** The admin group of one issuer (`issuer: null` = the group is admin on every issuer). */
export interface AdminGroupRule {
  issuer: string | null;
  group: string;
}

/** OpenID Connect settings; present only when BATON_OIDC_ISSUERS is set. */
export interface OidcConfig {
  /** The allow-list: exact `iss` values (an IAM issuer usually ends with `/`). */
  issuers: readonly string[];
  /** Required `aud` of access tokens; null = not checked. */
  audience: string | null;
  adminGroups: readonly AdminGroupRule[];
  /** Our client at the issuer, for RFC 8693 token exchange and the dashboard login. */
  clientId: string | null;
  clientSecret: string | null;
  /** BATON_OIDC_CLIENT_AUTH_METHOD: HTTP Basic (default) or form fields. */
  clientAuthMethod: ClientAuthMethod;
  /** Scopes asked for in token exchange (reference §3.1 `orchestrator.scopes`). */
  exchangeScopes: readonly string[];
  /** Tolerance on `exp`/`nbf`/`iat`, seconds. */
  clockSkewSeconds: number;
  /** How long a fetched JWKS is trusted before it is fetched again, ms. */
  jwksCacheMs: number;
}

/**
 * The keys of GET /configuration (the reference's SystemEndpoints, snake_case). Each is set by
 * `BATON_` + the key in upper case, e.g. BATON_MONITORING_URL for `monitoring_url`.
 */
export const SYSTEM_ENDPOINT_KEYS = ['cpr_url', 'slam_url', 'cmdb_url', 'im_url', 'monitoring_url', 'vault_url', 'rucio_url'] as const;
export type SystemEndpointKey = (typeof SYSTEM_ENDPOINT_KEYS)[number];

/**
 * Who may read a deployment, its template, resources and outputs (GET). `issuer`: any user of
 * the deployment's issuer (the reference's rule); `owner`: its owner, members of its userGroup
 * and admins of its issuer. Writes, the log and the event streams are the owner's in both.
 */
export const READ_RULES = ['issuer', 'owner'] as const;
export type ReadRule = (typeof READ_RULES)[number];

/** Where deployment callbacks may be POSTed. */
export interface CallbackConfig {
  /** BATON_CALLBACK_HOSTS: host names, `*.domain` patterns or addresses, lower case; null = any host. */
  hosts: readonly string[] | null;
  /** BATON_CALLBACK_PRIVATE_NETWORKS: CIDRs (or addresses) of non-public ranges callbacks may reach. */
  privateNetworks: readonly string[];
}

/** Where BATON_SECRET_KEY came from. */
export type SecretKeySource = 'env' | 'data-dir' | 'ephemeral';

/**
 * Bounds of the work one request may cause (issue 8), with defaults that keep one machine
 * answering: the compiler's bounds, where compiles run, and the engine's per-deployment bounds.
 */
export interface WorkLimits {
  /** BATON_MAX_TEMPLATE_BYTES: largest template accepted. */
  maxTemplateBytes: number;
  /** BATON_MAX_TEMPLATE_NODES: most YAML nodes (keys, values, items) in a template. */
  maxTemplateNodes: number;
  /** BATON_MAX_NODE_TEMPLATES: most node templates in a template. */
  maxNodeTemplates: number;
  /** BATON_MAX_INSTANCES: most node instances (and relationships between them) of one deployment. */
  maxInstances: number;
  /** BATON_MAX_INSTANCES_PER_OWNER: most node instances one owner holds across live deployments. */
  maxInstancesPerOwner: number;
  /** BATON_MAX_DIAGNOSTICS: most diagnostics in one answer; one final diagnostic counts the rest. */
  maxDiagnostics: number;
  /** BATON_COMPILE_THREADS: worker threads that compile templates off the event loop. */
  compileThreads: number;
  /** BATON_COMPILE_TIMEOUT_MS: the deadline of one compile. */
  compileTimeoutMs: number;
  /** BATON_DEPLOYMENT_STEP_WINDOW: steps of one deployment queued or running at once (fairness). */
  deploymentStepWindow: number;
}

/** The whole configuration of a baton process (frozen). */
export interface BatonConfig {
  /** BATON_LISTEN: the API's address. */
  listen: ListenAddress;
  /** DATABASE_URL: PostgreSQL; null = embedded PGlite in `dataDir`. */
  databaseUrl: string | null;
  /** BATON_DATA_DIR: PGlite data dir and the generated secret key; `memory://` keeps all in memory. */
  dataDir: string;
  /** True when `dataDir` is `memory://` (nothing survives the process). */
  inMemory: boolean;
  /** REDIS_URL: BullMQ on Redis; null = the in-process job runner. */
  redisUrl: string | null;
  /** BATON_PROVIDERS: path of the providers YAML; null = the built-in simulated cloud. */
  providersFile: string | null;
  /**
   * BATON_TEMPLATES_DIR: the folder of ready templates. The dashboard's catalogue lists its
   * `*.yaml`; operation implementations (playbooks) resolve inside it, as the ready templates'
   * `artifacts/...` do. null = the bundled `templates/` folder.
   */
  templatesDir: string | null;
  /** OIDC settings; null = no auth (loopback only, one local user). */
  oidc: OidcConfig | null;
  /** BATON_SECRET_KEY: base64 of 32 bytes, the AES-256-GCM key for secrets at rest. */
  secretKey: string;
  secretKeySource: SecretKeySource;
  /**
   * BATON_METRICS_LISTEN: where `baton worker` serves GET /metrics (its step durations and cloud
   * API calls, which only that process records); null = no listener. `baton serve` ignores it:
   * its metrics are on the API's /metrics.
   */
  metricsListen: ListenAddress | null;
  /** Bounds of the work one request may cause. */
  limits: WorkLimits;
  /** BATON_WORKER_CONCURRENCY: jobs a worker runs at once. */
  workerConcurrency: number;
  /** BATON_LOG_LEVEL. */
  logLevel: LogLevel;
  /** BATON_PUBLIC_URL: the external base URL (behind a proxy); null = from the request. */
  publicUrl: string | null;
  /** BATON_CPR_URL ... BATON_RUCIO_URL: the URLs GET /configuration advertises; unset ones are absent. */
  systemEndpoints: Readonly<Partial<Record<SystemEndpointKey, string>>>;
  /** BATON_CALLBACK_TIMEOUT_MS: time-out of the deployment callback POST. */
  callbackTimeoutMs: number;
  /** BATON_CALLBACK_HOSTS and BATON_CALLBACK_PRIVATE_NETWORKS. */
  callbacks: CallbackConfig;
  /** BATON_READ_RULE: who may read a deployment (default `issuer`, the reference's rule). */
  readRule: ReadRule;
  /** BATON_HTTP_TIMEOUT_MS: time-out of outbound HTTP calls (issuer, clouds) per request. */
  httpTimeoutMs: number;
  /** BATON_SHUTDOWN_TIMEOUT_MS: how long SIGTERM waits for running jobs before exiting. */
  shutdownTimeoutMs: number;
  /** BATON_SHUTDOWN_DEADLINE_MS: after SIGTERM the process exits within this, closed or not. */
  shutdownDeadlineMs: number;
  /** BATON_DASHBOARD_LISTEN: the dashboard's address. */
  dashboardListen: ListenAddress;
  /** BATON_DASHBOARD_API_URL: the API the dashboard calls; default from BATON_LISTEN. */
  dashboardApiUrl: string;
  /** BATON_DASHBOARD_PUBLIC_URL: the dashboard's external base URL (login redirect URI base). */
  dashboardPublicUrl: string;
  /** Things the process must print loudly at start (e.g. auth disabled). Never secrets. */
  warnings: readonly string[];
  /** Remote artifacts, roles and the playbook executor (artifact-config.ts). */
  artifacts: ArtifactConfig;
}

export interface ArtifactConfig {
  /** BATON_ARTIFACT_ALLOW: URL prefixes remote artifacts may be fetched from (default: INDIGO and INFN tosca-types). */
  allow: readonly string[];
  /** BATON_ARTIFACT_MIRRORS: URL-prefix=local-folder; a URL under a prefix is read from the folder, never fetched. */
  mirrors: ReadonlyArray<{ prefix: string; dir: string }>;
  /** BATON_ARTIFACT_MAX_BYTES (default 10 MiB) and BATON_ARTIFACT_TIMEOUT_MS (default 30 s), per file. */
  maxBytes: number;
  timeoutMs: number;
  /** BATON_ARTIFACT_CACHE_DIR: fetched files by digest, and ansible-galaxy installs (default BATON_DATA_DIR/artifacts). */
  cacheDir: string;
  /** BATON_ROLES_PATH: colon-separated role folders holding NAME/ or NAME,VERSION/. */
  rolesPath: readonly string[];
  /** BATON_ROLE_OVERRIDES: NAME[,VERSION]=folder;...: a role replaced by the operator's, logged whenever used. */
  roleOverrides: Readonly<Record<string, string>>;
  /** BATON_ANSIBLE_GALAXY: install roles no folder holds with ansible-galaxy (on|off, default on). */
  galaxy: boolean;
  /** BATON_ANSIBLE_EXECUTOR: auto (per operation), runner or ansible-playbook (forced). */
  executor: 'auto' | 'runner' | 'ansible-playbook';
  /** BATON_ANSIBLE_SANDBOX: confine ansible-playbook with bubblewrap (on|off, default on). */
  sandbox: boolean;
}
