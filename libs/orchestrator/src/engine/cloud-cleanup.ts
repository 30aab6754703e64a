// Deletes recorded cloud objects in reverse dependency order. Used by undeploy, by the cleaning
// of a failed provider attempt and by scale-in. Objects still `pending` (recorded, create maybe
// sent) are looked up by name first, so a crash between create and record leaks nothing.
import type { CloudSession } from '../cloud.port';
import type { CloudResourceRow, DeploymentStore } from '../store.port';
import { deletionWaves } from './delete-order';

export interface CleanupResult {
  deleted: number;
  /** What could not be deleted, one line each (kind, name, id, error). */
  left: string[];
}

export async function deleteCloudObjects(store: DeploymentStore, session: CloudSession, rows: CloudResourceRow[]): Promise<CleanupResult> {
  const result: CleanupResult = { deleted: 0, left: [] };
  for (const wave of deletionWaves(rows.filter((r) => r.status !== 'deleted'))) {
    await Promise.all(
      wave.map(async (row) => {
        try {
          const id = row.cloudId ?? (await session.find(row.kind, row.name, { deploymentId: row.deploymentId }))?.id;
          if (id) await session.delete(row.kind, id);
          await store.markCloudResource(row.id, { status: 'deleted' });
          result.deleted++;
        } catch (error) {
          result.left.push(`${row.kind} ${row.name}${row.cloudId ? ` (${row.cloudId})` : ''}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
  }
  return result;
}
