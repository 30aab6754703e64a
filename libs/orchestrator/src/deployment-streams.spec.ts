import { describe, expect, it } from 'vitest';
import type { DeploymentEvent } from './deployment-service.port';
import { deploymentEvents } from './deployment-streams';
import type { DeploymentRow, DeploymentStore, ResourceRow } from './store.port';

// A store caught in the state a poller sees when a whole deployment finished between two
// polls: the row says CREATE_COMPLETE and every resource is STARTED.
function finishedStore(): DeploymentStore {
  const at = new Date('2026-01-01T00:00:00Z');
  const row = { id: 'd1', status: 'CREATE_COMPLETE', task: 'NONE', statusReason: null, outputs: { url: 'http://x' }, updatedAt: at } as unknown as DeploymentRow;
  const resource = { id: 'r1', nodeName: 'web', state: 'STARTED', updatedAt: at } as unknown as ResourceRow;
  const store: Partial<DeploymentStore> = {
    getDeployment: () => Promise.resolve(row),
    listResources: () => Promise.resolve({ rows: [resource], total: 1 }),
    readLog: (_id, after) => Promise.resolve(after === 0 ? [{ seq: 1, at, text: 'done' }] : []),
  };
  return store as DeploymentStore;
}

describe('deploymentEvents', () => {
  it('announces resource changes, outputs and log lines of a round before its terminal status', async () => {
    const abort = new AbortController();
    const kinds: string[] = [];
    for await (const e of deploymentEvents(finishedStore(), 'd1', { signal: abort.signal }) as AsyncIterable<DeploymentEvent>) {
      kinds.push(e.kind);
      if (e.kind === 'status') break; // what a client waiting for completion does
    }
    abort.abort();
    expect(kinds).toEqual(['resource', 'outputs', 'log', 'status']);
  });
});
