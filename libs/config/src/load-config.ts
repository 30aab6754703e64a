// loadConfig(): the one place that reads the environment (STYLE.md rule 19). Every variable is
// checked before anything fails, so the ConfigError names all bad variables together.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LOG_LEVELS, SYSTEM_ENDPOINT_KEYS, type BatonConfig, type ListenAddress, type SystemEndpointKey, type WorkLimits } from './config.types';
import { tmpdir } from 'node:os';
import { readArtifactConfig } from './artifact-config';
import { EnvReader } from './env-reader';
import { ConfigError } from './errors';
import { readOidcConfig } from './oidc-config';
import { resolveSecretKey } from './secret-key';
import { readCallbackConfig, readReadRule, readShutdownDeadline } from './security-config';

const MEMORY = 'memory://';

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): BatonConfig {
  const r = new EnvReader(env);
  const warnings: string[] = [];

  const listen = r.listen('BATON_LISTEN', '127.0.0.1:8080');
  const dashboardListen = r.listen('BATON_DASHBOARD_LISTEN', '127.0.0.1:8081');
  // Metrics carry no deployment data nor secrets (counts, durations, label values such as job and
  // operation names), so, like the API's public /metrics, they may listen beyond loopback without auth.
  const metricsListen = r.raw('BATON_METRICS_LISTEN') === undefined ? null : r.listen('BATON_METRICS_LISTEN', '');
  const databaseUrl = r.url('DATABASE_URL', ['postgres', 'postgresql'], 'postgres://user:password@host:5432/db')?.href ?? null;
  const rawDataDir = r.raw('BATON_DATA_DIR') ?? './.baton/data';
  const inMemory = rawDataDir === MEMORY;
  const dataDir = inMemory ? MEMORY : resolve(rawDataDir);
  const redisUrl = r.url('REDIS_URL', ['redis', 'rediss'], 'redis://host:6379 or rediss://...')?.href ?? null;

  const providers = r.raw('BATON_PROVIDERS');
  let providersFile: string | null = null;
  if (providers !== undefined) {
    providersFile = resolve(providers);
    if (!existsSync(providersFile)) r.fail('BATON_PROVIDERS', 'the path of a providers YAML file', `${providersFile} does not exist`);
  }

  const templates = r.raw('BATON_TEMPLATES_DIR');
  let templatesDir: string | null = null;
  if (templates !== undefined) {
    templatesDir = resolve(templates);
    if (!existsSync(templatesDir) || !statSync(templatesDir).isDirectory()) {
      r.fail('BATON_TEMPLATES_DIR', 'the folder of ready templates and the playbooks they name', `${templatesDir} is not a folder`);
    }
  }

  const oidc = readOidcConfig(r);
  if (oidc === null) {
    refuseWithoutAuth(r, 'BATON_LISTEN', listen);
    refuseWithoutAuth(r, 'BATON_DASHBOARD_LISTEN', dashboardListen);
    warnings.push(
      'AUTHENTICATION IS OFF: BATON_OIDC_ISSUERS is not set, so every caller is the one local user. ' +
        'Listening on loopback only. Set BATON_OIDC_ISSUERS before exposing this service.',
    );
  } else {
    if (oidc.audience === null) warnings.push('BATON_OIDC_AUDIENCE is not set: access tokens minted for any audience are accepted.');
    if (oidc.clientId === null) {
      warnings.push(
        'BATON_OIDC_CLIENT_ID is not set: no token exchange, so clouds reached with the user token (Keystone federation) ' +
          'fail once the caller token expires, and the dashboard cannot log users in.',
      );
    }
  }

  const secret = resolveSecretKey(r, { dataDir, inMemory, databaseUrl });
  if (secret.secretKeySource === 'ephemeral') {
    warnings.push('BATON_DATA_DIR is memory://: deployments and secrets are lost when the process exits.');
  }

  const publicUrl = r.url('BATON_PUBLIC_URL', ['http', 'https'], 'the external base URL, e.g. https://host/orchestrator');
  const dashboardPublic = r.url('BATON_DASHBOARD_PUBLIC_URL', ['http', 'https'], 'the dashboard base URL, e.g. https://host/dashboard');
  const dashboardApi = r.url('BATON_DASHBOARD_API_URL', ['http', 'https'], 'the API base URL, e.g. http://127.0.0.1:8080');

  // Advertised as given (a trailing `/` or a path is the operator's choice), once checked as URLs.
  const systemEndpoints: Partial<Record<SystemEndpointKey, string>> = {};
  for (const key of SYSTEM_ENDPOINT_KEYS) {
    const name = `BATON_${key.toUpperCase()}`;
    if (r.url(name, ['http', 'https'], `the ${key} of GET /configuration, an http(s) URL`)) systemEndpoints[key] = r.raw(name)!;
  }

  const shutdownTimeoutMs = r.integer('BATON_SHUTDOWN_TIMEOUT_MS', 30_000, 0, 3_600_000);
  const workerConcurrency = r.integer('BATON_WORKER_CONCURRENCY', 8, 1, 1000);
  const config: BatonConfig = {
    listen,
    databaseUrl,
    dataDir,
    inMemory,
    redisUrl,
    providersFile,
    templatesDir,
    oidc,
    secretKey: secret.secretKey,
    secretKeySource: secret.secretKeySource,
    metricsListen,
    limits: readWorkLimits(r, workerConcurrency),
    workerConcurrency,
    logLevel: r.oneOf('BATON_LOG_LEVEL', LOG_LEVELS, 'info'),
    publicUrl: publicUrl ? stripSlash(publicUrl.href) : null,
    systemEndpoints,
    callbackTimeoutMs: r.integer('BATON_CALLBACK_TIMEOUT_MS', 10_000, 100, 600_000),
    callbacks: readCallbackConfig(r),
    readRule: readReadRule(r),
    httpTimeoutMs: r.integer('BATON_HTTP_TIMEOUT_MS', 30_000, 100, 600_000),
    shutdownTimeoutMs,
    shutdownDeadlineMs: readShutdownDeadline(r, shutdownTimeoutMs),
    dashboardListen,
    dashboardApiUrl: dashboardApi ? stripSlash(dashboardApi.href) : urlOf(listen),
    dashboardPublicUrl: dashboardPublic ? stripSlash(dashboardPublic.href) : urlOf(dashboardListen),
    warnings,
    artifacts: readArtifactConfig(r, dataDir, inMemory, tmpdir()),
  };
  if (r.issues.length > 0) throw ConfigError.fromIssues(r.issues);
  return deepFreeze(config);
}

