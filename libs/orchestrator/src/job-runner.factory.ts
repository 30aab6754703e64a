// Picks the job runner from configuration: REDIS_URL → BullMQ on Redis; otherwise BullMQ on
// PostgreSQL (DATABASE_URL) or on embedded PGlite (BATON_DATA_DIR).
import { BullmqJobRunner } from './bullmq.job-runner';
import { startEmbeddedQueueDb } from './embedded-queue-db';
import type { JobRunner } from './job-runner.port';

export type JobRunnerConfig =
  | { kind: 'redis'; url: string; prefix?: string }
  | { kind: 'postgres'; url: string; schema?: string }
  | { kind: 'pglite'; dataDir?: string };

/** Opens a JobRunner; `close()` also stops the embedded database it started. */
export async function createJobRunner(config: JobRunnerConfig): Promise<JobRunner> {
  switch (config.kind) {
    case 'redis':
      return new BullmqJobRunner({ kind: 'redis', url: config.url, prefix: config.prefix });
    case 'postgres':
      return new BullmqJobRunner({ kind: 'postgres', pool: { connectionString: config.url, schema: config.schema ?? 'bullmq' } });
    case 'pglite': {
      const db = await startEmbeddedQueueDb({ dataDir: config.dataDir });
      const runner = new BullmqJobRunner({
        kind: 'pglite',
        pool: { host: db.host, port: db.port, user: 'postgres', database: 'postgres', schema: 'public' },
      });
      const close = runner.close.bind(runner);
      runner.close = async () => {
        await close();
        await db.close();
      };
      return runner;
    }
  }
}
