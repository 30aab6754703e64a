// `baton worker` (`npm run start:worker`): a worker alone. It shares the store (DATABASE_URL)
// and the queue (REDIS_URL, else BullMQ on that PostgreSQL) with the API; any number may run, on any host.
import { ConfigError, describeConfig, loadConfig, type BatonConfig } from '@lib/config';
import { openEngine } from '../../../worker/src/engine.composition';
import { startJobWorker, untilSignal } from '../../../worker/src/main';

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: baton worker\n\nRuns a job worker alone; set DATABASE_URL and REDIS_URL to share work with `baton serve`.\n');
    return 0;
  }
  let config: BatonConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`baton worker: invalid configuration\n${error.message}\n`);
      return 78;
    }
    throw error;
  }
  if (!config.databaseUrl) {
    // The embedded store and queue live inside one process: a lone worker would see nothing.
    // With DATABASE_URL the queue is BullMQ on Redis (REDIS_URL) or on that PostgreSQL.
    process.stderr.write('baton worker: set DATABASE_URL (and REDIS_URL) shared with the API; the embedded default runs its worker inside `baton serve`\n');
    return 78;
  }
  for (const warning of config.warnings) process.stderr.write(`\n*** WARNING: ${warning}\n\n`);
  for (const [key, value] of Object.entries(describeConfig(config))) process.stderr.write(`  ${key}: ${value}\n`);
  const engine = await openEngine(config);
  const worker = await startJobWorker(engine, config);
  process.stdout.write(`baton worker running (concurrency ${config.workerConcurrency})\n`);
  const signal = await untilSignal(['SIGINT', 'SIGTERM']);
  process.stderr.write(`baton worker: ${signal}, finishing running jobs (up to ${config.shutdownTimeoutMs} ms)\n`);
  await worker.close();
  await engine.close();
  return 0;
}
