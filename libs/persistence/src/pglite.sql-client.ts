// SqlClient over PGlite: real Postgres compiled to WASM, embedded. PGlite runs its WASM on the
// thread that calls it, and every step of every deployment reads and writes the store: in the
// main thread it would take the event loop from the API and the steps (and leave the second core
// idle). So PGlite lives in a worker thread of its own and this client talks to it by messages.
// One session, so PGlite itself serialises queries and transactions, as it would in-process.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqlClient, SqlExecutor } from './sql-client.port';

export interface PgliteClientOptions {
  /** A directory for durable data; omitted = in memory. */
  dataDir?: string;
}

type Request =
  | { id: number; op: 'query'; sql: string; params: unknown[]; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

/** Omit over each member of a union (plain Omit would merge the members first). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

interface WireError {
  message: string;
  code?: string;
  detail?: string;
  constraint?: string;
}

type Reply = { id: number; rows?: unknown[]; tx?: number; error?: WireError } | { fatal: string };

// CommonJS on purpose: an eval'd worker has no module resolution of its own, so PGlite comes in
// by the absolute path the main thread resolved. A transaction stays open in the worker until
// the main thread ends it: its queries carry the transaction's number.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglite);
const normalise = (row) => {
  for (const key of Object.keys(row)) if (typeof row[key] === 'bigint') row[key] = Number(row[key]);
  return row;
};
const wire = (e) => ({ message: String((e && e.message) || e), code: e && e.code, detail: e && e.detail, constraint: e && e.constraint });
(async () => {
  const db = await PGlite.create(workerData.dataDir ? { dataDir: workerData.dataDir } : {});
  const open = new Map();
  let nextTx = 1;
  parentPort.on('message', async (m) => {
    try {
      if (m.op === 'query') {
        const runner = m.tx ? open.get(m.tx).tx : db;
        const result = await runner.query(m.sql, m.params);
        parentPort.postMessage({ id: m.id, rows: result.rows.map(normalise) });
      } else if (m.op === 'begin') {
        const tx = nextTx++;
        const entry = {};
        const ended = new Promise((resolve) => (entry.end = resolve));
        open.set(tx, entry);
        entry.done = db.transaction(async (t) => {
          entry.tx = t;
          parentPort.postMessage({ id: m.id, tx });
          if (!(await ended)) await t.rollback();
        });
        entry.done.catch((e) => parentPort.postMessage({ id: m.id, error: wire(e) }));
      } else if (m.op === 'end') {
        const entry = open.get(m.tx);
        open.delete(m.tx);
        entry.end(m.commit);
        await entry.done; // committed (or rolled back) before the caller goes on
        parentPort.postMessage({ id: m.id });
      } else if (m.op === 'close') {
        await db.close();
        parentPort.postMessage({ id: m.id });
      }
    } catch (e) {
      parentPort.postMessage({ id: m.id, error: wire(e) });
    }
  });
  parentPort.postMessage({ id: 0 });
})().catch((e) => parentPort.postMessage({ fatal: String((e && e.stack) || e) }));
`;

/** An error PGlite raised in the worker, with its SQLSTATE code as `pg` would give it. */
export class PgliteQueryError extends Error {
  readonly code?: string;
  readonly detail?: string;
  readonly constraint?: string;

  constructor(wire: WireError) {
    super(wire.message);
    this.name = 'PgliteQueryError';
    this.code = wire.code;
    this.detail = wire.detail;
    this.constraint = wire.constraint;
  }
}

export class PgliteSqlClient implements SqlClient {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (reply: Reply & { id: number }) => void; reject: (error: Error) => void }>();
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      if ('fatal' in reply) return this.fail(new Error(`embedded database failed: ${reply.fatal}`));
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      waiter?.resolve(reply);
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`embedded database thread exited (code ${code})`)));
  }

  static async open(options: PgliteClientOptions = {}): Promise<PgliteSqlClient> {
    const pglite = createRequire(__filename).resolve('@electric-sql/pglite');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { pglite, dataDir: options.dataDir } });
    const client = new PgliteSqlClient(worker);
    // The worker says id 0 once PGlite is up (or `fatal` if it could not start).
    await new Promise<void>((resolve, reject) => client.waiting.set(0, { resolve: () => resolve(), reject }));
    return client;
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.call({ op: 'query', sql, params })).rows as T[];
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const { tx } = await this.call({ op: 'begin' });
    const executor: SqlExecutor = {
      query: async <R>(sql: string, params: unknown[] = []) => (await this.call({ op: 'query', sql, params, tx })).rows as R[],
    };
    let result: T;
    try {
      result = await fn(executor);
    } catch (error) {
      await this.call({ op: 'end', tx: tx!, commit: false });
      throw error;
    }
    await this.call({ op: 'end', tx: tx!, commit: true });
    return result;
  }

  async close(): Promise<void> {
    if (!this.failure) await this.call({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }

  private call(request: WithoutId<Request>): Promise<{ rows?: unknown[]; tx?: number }> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, {
        resolve: (reply) => ('error' in reply && reply.error ? reject(new PgliteQueryError(reply.error)) : resolve(reply as { rows?: unknown[]; tx?: number })),
        reject,
      });
      this.worker.postMessage({ ...request, id });
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
  }
}
