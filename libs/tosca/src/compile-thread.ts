// The body of a compile worker thread (compile-pool.ts): one compile at a time, answered by id.
// compileTemplate never throws (faults are diagnostics), so every request gets its answer.
import { parentPort } from 'node:worker_threads';
import { compileTemplate } from './compile';
import type { CompileRequest } from './compile-pool';

const port = parentPort;
if (port) {
  port.on('message', (request: CompileRequest) => {
    // As JSON text: the structured clone of a large result (a 600,000-key `metadata`) is rebuilt
    // object by object on the receiving thread and held the API's event loop for seconds;
    // JSON.parse of the same text costs about what parsing the request body did.
    void compileTemplate(request.entry, request.options).then((result) => port.postMessage({ id: request.id, json: JSON.stringify(result) }));
  });
  // Loaded: the pool starts deadlines from here, so a thread's start-up is no compile's time.
  port.postMessage({ ready: true });
}
