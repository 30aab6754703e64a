// The worker process: takes jobs from the queue and runs them with the engine's handlers. It
// runs inside `baton serve` (embedded default) or alone (`baton worker`, any number, any host,
// with DATABASE_URL and REDIS_URL shared with the API).
import type { BatonConfig } from '@lib/config';
import type { Engine } from './engine.composition';

export interface RunningWorker {
  /** Stops taking jobs; running ones get the shutdown timeout to finish, then their signal aborts. */
  close(): Promise<void>;
}

export async function startJobWorker(engine: Engine, config: BatonConfig): Promise<RunningWorker> {
  const worker = await engine.startWorker({ concurrency: config.workerConcurrency });
  let closing: Promise<void> | undefined;
  return { close: () => (closing ??= worker.close(config.shutdownTimeoutMs)) };
}

/** Resolves on the first of `signals`, so long-running commands can close cleanly. */
export function untilSignal(signals: NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals): void => {
      for (const s of signals) process.off(s, handler);
      resolve(signal);
    };
    for (const s of signals) process.on(s, handler);
  });
}
