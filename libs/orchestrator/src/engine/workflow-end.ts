// How a workflow ends (reference §2.2): statuses, resource states, task back to NONE, the
// callback. Shared by finish, the time-out sweep and the undeploy.
import type { DeploymentStatus } from '../domain.types';
import type { DeploymentPatch, DeploymentRow } from '../store.port';
import { DeploymentLog, Redactor } from './deployment-log';
import type { EngineContext } from './engine.context';

export function failedStatusFor(status: DeploymentStatus): DeploymentStatus {
  switch (status) {
    case 'CREATE_IN_PROGRESS':
    case 'CREATE_COMPLETE':
      return 'CREATE_FAILED';
    case 'UPDATE_IN_PROGRESS':
    case 'UPDATE_COMPLETE':
      return 'UPDATE_FAILED';
    case 'DELETE_IN_PROGRESS':
    case 'DELETE_COMPLETE':
      return 'DELETE_FAILED';
    default:
      return 'UNKNOWN';
  }
}

/** Marks the workflow failed with `reason`, cancels its open steps, notifies the callback. */
export async function failDeployment(ctx: EngineContext, row: DeploymentRow, reason: string, extra: DeploymentPatch = {}): Promise<DeploymentRow | null> {
  const status = failedStatusFor(row.status);
  // Reasons quote playbook and cloud errors, which may echo a secret input.
  const redactor = Redactor.forDeployment(row);
  // Resource states before the status, as in finish: whoever reads a terminal status finds them.
  if (status === 'UPDATE_FAILED') await ctx.store.setResourceStates(row.id, 'ERROR', ['STARTED']);
  else await ctx.store.setResourceStates(row.id, 'ERROR');
  const updated = await ctx.store.updateDeployment(row.id, { ...extra, status, statusReason: redactor.redact(reason), task: 'NONE' });
  if (!updated) return null;
  for (const step of await ctx.store.getSteps(row.id, row.generation)) {
    if (step.status === 'pending' || step.status === 'queued') await ctx.store.transitionStep(row.id, row.generation, step.stepId, [step.status], 'cancelled');
  }
  await new DeploymentLog(ctx.store, row.id, redactor, ctx.clock).write(`${status}: ${reason}`);
  ctx.logger.warn('deployment failed', { deployment_id: row.id, status });
  await ctx.notifier.notify(updated);
  return updated;
}
