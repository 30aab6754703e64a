import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, type Value } from '@lib/tosca';
import { describe, expect, it } from 'vitest';
import { PlanRejectedError } from '../errors';
import type { StoredPlan } from '../store.port';
import type { PlanCheck } from './plan-checks';
import { WorkflowPlanner } from './planner';

const TEMPLATE = readFileSync(join(__dirname, '../../test/fixtures/scale-in-teardown.yaml'), 'utf8');

async function compiled(count: number): Promise<StoredPlan> {
  const r = await compile({ text: TEMPLATE, file: 'scale-in-teardown.yaml' }, { inputs: { count } as Record<string, Value> });
  if (!r.topology || !r.plan) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return { topology: r.topology, plan: r.plan };
}

function planner(checks: PlanCheck[] = []): WorkflowPlanner {
  let n = 0;
  return new WorkflowPlanner(checks, () => `r${n++}`);
}

/** The rows a create wrote, as the store would give them back (`provisioned` as the steps left it). */
function rowsOf(created: Awaited<ReturnType<WorkflowPlanner['planCreate']>>, provisioned: (instanceId: string) => boolean) {
  return created.resources.map((r) => ({ id: r.id, instanceId: r.instanceId, nodeName: r.nodeName, index: r.index, provisioned: provisioned(r.instanceId) }));
}

describe('WorkflowPlanner', () => {
  it('plans a create: one resource row and one typed create step per instance, hosts first', async () => {
    const c = await compiled(2);
    const g = await planner().planCreate(c, {});
    expect(g.resources.map((r) => r.instanceId).sort()).toEqual(['app_0', 'app_1', 'vm_0', 'vm_1']);
    expect(g.steps.map((s) => [s.stepId, s.spec.kind, s.dependsOn])).toEqual(
      expect.arrayContaining([
        ['app_0', 'create', ['vm_0']],
        ['vm_1', 'create', []],
      ]),
    );
  });

  it('reconfigures kept instances, adds new ones and removes the surplus with its teardown', async () => {
    const p = planner();
    const created = await p.planCreate(await compiled(2), {});
    const current = { compiled: created.compiled, resources: rowsOf(created, () => true), parameters: {} };
    const out = await p.planUpdate(current, await compiled(3), {});
    expect(out.summary).toEqual({ added: 2, removed: 0, kept: 4 });
    expect(out.steps.filter((s) => s.spec.kind === 'create').map((s) => s.stepId).sort()).toEqual(['app_2', 'vm_2']);
    const back = await p.planUpdate(current, await compiled(1), {});
    const removal = back.steps.find((s) => s.stepId === 'remove:app_1');
    expect(removal?.spec.kind === 'remove' && removal.spec.teardown.map((o) => o.name)).toEqual(['stop', 'delete']);
    expect(back.steps.find((s) => s.stepId === 'remove:vm_1')?.dependsOn).toEqual(['remove:app_1']);
  });

  it('creates again, under their ids, the instances a failed scale-out never made (issue 10 defect 1)', async () => {
    const p = planner();
    const created = await p.planCreate(await compiled(2), {});
    // The scale-out to 2 failed on quota: vm_1 and app_1 are ERROR rows that never completed.
    const current = { compiled: created.compiled, resources: rowsOf(created, (id) => id.endsWith('_0')), parameters: {} };
    const retried = await p.planUpdate(current, await compiled(2), {});
    expect(Object.fromEntries(retried.steps.map((s) => [s.stepId, s.spec.kind]))).toEqual({ vm_0: 'reconfigure', app_0: 'reconfigure', vm_1: 'create', app_1: 'create' });
    expect(retried.resources).toEqual([]);
    expect(retried.summary).toEqual({ added: 2, removed: 0, kept: 2 });
  });

  it('plans a failover as a create of every existing instance, with their indices', async () => {
    const p = planner();
    const created = await p.planCreate(await compiled(2), {});
    const g = await p.planFailover({ compiled: created.compiled, resources: rowsOf(created, () => false), parameters: {} });
    expect(g.resources).toEqual([]);
    expect(g.steps.every((s) => s.spec.kind === 'create')).toBe(true);
    expect(g.steps.map((s) => s.stepId).sort()).toEqual(['app_0', 'app_1', 'vm_0', 'vm_1']);
  });

  it('runs every plan check over the planned operations and rejects with all their problems', async () => {
    const seen: string[] = [];
    const noStop: PlanCheck = {
      name: 'no-stop',
      check: ({ operations }) => {
        seen.push(...operations.map((o) => o.label));
        return operations.filter((o) => o.operation.name === 'stop').map((o) => ({ code: 'stop_forbidden', message: 'no stop here', node: o.template, operation: o.label }));
      },
    };
    const p = planner([noStop, { name: 'quiet', check: async () => [] }]);
    const created = await p.planCreate(await compiled(1), {});
    expect(seen).toEqual(['app_0 Standard.configure']);
    const current = { compiled: created.compiled, resources: rowsOf(created, () => true), parameters: {} };
    const rejected = await p.planUpdate(current, await compiled(0), {}).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(PlanRejectedError);
    expect((rejected as PlanRejectedError).problems.map((x) => [x.code, x.operation]).sort()).toEqual([
      ['stop_forbidden', 'app_0 Standard.stop'],
      ['stop_forbidden', 'vm_0 Standard.stop'],
    ]);
  });
});
