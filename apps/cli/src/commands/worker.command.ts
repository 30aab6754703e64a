// `baton worker` (`npm run start:worker`): a worker alone. It shares the store (DATABASE_URL)
// and the queue (REDIS_URL, else BullMQ on that PostgreSQL) with the API; any number may run, on any host.
import { openEngine } from '../../../worker/src/engine.composition';
import { startJobWorker, untilSignal } from '../../../worker/src/main';
import { EXIT_CONFIG } from './exit-codes';
import { loadStartupConfig } from './startup-config';

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: baton worker\n\nRuns a job worker alone; set DATABASE_URL and REDIS_URL to share work with `baton serve`.\n');
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
  const engine = await openEngine(config);
  const worker = await startJobWorker(engine, config);
  process.stdout.write(`baton worker running (concurrency ${config.workerConcurrency})\n`);
  const signal = await untilSignal(['SIGINT', 'SIGTERM']);
  process.stderr.write(`baton worker: ${signal}, finishing running jobs (up to ${config.shutdownTimeoutMs} ms)\n`);
  await worker.close();
  await engine.close();
  return 0;
}
