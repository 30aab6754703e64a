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

/** One step of a shutdown: what it closes (for the message when the deadline cuts it) and how. */
export type ClosingStep = [what: string, close: () => Promise<unknown>];

/**
 * Runs `steps` in order after a stop signal, bounded by `deadlineMs` (BATON_SHUTDOWN_DEADLINE_MS):
 * a store or queue that never answers, or a request that never ends, would otherwise keep the
 * process alive after SIGTERM until the orchestrator kills it. At the deadline, or at a second
 * signal, it says which step had not finished and exits (1, or 130 for the second signal):
 * whatever was left open still holds the event loop, so returning would not end the process.
 * Resolves with 0 when every step finished in time.
 */
export async function shutDown(who: string, steps: ClosingStep[], deadlineMs: number): Promise<number> {
  let current = 'nothing';
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      process.stderr.write(`${who}: the shutdown deadline of ${deadlineMs} ms (BATON_SHUTDOWN_DEADLINE_MS) passed while closing ${current}; exiting\n`);
      resolve(1);
    }, deadlineMs);
  });
  const again = untilSignal(['SIGINT', 'SIGTERM']).then((signal) => {
    process.stderr.write(`${who}: ${signal} again while closing ${current}; exiting now\n`);
    return 130;
  });
  const done = (async () => {
    for (const [what, close] of steps) {
      current = what;
      await close();
    }
    return 0;
  })();
  const code = await Promise.race([done, late, again]);
  clearTimeout(timer);
  if (code !== 0) process.exit(code);
  return 0;
}
