// Compiles off the caller's event loop (issue 8, finding 5): a small pool of worker threads, each
// compiling one template at a time, with a deadline and a heap cap per thread. A template that
// takes too long or too much memory costs its own thread (terminated and replaced) and answers a
// diagnostic; the API's thread keeps answering `/info` and `GET /deployments/{id}` meanwhile.
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { diag } from './diagnostics';
import type { CompileResult } from './model';
import type { CompileOptions } from './options';

export type CompileEntryText = { text: string; file: string } | { file: string };

export interface CompileRequest {
  id: number;
  entry: CompileEntryText;
  options: CompileOptions & { deferMissingInputs?: boolean };
}

export interface CompilePoolOptions {
  /** Worker threads (default 1). */
  threads?: number;
  /** Longest compile, in milliseconds, before its thread is terminated (default 10,000). */
  deadlineMs?: number;
  /** Heap of each thread, in MiB (default 512): a compile that needs more fails alone. */
  maxHeapMb?: number;
  /** Compiles waiting for a thread before new ones are refused (default 64). */
  maxQueued?: number;
}

export interface CompilePool {
  compile(entry: CompileEntryText, options?: CompileRequest['options']): Promise<CompileResult>;
  close(): Promise<void>;
}

// CommonJS on purpose: an eval'd worker has no module resolution of its own. From the sources
// (tests, tsx) the thread registers tsx's require hook first; from the build it loads the .js.
const THREAD_SOURCE = `
const { workerData } = require('node:worker_threads');
if (workerData.tsx) require(workerData.tsx).register();
require(workerData.entry);
`;

interface Task {
  request: CompileRequest;
  resolve(result: CompileResult): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task?: Task;
  timer?: NodeJS.Timeout;
}

const at = (file: string) => ({ path: '', file, line: 1, column: 1 });

/** A pool of compile threads. */
export function createCompilePool(options: CompilePoolOptions = {}): CompilePool {
  const threads = Math.max(1, options.threads ?? 1);
  const deadlineMs = options.deadlineMs ?? 10_000;
  const maxHeapMb = options.maxHeapMb ?? 512;
  const maxQueued = options.maxQueued ?? 64;
  const entry = join(__dirname, `compile-thread${extname(__filename)}`);
  const tsx = extname(__filename) === '.ts' ? createRequire(__filename).resolve('tsx/cjs/api') : undefined;
  const queue: Task[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let closed = false;

  const spawn = (): Slot => {
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { entry, tsx }, resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
    worker.unref();
    const slot: Slot = { worker, ready: false };
    worker.on('message', (message: { id: number; json: string } | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true;
        pump();
        return;
      }
      if (slot.task?.request.id !== message.id) return;
      settle(slot, JSON.parse(message.json) as CompileResult);
    });
    // Out of memory or a crash of the thread: the compile it ran fails alone, a new thread takes over.
    worker.on('error', (error) => replace(slot, diag.compileAborted(at(slot.task?.request.entry.file ?? ''), { reason: error.message })));
    worker.on('exit', () => replace(slot, diag.compileAborted(at(slot.task?.request.entry.file ?? ''), { reason: 'the compile thread stopped' })));
    return slot;
  };

  const settle = (slot: Slot, result: CompileResult): void => {
    const task = slot.task;
    clearTimeout(slot.timer);
    slot.task = undefined;
    slot.timer = undefined;
    task?.resolve(result);
    pump();
  };

  const replace = (slot: Slot, failure: CompileResult['diagnostics'][number]): void => {
    const index = slots.indexOf(slot);
    if (index < 0) return;
    slots.splice(index, 1);
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => undefined);
    void slot.worker.terminate();
    if (slot.task) settle(slot, { diagnostics: [failure] });
    if (!closed) {
      slots.push(spawn());
      pump();
    }
  };

  const pump = (): void => {
    if (closed) return;
    while (slots.length < threads) slots.push(spawn());
    for (const slot of slots) {
      const task = slot.task || !slot.ready ? undefined : queue.shift();
      if (!task) continue;
      slot.task = task;
      slot.timer = setTimeout(() => replace(slot, diag.compileTimeout(at(task.request.entry.file), { ms: deadlineMs })), deadlineMs);
      slot.worker.postMessage(task.request);
    }
  };

  return {
    compile(entryText, compileOptions = {}) {
      if (closed) return Promise.reject(new TypeError('the compile pool is closed'));
      if (queue.length >= maxQueued) return Promise.resolve({ diagnostics: [diag.compileBusy(at(entryText.file), { queued: queue.length })] });
      return new Promise<CompileResult>((resolve) => {
        queue.push({ request: { id: nextId++, entry: entryText, options: compileOptions }, resolve });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const task of queue.splice(0)) task.resolve({ diagnostics: [diag.compileAborted(at(task.request.entry.file), { reason: 'the service is stopping' })] });
      await Promise.all(
        slots.splice(0).map((slot) => {
          slot.worker.removeAllListeners();
          slot.worker.on('error', () => undefined);
          if (slot.task) settle(slot, { diagnostics: [diag.compileAborted(at(slot.task.request.entry.file), { reason: 'the service is stopping' })] });
          return slot.worker.terminate();
        }),
      );
    },
  };
}
