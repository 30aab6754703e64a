// `node dist/apps/dashboard/src/main.js` (or `npm run start:dashboard`): the dashboard alone,
// configured like the rest of baton (BATON_DASHBOARD_*, BATON_OIDC_*; libs/config/README.md).
import { ConfigError, loadConfig } from '@lib/config';
import { createAuthKit } from '@lib/auth';
import { startDashboard } from './dashboard.server';

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
  // The dashboard delegates nothing (the API does), so no refresh-token store or sealer.
  const kit = createAuthKit(config);
  const running = await startDashboard({
    listen: config.dashboardListen,
    publicUrl: config.dashboardPublicUrl,
    apiUrl: config.dashboardApiUrl,
    issuer: config.oidc?.issuers[0] ?? null,
    login: kit.login,
    httpTimeoutMs: config.httpTimeoutMs,
  });
  process.stdout.write(`baton dashboard on ${running.url} (API ${config.dashboardApiUrl})\n`);
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return 0;
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
