// Runs a node instance's lifecycle operations in TOSCA order (§5.8.4 Standard, §5.8.5 Configure;
// the declarative order of the OASIS 1.3 deploy workflow): create, pre_configure_source/target,
// configure, post_configure_source/target, start, add_target/add_source. Operation inputs are
// resolved just before each run and passed as extra vars; outputs are kept on the resource.
import { rmSync } from 'node:fs';
import type { NodeTemplateModel, OperationModel } from '@lib/tosca';
import { imInventory } from '../im/im-contract';
import { imHostsOf } from '../im/im-hosts';
import { permanent, WorkflowFailureError } from '../workflow/failure';
import type { ResourceRow } from '../store.port';
import { Redactor } from './deployment-log';
import { hostOf, OUTPUTS_KEY, resolveContextFor, type InstanceGraph } from './instance-lookup';
import type { InstanceRequirement } from '../workflow/step-spec';
import type { StepWork } from './step-work';
import { playbookOf } from './plan-admission';
import { resolveValue } from './value-resolver';

interface PlannedOperation {
  op: OperationModel;
  /** Its key in the artifact lock: `node.interface.operation` or `node.requirement.operation`. */
  key: string;
  /** Instance whose host runs it (the target's for *_target operations). */
  runsOn: string;
  /** The relationship target, for TARGET in expressions. */
  target?: string;
  label: string;
}

const NODE_PHASES = { create: 0, configure: 2, start: 4 } as const;
const REL_PHASES: Record<string, number> = { pre_configure_source: 1, pre_configure_target: 1, post_configure_source: 3, post_configure_target: 3, add_target: 5, add_source: 5 };
const RECONFIGURE = new Set(['configure', 'pre_configure_source', 'pre_configure_target', 'post_configure_source', 'post_configure_target']);

export function plannedOperations(node: NodeTemplateModel, instanceId: string, requirements: InstanceRequirement[], reconfigureOnly: boolean): PlannedOperation[] {
  const planned: Array<PlannedOperation & { phase: number; order: number }> = [];
  let order = 0;
  for (const op of node.operations) {
    const phase = (NODE_PHASES as Record<string, number>)[op.name];
    if (phase === undefined || !op.implementation) continue;
    planned.push({ op, key: `${node.name}.${op.interface}.${op.name}`, runsOn: instanceId, label: `${instanceId} ${op.interface}.${op.name}`, phase, order: order++ });
  }
  node.requirements.forEach((rel, i) => {
    const target = requirements.filter((r) => r.requirement === rel.requirement && r.relationship === rel.type)[0]?.target ?? requirements[i]?.target;
    for (const op of rel.operations) {
      const phase = REL_PHASES[op.name];
      if (phase === undefined || !op.implementation || !target) continue;
      const onTarget = op.name.endsWith('_target') && op.name !== 'add_target' ? true : op.name === 'add_source';
      planned.push({ op, key: `${node.name}.${rel.requirement}.${op.name}`, runsOn: onTarget ? target : instanceId, target, label: `${instanceId} ${rel.requirement}.${op.name}`, phase, order: order++ });
    }
  });
  return planned
    .filter((p) => !reconfigureOnly || RECONFIGURE.has(p.op.name))
    .sort((a, b) => a.phase - b.phase || a.order - b.order);
}

export async function runOperations(work: StepWork, node: NodeTemplateModel, graph: () => Promise<InstanceGraph>, reconfigureOnly: boolean): Promise<void> {
  await runPlanned(work, plannedOperations(node, work.spec.instanceId, work.spec.requirements, reconfigureOnly), graph);
}

/**
 * Scale-in: the removed instance's Standard `stop` then `delete`, before its cloud objects go.
 * An instance whose host never got an SSH endpoint has nothing running to stop: skipped, logged.
 */
