// The one owner of what a workflow generation does (STYLE.md rule 26): create, update and
// provider failover all plan here, and only here, into steps with typed specs and the resource
// rows a generation adds. The caller writes the result in one transaction (createDeployment or
// startGeneration); workers only run the steps. Plan checks run over every planned operation
// before the caller writes anything.
import type { InstancePlan } from '@lib/tosca';
import type { ArtifactLock, OperationArtifacts } from '../artifacts/operation-artifacts';
import { PlanRejectedError, type PlanProblem } from '../errors';
import type { NewResourceRow, NewStepRow, ResourceRow, StoredPlan } from '../store.port';
import { buildSteps, removalSteps } from './build-steps';
import { operationsOf, runPlanChecks, type PlanCheck, type WorkflowKind } from './plan-checks';
import { diffInstances, hostLinks } from './update-diff';

export interface PlannedGeneration {
  /** The plan to store, in actual instance ids (later updates diff against it). */
  compiled: StoredPlan;
  steps: NewStepRow[];
  /** Resource rows the generation adds, one per new node instance. */
  resources: NewResourceRow[];
  summary: { added: number; removed: number; kept: number };
  /** For the deployment log: each operation's executor and why, its files' digests, its roles. */
  notes: string[];
}

/** What the planner needs of the running deployment. */
export interface CurrentDeployment {
  compiled: StoredPlan;
  resources: readonly Pick<ResourceRow, 'id' | 'instanceId' | 'nodeName' | 'index' | 'provisioned'>[];
  parameters: Readonly<Record<string, unknown>>;
}

export class WorkflowPlanner {
  constructor(
    private readonly checks: readonly PlanCheck[],
    /** Id of a new resource row (time-ordered in production). */
    private readonly newResourceId: () => string,
    /** Remote artifacts, roles and executors, locked into the plan (absent: operations run as named). */
    private readonly artifacts?: OperationArtifacts,
  ) {}

  /** A new deployment: one resource row and one create step per node instance. */
  async planCreate(compiled: StoredPlan, parameters: Readonly<Record<string, unknown>>): Promise<PlannedGeneration> {
    const resources = compiled.plan.nodes.map((n) => this.resourceRow(compiled, n.id, n.template, n.index, n.type));
    const steps = buildSteps(compiled.plan, {});
    const locked = await this.check('create', compiled, steps, parameters);
    return { compiled: locked.compiled, steps, resources, summary: { added: resources.length, removed: 0, kept: 0 }, notes: locked.notes };
  }

  /**
   * A PUT: the new plan diffed against what exists. Kept instances are reconfigured, except those
   * whose create never completed (a failed scale-out's ERROR row): those are created again, under
   * their id, so a retried scale-out really makes them.
   */
  async planUpdate(current: CurrentDeployment, next: StoredPlan, parameters: Readonly<Record<string, unknown>>, options: { refreshArtifacts?: boolean } = {}): Promise<PlannedGeneration> {
    const existing = current.resources.map((r) => ({ instanceId: r.instanceId, template: r.nodeName, index: r.index, resourceId: r.id }));
    const removal = Object.fromEntries(Object.values(next.topology.nodes).map((n) => [n.name, n.scaling.removalList]));
    const diff = diffInstances(existing, next.plan.nodes, removal, { existing: hostLinks(current.compiled.plan), planned: hostLinks(next.plan) });
    const plan = remapPlan(next.plan, diff.mapping);
    const provisioned = new Set(current.resources.filter((r) => r.provisioned).map((r) => r.instanceId));
    const kinds = Object.fromEntries(diff.kept.map((id) => [id, provisioned.has(id) ? 'reconfigure' : 'create'] as const));
    const indices = Object.fromEntries([...existing.map((e) => [e.instanceId, e.index] as const), ...diff.added.map((a) => [a.instanceId, a.index] as const)]);
    const steps = [...buildSteps(plan, kinds, indices), ...removalSteps(diff.removed, current.compiled)];
    // An update runs the bytes the deployment recorded, unless asked to refresh.
    const locked = await this.check('update', { topology: next.topology, plan }, steps, parameters, options.refreshArtifacts ? undefined : current.compiled.artifacts);
    const compiled = locked.compiled;
    const resources = diff.added.map((a) => this.resourceRow(compiled, a.instanceId, a.template, a.index));
    const recreated = diff.kept.filter((id) => kinds[id] === 'create').length;
    return { compiled, steps, resources, summary: { added: diff.added.length + recreated, removed: diff.removed.length, kept: diff.kept.length - recreated }, notes: locked.notes };
  }

