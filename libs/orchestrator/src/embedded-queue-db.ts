// The embedded queue database: PGlite (real Postgres in WASM) served on a loopback socket so
// BullMQ's PostgreSQL backend (which speaks the wire protocol through `pg`) can use it.
// Findings that shaped this file (bullmq 6.7, pglite 0.5, pglite-socket 0.2):
// - pglite-socket ignores startup parameters, so BullMQ's `-c search_path=<schema>` is lost;
//   the queue must live in schema `public` (a dedicated PGlite instance, so nothing collides).
// - PGlite is one session: pglite-socket runs one connection's transaction at a time, which
//   makes BullMQ's `FOR UPDATE SKIP LOCKED` claims correct, just serialised.
// - LISTEN/NOTIFY wake-ups do not reach other connections; idle workers fall back to polling
//   (drainDelay), about one second of extra latency on an idle queue.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedQueueDb {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** Starts PGlite (in `dataDir`, or in memory) and serves it on 127.0.0.1 at a free port. */
export async function startEmbeddedQueueDb(options: { dataDir?: string } = {}): Promise<EmbeddedQueueDb> {
  const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 200 });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  return {
    host,
    port: Number(port),
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}
