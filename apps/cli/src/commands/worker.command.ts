// `baton worker` (`npm run start:worker`): a worker alone. It shares the store (DATABASE_URL)
// and the queue (REDIS_URL, else BullMQ on that PostgreSQL) with the API; any number may run, on any host.
// With BATON_METRICS_LISTEN it serves its own GET /metrics (step durations, cloud API calls).
import type { BatonConfig } from '@lib/config';
import { collectDefaultMetrics } from 'prom-client';
import { openEngine, type Engine, type EngineOverrides } from '../../../worker/src/engine.composition';
import { shutDown, startJobWorker, untilSignal, type ClosingStep } from '../../../worker/src/main';
import { startMetricsListener, type MetricsListener } from '../../../worker/src/metrics.listener';
import { EXIT_CONFIG } from './exit-codes';
import { loadStartupConfig } from './startup-config';

export interface RunningWorkerProcess {
  engine: Engine;
  /** The worker's /metrics URL, when BATON_METRICS_LISTEN is set. */
  metricsUrl?: string;
  /** Stops taking jobs, waits for running ones (up to the shutdown timeout), closes. */
  close(): Promise<void>;
  /** What `close` does, step by step (see `shutDown`). */
  closeSteps: ClosingStep[];
}

/** Composes and starts a lone worker; the e2e tests call this very function. */
export async function startWorkerProcess(config: BatonConfig, overrides: EngineOverrides = {}): Promise<RunningWorkerProcess> {
  const engine = await openEngine(config, overrides);
  let metrics: MetricsListener | undefined;
  try {
    if (config.metricsListen) {
      collectDefaultMetrics({ register: engine.registry, prefix: 'baton_' });
      metrics = await startMetricsListener(engine.registry, config.metricsListen);
    }
    const worker = await startJobWorker(engine, config);
    const closeSteps: ClosingStep[] = [
      ['the worker (running jobs)', () => worker.close()],
      ['the metrics listener', async () => metrics?.close()],
      ['the store, the queue and the clouds', () => engine.close()],
    ];
    let closing: Promise<void> | undefined;
    return {
      engine,
      ...(metrics ? { metricsUrl: metrics.url } : {}),
      closeSteps,
      close: () =>
        (closing ??= (async () => {
          for (const [, step] of closeSteps) await step();
        })()),
    };
  } catch (error) {
    await metrics?.close();
    await engine.close();
    throw error;
  }
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'usage: baton worker\n\nRuns a job worker alone; set DATABASE_URL and REDIS_URL to share work with `baton serve`,\n' +
        'and BATON_METRICS_LISTEN (host:port) to serve its GET /metrics.\n',
    );
    return 0;
  }
  const config = loadStartupConfig('worker');
  if (typeof config === 'number') return config;
  if (!config.databaseUrl) {
    // The embedded store and queue live inside one process: a lone worker would see nothing.
    // With DATABASE_URL the queue is BullMQ on Redis (REDIS_URL) or on that PostgreSQL.
    process.stderr.write('baton worker: set DATABASE_URL (and REDIS_URL) shared with the API; the embedded default runs its worker inside `baton serve`\n');
    return EXIT_CONFIG;
  }
  const worker = await startWorkerProcess(config);
  process.stdout.write(`baton worker running (concurrency ${config.workerConcurrency})${worker.metricsUrl ? `, metrics on ${worker.metricsUrl}` : ''}\n`);
  const signal = await untilSignal(['SIGINT', 'SIGTERM']);
  process.stderr.write(`baton worker: ${signal}, finishing running jobs (up to ${config.shutdownTimeoutMs} ms; exit within ${config.shutdownDeadlineMs} ms)\n`);
  return shutDown('baton worker', worker.closeSteps, config.shutdownDeadlineMs);
}