  /** The next provider after a failed create attempt: every instance created anew, rows kept. */
  async planFailover(current: CurrentDeployment): Promise<PlannedGeneration> {
    const indices = Object.fromEntries(current.resources.map((r) => [r.instanceId, r.index]));
    const steps = buildSteps(current.compiled.plan, {}, indices);
    await this.runChecks('failover', current.compiled, steps, current.parameters);
    return { compiled: current.compiled, steps, resources: [], summary: { added: steps.length, removed: 0, kept: 0 }, notes: [] };
  }

  /**
   * The checks, then the artifact lock (every operation's files fetched and digested, its roles
   * found, its executor chosen): problems of both reject the plan together.
   */
  private async check(workflow: WorkflowKind, compiled: StoredPlan, steps: NewStepRow[], parameters: Readonly<Record<string, unknown>>, previous?: ArtifactLock): Promise<{ compiled: StoredPlan; notes: string[] }> {
    const [problems, artifacts] = await Promise.all([this.problems(workflow, compiled, steps, parameters), this.artifacts?.plan(compiled.topology, previous)]);
    const all = [...problems, ...(artifacts?.problems ?? []).map((p) => ({ code: p.code, message: p.message, node: p.node, operation: p.operation }))];
    if (all.length) throw new PlanRejectedError(all);
    if (!artifacts) return { compiled, notes: [] };
    return { compiled: { ...compiled, artifacts: artifacts.lock }, notes: [...artifacts.notes, ...lockNotes(artifacts.lock)] };
  }

  private async runChecks(workflow: WorkflowKind, compiled: StoredPlan, steps: NewStepRow[], parameters: Readonly<Record<string, unknown>>): Promise<void> {
    const problems = await this.problems(workflow, compiled, steps, parameters);
    if (problems.length) throw new PlanRejectedError(problems);
  }

  private async problems(workflow: WorkflowKind, compiled: StoredPlan, steps: NewStepRow[], parameters: Readonly<Record<string, unknown>>): Promise<PlanProblem[]> {
    if (!this.checks.length) return [];
    return runPlanChecks(this.checks, {
      workflow,
      topology: compiled.topology,
      plan: compiled.plan,
      steps: steps.map((s) => s.spec),
      operations: operationsOf(compiled.topology, steps),
      parameters,
    });
  }

  private resourceRow(compiled: StoredPlan, instanceId: string, template: string, index: number, type?: string): NewResourceRow {
    const node = compiled.topology.nodes[template];
    const nodeType = node?.type ?? type ?? 'tosca.nodes.Root';
    return {
      id: this.newResourceId(),
      instanceId,
      nodeName: template,
      nodeType,
      nodeTypes: node?.types ?? [nodeType],
      index,
      state: 'INITIAL',
    };
  }
}

/** The stored plan speaks actual instance ids, so later updates diff against what exists. */
function remapPlan(plan: InstancePlan, mapping: Record<string, string>): InstancePlan {
  const m = (id: string) => mapping[id] ?? id;
  return {
    ...plan,
    nodes: plan.nodes.map((n) => ({ ...n, id: m(n.id) })),
    edges: plan.edges.map((e) => ({ ...e, from: m(e.from), to: m(e.to) })),
    levels: plan.levels.map((l) => l.map(m)),
  };
}

/** The log lines of a lock: each operation's executor and why, each file's digest, each role's origin. */
function lockNotes(lock: ArtifactLock): string[] {
  const lines: string[] = [];
  for (const [key, op] of Object.entries(lock)) {
    lines.push(`${key}: runs with ${op.executor === 'runner' ? 'our runner' : 'ansible-playbook'}: ${op.reason}`);
    for (const [url, digest] of Object.entries(op.files)) lines.push(`${key}: ${url} ${digest}`);
    for (const role of op.roles) lines.push(`${key}: role ${role.name}${role.version ? `,${role.version}` : ''} from ${role.via === 'override' ? 'the override folder ' : ''}${role.dir} ${role.digest}`);
  }
  return lines;
}