export async function runTeardown(work: StepWork, teardown: OperationModel[], graph: () => Promise<InstanceGraph>): Promise<void> {
  if (!teardown.length) return;
  const id = work.spec.instanceId;
  const planned = teardown.map((op) => ({ op, key: `${work.spec.template}.${op.interface}.${op.name}`, runsOn: id, label: `${id} ${op.interface}.${op.name}` }));
  const host = hostOf(await graph(), id);
  if (!host?.attributes.ssh_endpoint) {
    await work.log.write(`${id}: ${planned.map((p) => p.op.name).join(' and ')} not run: no host with an SSH endpoint`);
    return;
  }
  await runPlanned(work, planned, graph);
}

async function runPlanned(work: StepWork, operations: PlannedOperation[], graph: () => Promise<InstanceGraph>): Promise<void> {
  const { ctx, deployment, spec } = work;
  if (!operations.length) return;
  const { privateKey } = await work.keyPair();
  const doneKey = `__done_ops_g${deployment.generation}`;
  for (const planned of operations) {
    const g = await graph();
    const self = g.resources.find((r) => r.instanceId === spec.instanceId) as ResourceRow;
    const done = (self.attributes[doneKey] as string[] | undefined) ?? [];
    if (done.includes(planned.label)) continue; // finished before a crash or retry: playbooks are not re-run
    const host = hostOf(g, planned.runsOn);
    const ssh = host?.attributes.ssh_endpoint as { host: string; port: number } | null | undefined;
    if (!host || !ssh) {
      throw permanent('ssh_endpoint_missing', `${planned.label}: no host with an SSH endpoint to run ${planned.op.implementation} on`);
    }
    const resolved = resolveValue(planned.op.inputs, resolveContextFor(g, spec.instanceId, planned.target));
    if (resolved.missing.length) await work.log.write(`${planned.label}: no value yet for ${resolved.missing.join(', ')} (passed as null)`);
    const locked = ctx.artifacts ? deployment.compiled.artifacts?.[planned.key] : undefined;
    const how = locked ? ` with ${locked.executor === 'runner' ? 'our runner' : `ansible-playbook (${locked.reason})`}` : '';
    await work.log.write(`${planned.label}: running ${planned.op.implementation} on ${host.instanceId}${how}`);
    const run = {
      label: planned.label,
      playbook: playbookOf(planned.op),
      target: { host: ssh.host, port: ssh.port, user: (host.attributes.ssh_user as string | undefined) ?? work.provider.sshUser, privateKey },
      vars: resolved.value as Record<string, unknown>,
      signal: work.signal,
      timeoutMs: planned.op.timeout ? planned.op.timeout * 1000 : ctx.timings.operationTimeoutMs,
      onLine: (line: string) => void work.log.write(`${planned.label} | ${line}`).catch(() => undefined),
    };
    let result;
    if (ctx.artifacts && locked) {
      // IM's contract: every host of the deployment, the locked bytes in a work folder of this run.
      const prepared = await ctx.artifacts.prepare(locked).catch((error: unknown) => {
        throw permanent('playbook_failed', `${planned.label}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      });
      try {
        const inventory = imInventory(imHostsOf(g, work.provider.sshUser), deployment.id);
        result = await ctx.runner.run({ ...run, playbook: prepared.playbookPath, rolesPath: [prepared.rolesDir], workDir: prepared.workDir, executor: locked.executor, im: { inventory, host: host.instanceId } });
      } finally {
        rmSync(prepared.workDir, { recursive: true, force: true });
      }
    } else {
      result = await ctx.runner.run(run);
    }
    if (!result.ok) throw new WorkflowFailureError({ ...result.failure, message: `${planned.label} failed: ${result.failure.message}` });
    const outputs = (self.attributes[OUTPUTS_KEY] ?? {}) as Record<string, unknown>;
    await ctx.store.updateResource(deployment.id, self.id, {
      attributes: {
        // The public copy (GET /resources) is redacted: a playbook may publish a secret input it
        // was given. get_operation_output reads the internal copy under OUTPUTS_KEY.
        ...(Redactor.forDeployment(deployment).redactValue(result.outputs) as Record<string, unknown>),
        [OUTPUTS_KEY]: { ...outputs, [`${planned.op.interface}.${planned.op.name}`]: result.outputs },
        [doneKey]: [...done, planned.label],
      },
    });
  }
}
