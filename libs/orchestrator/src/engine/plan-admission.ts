// What a planned deployment must pass before it is stored and anything is enqueued (issue 8), as
// plan checks of workflow/plan-checks.ts plus the owner's bound: every operation's implementation
// is a playbook the runner can read (checked here, not after servers were made), at least one
// provider's configured quota can hold the servers, and the owner stays within their instances.
import type { OperationModel } from '@lib/tosca';
import type { CloudProvider } from '../cloud.port';
import type { ConfigurationRunner } from '../configuration-runner.port';
import type { OwnerRef } from '../domain.types';
import { PlanRejectedError, type PlanProblem } from '../errors';
import type { PlanCheck } from '../workflow/plan-checks';
import type { EngineContext } from './engine.context';
import { quotaNeeds, quotaShortfalls } from './provider-ranking';

/** The playbook an operation runs: its artifact's resolved location, else the implementation as written. */
export function playbookOf(op: OperationModel): string {
  return op.artifact?.resolvedLocation ?? op.implementation ?? '';
}

/**
 * The one check of operation implementations before anything runs: the runner says whether it
 * can read each playbook (the playbook runner: a path inside its artifacts folder that exists,
 * symlinks resolved; a URL is refused until artifact sources are allow-listed). Runners without
 * `checkPlaybook` accept everything. Problems name node and operation.
 */
export function implementationCheck(runner: ConfigurationRunner): PlanCheck {
  return {
    name: 'implementations',
    check({ operations }) {
      if (!runner.checkPlaybook) return [];
      const verdicts = new Map<string, string | undefined>();
      const problems = new Map<string, PlanProblem>();
      for (const ref of operations) {
        if (!ref.operation.implementation) continue;
        const playbook = playbookOf(ref.operation);
        // A URL is the artifact store's to fetch and check (allow-list, size, digest) when the
        // planner locks the deployment's artifacts; this check is for the templates folder.
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(playbook)) continue;
        if (!verdicts.has(playbook)) verdicts.set(playbook, runner.checkPlaybook(playbook));
        const reason = verdicts.get(playbook);
        const operation = `${ref.operation.interface}.${ref.operation.name}`;
        // Once per node template and operation, not once per instance.
        if (reason !== undefined) problems.set(`${ref.template}\0${operation}`, { code: 'implementation_invalid', message: reason, node: ref.template, operation });
      }
      return [...problems.values()];
    },
  };
}

/** A new deployment whose servers, vCPUs or RAM no provider's configured quota can hold: every provider's shortfall named. */
export function quotaCheck(providers: readonly CloudProvider[]): PlanCheck {
  return {
    name: 'provider quotas',
    check({ workflow, topology, plan }) {
      if (workflow !== 'create') return [];
      const needs = quotaNeeds({ topology, plan });
      if (!needs.instances) return [];
      const shortfalls = providers.map((p) => ({ name: p.name, short: quotaShortfalls(p, needs) }));
      if (shortfalls.some((s) => s.short.length === 0)) return [];
      return [{ code: 'quota_exceeded', message: `no cloud provider's quota can hold this deployment: ${shortfalls.map((s) => `${s.name} (${s.short.join('; ')})`).join(', ')}` }];
    },
  };
}

/**
 * The owner's node instances with this plan's, over maxInstancesPerOwner: refused before the
 * plan is made. `releasing`: instances the plan replaces (an update's current ones).
 */
export async function checkOwnerInstances(ctx: EngineContext, owner: OwnerRef | null, adding: number, releasing = 0): Promise<void> {
  const limit = ctx.limits.maxInstancesPerOwner;
  if (!Number.isFinite(limit)) return;
  const held = (await ctx.store.countOwnerInstances(owner)) - releasing;
  if (held + adding <= limit) return;
  throw new PlanRejectedError([
    { code: 'too_many_instances_for_owner', message: `this deployment would bring its owner to ${held + adding} node instances (${held} already held), more than the limit of ${limit}` },
  ]);
}
