// The embedded queue database: PGlite (real Postgres in WASM) served on a loopback socket so
// BullMQ's PostgreSQL backend (which speaks the wire protocol through `pg`) can use it.
// Findings that shaped this file (bullmq 6.7, pglite 0.5, pglite-socket 0.2):
// - pglite-socket ignores startup parameters, so BullMQ's `-c search_path=<schema>` is lost;
//   the queue must live in schema `public` (a dedicated PGlite instance, so nothing collides).
// - PGlite is one session: pglite-socket runs one connection's transaction at a time, which
//   makes BullMQ's `FOR UPDATE SKIP LOCKED` claims correct, just serialised.
// - LISTEN/NOTIFY wake-ups do not reach other connections; idle workers fall back to polling
//   (drainDelay), about one second of extra latency on an idle queue.
// - PGlite runs its WASM on the thread that calls it, and the queue keeps it busy: it lives in a
//   worker thread of its own, so the API and the steps keep the main thread (and the second core).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface EmbeddedQueueDb {
  host: string;
  port: number;
  close(): Promise<void>;
}

// CommonJS on purpose: an eval'd worker has no module resolution of its own, so the packages
// come in by the absolute paths the main thread resolved.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglite);
const { PGLiteSocketServer } = require(workerData.socket);
(async () => {
  const db = await PGlite.create(workerData.dataDir ? { dataDir: workerData.dataDir } : {});
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 200 });
  await server.start();
  parentPort.on('message', async (message) => {
    if (message !== 'close') return;
    await server.stop();
    await db.close();
    parentPort.postMessage({ closed: true });
  });
  parentPort.postMessage({ listening: server.getServerConn() });
})().catch((error) => parentPort.postMessage({ error: String((error && error.stack) || error) }));
`;

type WorkerMessage = { listening: string } | { closed: true } | { error: string };

/** Starts PGlite (in `dataDir`, or in memory) in a worker thread, served on 127.0.0.1 at a free port. */
export async function startEmbeddedQueueDb(options: { dataDir?: string } = {}): Promise<EmbeddedQueueDb> {
  const resolve = createRequire(__filename).resolve;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { pglite: resolve('@electric-sql/pglite'), socket: resolve('@electric-sql/pglite-socket'), dataDir: options.dataDir },
  });
  const next = () =>
    new Promise<WorkerMessage>((resolveMessage, reject) => {
      const onExit = (code: number) => reject(new Error(`embedded queue database exited (code ${code})`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (message: WorkerMessage) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        resolveMessage(message);
      });
    });
  const first = await next();
  if (!('listening' in first)) {
    await worker.terminate();
    throw new Error(`embedded queue database did not start: ${'error' in first ? first.error : 'closed'}`);
  }
  const [host, port] = first.listening.split(':');
  let closing: Promise<void> | undefined;
  return {
    host,
    port: Number(port),
    close: () =>
      (closing ??= (async () => {
        const closed = next().catch(() => undefined);
        worker.postMessage('close');
        // A data directory must be closed cleanly; a stuck close still ends with the thread.
        await Promise.race([closed, new Promise((r) => setTimeout(r, 10_000).unref())]);
        await worker.terminate();
      })()),
  };
}
