// `baton dashboard` (or `npm run start:dashboard`): the dashboard alone, configured like the rest
// of baton (BATON_DASHBOARD_*, BATON_OIDC_*; libs/config/README.md). `baton serve` starts it too,
// in its own process, through startConfiguredDashboard.
import { existsSync, readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, type BatonConfig } from '@lib/config';
import { createAuthKit } from '@lib/auth';
import { startDashboard, type RunningDashboard } from './dashboard.server';

/**
 * The dashboard as the configuration says, calling the API at `apiUrl` (default
 * BATON_DASHBOARD_API_URL). Null, with the reason, when it cannot log users in: an issuer
 * without a client (BATON_OIDC_CLIENT_ID) to log in as.
 */
export async function startConfiguredDashboard(config: BatonConfig, apiUrl = config.dashboardApiUrl): Promise<RunningDashboard | string> {
  // The dashboard delegates nothing (the API does), so no refresh-token store or sealer.
  const kit = createAuthKit(config);
  const issuer = config.oidc?.issuers[0] ?? null;
  if (issuer !== null && kit.login === null) return 'set BATON_OIDC_CLIENT_ID (and its secret) for the dashboard to log users in';
  return startDashboard({
    listen: config.dashboardListen,
    publicUrl: config.dashboardPublicUrl,
    apiUrl,
    issuer,
    login: kit.login,
    templatesDir: config.templatesDir ?? bundledTemplatesDir(),
    httpTimeoutMs: config.httpTimeoutMs,
    adminGroups: config.oidc?.adminGroups ?? [],
    providers: providerNames(config.providersFile),
    sshKeysFile: config.dataDir.startsWith('memory://') ? null : join(config.dataDir, 'dashboard-ssh-keys.json'),
  });
}

/** Starts the dashboard from the environment; resolves with the process exit code on failure. */
export async function runDashboard(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 78;
    }
    throw e;
  }
  for (const warning of config.warnings) process.stderr.write(`WARNING: ${warning}\n`);
  const running = await startConfiguredDashboard(config);
  if (typeof running === 'string') {
    process.stderr.write(`baton dashboard: ${running}\n`);
    return 78;
  }
  process.stdout.write(`baton dashboard on ${running.url} (API ${config.dashboardApiUrl})\n`);
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return 0;
}

/** The names of the providers file's entries (the orchestrator has checked the file at its own start). */
function providerNames(file: string | null): string[] {
  if (!file) return [];
  try {
    const doc = load(readFileSync(file, 'utf8')) as { providers?: { name?: unknown }[] } | null;
    return (doc?.providers ?? []).map((p) => p.name).filter((n): n is string => typeof n === 'string');
  } catch {
    return [];
  }
}

/** The repo's `templates/`, from source (apps/dashboard/src) and from the build (dist/apps/dashboard/src) alike. */
function bundledTemplatesDir(): string {
  const candidates = [resolve(__dirname, '../../../templates'), resolve(__dirname, '../../../../templates')];
  return candidates.find((dir) => existsSync(resolve(dir, 'virtual-machines.yaml'))) ?? candidates[0];
}

if (require.main === module) {
  runDashboard().then(
    (code) => {
      if (code !== 0) process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`baton dashboard: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
