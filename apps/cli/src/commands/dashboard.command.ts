// `baton dashboard`: the web dashboard in a process of its own (BATON_DASHBOARD_LISTEN), calling
// the API at BATON_DASHBOARD_API_URL; for a service run as `baton serve --no-dashboard`.
import { startConfiguredDashboard } from '../../../dashboard/src/main';
import { untilSignal } from '../../../worker/src/main';
import { EXIT_CONFIG, EXIT_USAGE } from './exit-codes';
import { loadStartupConfig } from './startup-config';

const USAGE = 'usage: baton dashboard\n\nRuns the web dashboard alone; configuration comes from the environment (libs/config/README.md).\n';

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (argv.length > 0) {
    process.stderr.write(`baton dashboard: unknown argument ${argv[0]}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const config = loadStartupConfig('dashboard');
  if (typeof config === 'number') return config;
  const dashboard = await startConfiguredDashboard(config);
  if (typeof dashboard === 'string') {
    process.stderr.write(`baton dashboard: ${dashboard}\n`);
    return EXIT_CONFIG;
  }
  for (const warning of dashboard.warnings) process.stderr.write(`baton dashboard: catalogue: ${warning}\n`);
  process.stdout.write(`baton dashboard on ${dashboard.url} (API ${config.dashboardApiUrl})\n`);
  const signal = await untilSignal(['SIGINT', 'SIGTERM']);
  process.stderr.write(`baton dashboard: ${signal}, shutting down\n`);
  await dashboard.close();
  return 0;
}
