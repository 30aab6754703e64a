// `baton serve` (`npm start`): the whole service in one process. API, worker, the store
// (PGlite by default, PostgreSQL with DATABASE_URL), the job runner (embedded by default, BullMQ
// on Redis with REDIS_URL) and the cloud (the built-in simulator unless BATON_PROVIDERS names
// real ones), listening on BATON_LISTEN (127.0.0.1:8080), and the web dashboard on
// BATON_DASHBOARD_LISTEN (127.0.0.1:8081) calling this very API.
import type { BatonConfig } from '@lib/config';
import { servedHostNames } from '../../../api/src/http/host-check.middleware';
import { startApi } from '../../../api/src/main';
import { startConfiguredDashboard } from '../../../dashboard/src/main';
import { openEngine, type Engine, type EngineOverrides } from '../../../worker/src/engine.composition';
import { shutDown, startJobWorker, untilSignal, type ClosingStep, type RunningWorker } from '../../../worker/src/main';
import { EXIT_CONFIG, EXIT_USAGE } from './exit-codes';
import { loadStartupConfig } from './startup-config';

const USAGE =
  'usage: baton serve [--no-worker] [--no-dashboard]\n\nRuns API, worker and web dashboard in one process (--no-worker: jobs are left to `baton worker`;\n--no-dashboard: no dashboard, or one of its own with `baton dashboard`);\nconfiguration comes from the environment (libs/config/README.md).\n';

export interface RunningService {
  url: string;
  config: BatonConfig;
  engine: Engine;
  /** Stops taking requests and jobs, waits for running ones (up to the shutdown timeout), closes. */
  close(): Promise<void>;
  /** What `close` does, step by step, for a shutdown under a deadline that names the step it cut. */
  closeSteps: ClosingStep[];
}

export interface ServeOptions {
  /** Run the job worker in this process (default true). */
  worker?: boolean;
  /** Quiet Nest's request-independent logs (tests, bench). */
  quiet?: boolean;
  /** Test and bench seams: clouds, configuration runner, timings. */
  engine?: EngineOverrides;
}

/** Composes and starts the service; the e2e tests and the bench call this very function. */
export async function startServe(config: BatonConfig, options: ServeOptions = {}): Promise<RunningService> {
  const engine = await openEngine(config, options.engine);
  let worker: RunningWorker | undefined;
  try {
    if (options.worker ?? true) worker = await startJobWorker(engine, config);
    const { app, url } = await startApi(
      {
        deployments: engine.deployments,
        authenticator: engine.auth.authenticator,
        delegation: engine.auth.delegatedTokens,
        registry: engine.registry,
        options: {
          version: engine.version,
          startedAt: new Date(),
          endpoints: config.systemEndpoints,
          ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
          // Auth off: only loopback names and our own are served (DNS rebinding).
          ...(config.oidc === null ? { hostNames: servedHostNames(config.listen.host, config.publicUrl) } : {}),
          ready: () => engine.ready(),
        },
      },
      { host: config.listen.host, port: config.listen.port },
      { logger: options.quiet ? ['error', 'fatal'] : ['log', 'warn', 'error', 'fatal'] },
    );
    const closeSteps: ClosingStep[] = [
      ['the HTTP server (requests under way)', () => app.close()],
      ['the worker (running jobs)', async () => worker?.close()],
      ['the store, the queue and the clouds', () => engine.close()],
    ];
    let closing: Promise<void> | undefined;
    return {
      url,
      config,
      engine,
      closeSteps,
      close: () =>
        (closing ??= (async () => {
          for (const [, step] of closeSteps) await step();
        })()),
    };
  } catch (error) {
    await worker?.close();
    await engine.close();
    throw error;
  }
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = argv.filter((a) => a !== '--no-worker' && a !== '--no-dashboard');
  if (unknown.length) {
    process.stderr.write(`baton serve: unknown argument ${unknown[0]}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const config = loadStartupConfig('serve');
  if (typeof config === 'number') return config;
  // --no-worker: the API alone, its jobs left to `baton worker` processes, which can reach them
  // only through a shared database; the embedded store would leave every job waiting forever.
  const worker = !argv.includes('--no-worker');
  if (!worker && !config.databaseUrl) {
    process.stderr.write('baton serve: --no-worker needs DATABASE_URL (and REDIS_URL) shared with `baton worker` processes\n');
    return EXIT_CONFIG;
  }
  const service = await startServe(config, { worker });
  process.stdout.write(`baton listening on ${service.url}\n`);
  // The dashboard calls the API over HTTP, as a browser would, at the address just bound.
  const dashboard = argv.includes('--no-dashboard') ? null : await startConfiguredDashboard(config, service.url);
  if (typeof dashboard === 'string') process.stderr.write(`baton serve: no dashboard: ${dashboard}\n`);
  else if (dashboard) {
    for (const warning of dashboard.warnings) process.stderr.write(`baton serve: catalogue: ${warning}\n`);
    process.stdout.write(`baton dashboard on ${dashboard.url}\n`);
  }
  const signal = await untilSignal(['SIGINT', 'SIGTERM']);
  process.stderr.write(`baton serve: ${signal}, shutting down (at most ${config.shutdownDeadlineMs} ms)\n`);
  const running = dashboard && typeof dashboard !== 'string' ? dashboard : null;
  return shutDown('baton serve', [...(running ? [['the dashboard', () => running.close()] satisfies ClosingStep] : []), ...service.closeSteps], config.shutdownDeadlineMs);
}
