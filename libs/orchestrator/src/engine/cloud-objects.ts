// The record-then-create discipline (issue 5): a cloud object is written to the store under
// its deterministic name BEFORE the create call and marked with its id after. A retried step
// finds it by name (store first, then the cloud), so it never creates a second one (rule 17).
import type { CloudSession } from '../cloud.port';
import { OrchestratorError } from '../errors';
import type { CloudResourceKind, DeploymentStore } from '../store.port';

export interface ObjectRef {
  deploymentId: string;
  provider: string;
  kind: CloudResourceKind;
  name: string;
  instanceId: string | null;
}

/** Thrown when a newer workflow (update, delete) superseded the one doing the work. */
export class StaleWorkflowError extends OrchestratorError {
  constructor(deploymentId: string) {
    super('state_conflict', `workflow of deployment ${deploymentId} was superseded`);
  }
}

export async function ensureCloudObject(
  store: DeploymentStore,
  session: CloudSession,
  ref: ObjectRef,
  stillCurrent: () => Promise<boolean>,
  create: () => Promise<{ id: string }>,
): Promise<string> {
  const row = await store.recordCloudResource(ref);
  if (row.cloudId && row.status === 'created') return row.cloudId;
  // Only a row an earlier attempt recorded can stand for an object that attempt created; a
  // fresh row saves the look-up (a name-filtered list, which real clouds answer slowly).
  const found = row.fresh ? null : await session.find(ref.kind, ref.name, { deploymentId: ref.deploymentId });
  if (found) {
    await store.markCloudResource(row.id, { cloudId: found.id, status: 'created' });
    return found.id;
  }
  if (row.status === 'deleted') await store.markCloudResource(row.id, { status: 'pending' });
  // Checked after recording: an undeploy that started meanwhile either sees our row, or we see it.
  if (!(await stillCurrent())) throw new StaleWorkflowError(ref.deploymentId);
  const { id } = await create();
  await store.markCloudResource(row.id, { cloudId: id, status: 'created' });
  return id;
}

/**
 * Short, stable prefix for cloud names: `baton-<last 12 hex of the deployment id>`. The tail,
 * not the head: deployment ids are time-ordered, and their first 8 hex digits are the same for
 * every deployment made in the same minute (their key pairs and networks would collide).
 */
export function namePrefix(deploymentId: string): string {
  return `baton-${deploymentId.replace(/-/g, '').slice(-12)}`;
}
