// Log and progress streams for SSE. They poll the store (every 500 ms), so they work in any
// process whichever worker does the job, and end when the caller aborts or the row is deleted.
import type { DeploymentEvent, LogLine, StreamOptions } from './deployment-service.port';
import type { DeploymentStore } from './store.port';

const POLL_MS = 500;

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function* logStream(store: DeploymentStore, id: string, options: StreamOptions): AsyncIterable<LogLine> {
  let after = options.afterSeq ?? 0;
  while (!options.signal.aborted) {
    const lines = await store.readLog(id, after, 1000);
    for (const line of lines) {
      after = line.seq;
      yield line;
    }
    if (lines.length === 1000) continue;
    if (!(await store.getDeployment(id))) return;
    await pause(POLL_MS, options.signal);
  }
}

export async function* deploymentEvents(store: DeploymentStore, id: string, options: StreamOptions): AsyncIterable<DeploymentEvent> {
  let lastStatus = '';
  let lastOutputs = '';
  const states = new Map<string, string>();
  let after = options.afterSeq ?? 0;
  while (!options.signal.aborted) {
    const row = await store.getDeployment(id);
    if (!row) {
      yield { kind: 'deleted', deploymentId: id, at: new Date() };
      return;
    }
    // The status goes last in each round: the row is read before the resources, so a
    // terminal status (CREATE_COMPLETE) is never announced ahead of the resource changes
    // that led to it, and a consumer may stop reading at it without missing any.
    for (const r of (await store.listResources(id, {})).rows) {
      if (states.get(r.id) !== r.state) {
        states.set(r.id, r.state);
        yield { kind: 'resource', deploymentId: id, resourceId: r.id, toscaNodeName: r.nodeName, state: r.state, at: r.updatedAt };
      }
    }
    const outputs = JSON.stringify(row.outputs);
    if (outputs !== lastOutputs && Object.keys(row.outputs).length) {
      lastOutputs = outputs;
      yield { kind: 'outputs', deploymentId: id, outputs: row.outputs, at: row.updatedAt };
    }
    for (const line of await store.readLog(id, after, 1000)) {
      after = line.seq;
      yield { kind: 'log', deploymentId: id, line };
    }
    const status = `${row.status}|${row.task}|${row.statusReason ?? ''}`;
    if (status !== lastStatus) {
      lastStatus = status;
      yield { kind: 'status', deploymentId: id, status: row.status, task: row.task, ...(row.statusReason ? { statusReason: row.statusReason } : {}), at: row.updatedAt };
    }
    await pause(POLL_MS, options.signal);
  }
}