/** Defaults sized for one 2-core machine: the largest real template is about 40 KB and 20 nodes. */
function readWorkLimits(r: EnvReader, workerConcurrency: number): WorkLimits {
  return {
    maxTemplateBytes: r.integer('BATON_MAX_TEMPLATE_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    maxTemplateNodes: r.integer('BATON_MAX_TEMPLATE_NODES', 100_000, 100, 10_000_000),
    maxNodeTemplates: r.integer('BATON_MAX_NODE_TEMPLATES', 500, 1, 100_000),
    maxInstances: r.integer('BATON_MAX_INSTANCES', 1_000, 1, 1_000_000),
    maxInstancesPerOwner: r.integer('BATON_MAX_INSTANCES_PER_OWNER', 5_000, 1, 10_000_000),
    maxDiagnostics: r.integer('BATON_MAX_DIAGNOSTICS', 200, 1, 100_000),
    compileThreads: r.integer('BATON_COMPILE_THREADS', 1, 1, 64),
    compileTimeoutMs: r.integer('BATON_COMPILE_TIMEOUT_MS', 10_000, 100, 600_000),
    // As many steps of one deployment queued as a worker runs at once: a newcomer waits for one round of each busy deployment.
    deploymentStepWindow: r.integer('BATON_DEPLOYMENT_STEP_WINDOW', workerConcurrency, 1, 100_000),
  };
}

function refuseWithoutAuth(r: EnvReader, name: string, address: ListenAddress): void {
  if (!address.loopback) {
    r.fail(name, 'a loopback address (127.0.0.1, ::1, localhost) while auth is off', 'refusing to listen beyond loopback without auth: set BATON_OIDC_ISSUERS');
  }
}

function urlOf(a: ListenAddress): string {
  const host = a.host === '0.0.0.0' ? '127.0.0.1' : a.host === '::' ? '::1' : a.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${a.port}`;
}

function stripSlash(href: string): string {
  return href.replace(/\/+$/, '');
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
