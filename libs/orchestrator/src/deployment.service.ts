// DeploymentService over the store and the job runner: validates, compiles, persists the plan
// (one resource row per node instance) before anything touches a cloud, and enqueues the
// workflow. All state preconditions and wordings are those of reference §1.3.
import { randomUUID } from 'node:crypto';
import type { CompileResult, Diagnostic, InstancePlan, ServiceTopology } from '@lib/tosca';
import type {
  CreateDeploymentCommand,
  DeploymentEvent,
  DeploymentService,
  ListDeploymentsQuery,
  ListResourcesQuery,
  LogLine,
  ResourceAction,
  StreamOptions,
  UpdateDeploymentCommand,
} from './deployment-service.port';
import type { DeploymentRecord, DeploymentStatus, Page, ResourceRecord } from './domain.types';
import { CallbackRefusedError, type CallbackPolicy } from './engine/callback-policy';
import { DeploymentLog, Redactor } from './engine/deployment-log';
import type { EngineContext } from './engine/engine.context';
import { enqueueJob, jobIds } from './workflow/job-policy';
import { forgetTokensOfOwnerWithoutDeployments } from './engine/owner-tokens';
import { pinnedPlacement, providersAtHosts } from './engine/provider-ranking';
import { checkOwnerInstances } from './engine/plan-admission';
import { secretInputs } from './engine/secret-inputs';
import { deploymentEvents, logStream } from './deployment-streams';
import {
  ConcurrentUpdateError,
  DeploymentNotFoundError,
  InputInvalidError,
  InvalidRequestError,
  ResourceNotFoundError,
  StateConflictError,
  TemplateInvalidError,
} from './errors';
import { toDeploymentRecord, toResourceRecord } from './record-mappers';
import type { DeploymentRow } from './store.port';
import type { TemplateCompiler } from './template-compiler.port';
import { timeOrderedUuid } from './uuid';

const UPDATABLE: DeploymentStatus[] = ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_FAILED'];

export class EngineDeploymentService implements DeploymentService {
  constructor(
    private readonly ctx: EngineContext,
    private readonly compiler: TemplateCompiler,
  ) {}

  async create(command: CreateDeploymentCommand): Promise<DeploymentRecord> {
    checkKnobs(command, this.ctx.callbackPolicy);
    const compiled = await this.compileOrThrow(command.template, command.parameters);
    const { plan } = compiled;
    // IM credential lines pin the providers at their hosts, through the placement the ranking reads.
    const topology = command.cloudHosts ? { ...compiled.topology, policies: [...pinnedPlacement(this.providersAt(command.cloudHosts)), ...compiled.topology.policies] } : compiled.topology;
    await checkOwnerInstances(this.ctx, command.owner ? { issuer: command.owner.issuer, subject: command.owner.subject } : null, plan.nodes.length);
    const planned = await this.ctx.planner.planCreate({ topology, plan }, command.parameters);
    const id = timeOrderedUuid(this.ctx.clock());
    const now = this.ctx.clock();
    // The deployment, its resource rows and its first generation's steps in one transaction.
    const row = await this.ctx.store.createDeployment(
      {
        id,
        status: 'CREATE_IN_PROGRESS',
        statusReason: null,
        task: 'NONE',
        template: command.template,
        parameters: command.parameters,
        secretInputs: secretInputs(topology, command.parameters),
        outputs: {},
        callback: command.callback ?? null,
        userGroup: command.userGroup ?? null,
        owner: command.owner ? { issuer: command.owner.issuer, subject: command.owner.subject, ...(command.owner.name ? { name: command.owner.name } : {}) } : null,
        keepLastAttempt: command.keepLastAttempt ?? false,
        maxProvidersRetry: command.maxProvidersRetry ?? null,
        timeoutMins: command.timeoutMins ?? null,
        providerTimeoutMins: command.providerTimeoutMins ?? null,
        deadlineAt: command.timeoutMins ? new Date(now.getTime() + command.timeoutMins * 60_000) : null,
        providerName: null,
        providerEndpoint: null,
        physicalId: null,
        compiled: planned.compiled,
        generation: 1,
        attempts: [],
        extraInfo: [],
      },
      planned.resources,
      planned.steps,
    );
    await this.logFor(row).write(`deployment submitted: ${plan.nodes.length} node instances`);
    for (const line of planned.notes) await this.logFor(row).write(line);
    await enqueueJob(this.ctx, 'deployment.start', { deploymentId: id, generation: 1 }, jobIds.start(id, 1));
    return toDeploymentRecord(row);
  }

  async list(query: ListDeploymentsQuery): Promise<Page<DeploymentRecord>> {
    const owner = query.createdBy === 'me' ? (query.caller ? { issuer: query.caller.issuer, subject: query.caller.subject } : undefined) : query.createdBy;
    const { rows, total } = await this.ctx.store.listDeployments(
      { issuer: query.issuer, owner, userGroup: query.userGroup, excludedStatus: query.excludedStatus },
      query.page,
    );
    return { items: rows.map(toDeploymentRecord), total };
  }

  async get(id: string): Promise<DeploymentRecord> {
    const row = isUuidLike(id) ? await this.ctx.store.getDeploymentSummary(id) : null;
    if (!row) throw new DeploymentNotFoundError(id);
    return toDeploymentRecord(row);
  }

  async countByStatus(): Promise<Partial<Record<DeploymentStatus, number>>> {
    return this.ctx.store.countDeploymentsByStatus();
  }

  async update(id: string, command: UpdateDeploymentCommand): Promise<void> {
    checkKnobs(command, this.ctx.callbackPolicy);
    const row = await this.row(id);
    if (!UPDATABLE.includes(row.status)) throw new StateConflictError(`Cannot update a deployment in ${row.status} state`);
    const parameters = { ...row.parameters, ...command.parameters };
    const { topology, plan } = await this.compileOrThrow(command.template, parameters);
    const resources = (await this.ctx.store.listResources(id, {})).rows;
    // Removals asked outside the template (the IM API's DELETE of a VM) join its removal_list.
    const asked = command.removeResources ?? [];
    const next = asked.length ? { plan, topology: { ...topology, nodes: Object.fromEntries(Object.entries(topology.nodes).map(([k, n]) => [k, { ...n, scaling: { ...n.scaling, removalList: [...n.scaling.removalList, ...asked] } }])) } } : { topology, plan };
    await checkOwnerInstances(this.ctx, row.owner ? { issuer: row.owner.issuer, subject: row.owner.subject } : null, plan.nodes.length, resources.length);
    const planned = await this.ctx.planner.planUpdate({ compiled: row.compiled, resources, parameters: row.parameters }, next, parameters, { refreshArtifacts: command.refreshArtifacts });
    const generation = row.generation + 1;
    // One transaction with the version check: a PUT that loses a race writes no step or row.
    const updated = await this.ctx.store.startGeneration(
      id,
      {
        status: 'UPDATE_IN_PROGRESS',
        statusReason: null,
        task: 'DEPLOYER',
        // The stored template loses removal_list (reference §1.4): the next PUT must not remove again.
        template: command.template.replace(/^\s*removal_list\s*:.*(\n\s+-\s.*)*$/gm, ''),
        parameters,
        secretInputs: secretInputs(topology, parameters),
        compiled: planned.compiled,
        generation,
        ...(command.callback ? { callback: command.callback } : {}),
        ...(command.keepLastAttempt !== undefined ? { keepLastAttempt: command.keepLastAttempt } : {}),
        ...(command.maxProvidersRetry !== undefined ? { maxProvidersRetry: command.maxProvidersRetry } : {}),
        ...(command.timeoutMins !== undefined ? { timeoutMins: command.timeoutMins, deadlineAt: new Date(this.ctx.clock().getTime() + command.timeoutMins * 60_000) } : {}),
        ...(command.providerTimeoutMins !== undefined ? { providerTimeoutMins: command.providerTimeoutMins } : {}),
      },
      row.version,
      { steps: planned.steps, resources: planned.resources },
    );
    if (!updated) throw new ConcurrentUpdateError();
    const { added, removed, kept } = planned.summary;
    await this.logFor(updated).write(`update submitted: ${added} added, ${removed} removed, ${kept} reconfigured`);
    for (const line of planned.notes) await this.logFor(updated).write(line);
    await enqueueJob(this.ctx, 'deployment.start', { deploymentId: id, generation }, jobIds.start(id, generation));
  }

  async reset(id: string, status: DeploymentStatus): Promise<void> {
    if (status !== 'DELETE_FAILED') throw new InvalidRequestError(`Cannot reset deployment: illegal status ${status}.`);
    const row = await this.row(id);
    if (row.status !== 'DELETE_IN_PROGRESS') throw new StateConflictError(`Cannot reset a deployment in ${row.status} state`);
    if (!(await this.ctx.store.updateDeployment(id, { status: 'DELETE_FAILED', statusReason: null, task: 'NONE', generation: row.generation + 1 }, row.version))) {
      throw new ConcurrentUpdateError();
    }
  }

  async delete(id: string, options: { force: boolean }): Promise<void> {
    const row = await this.row(id);
    if (row.status === 'DELETE_IN_PROGRESS' || row.status === 'DELETE_COMPLETE') throw new StateConflictError(`Deployment already in ${row.status} state.`);
    const recorded = await this.ctx.store.listCloudResources(id);
    if (!row.providerName && recorded.length === 0 && row.attempts.length === 0) {
      await this.ctx.store.deleteDeployment(id);
      await forgetTokensOfOwnerWithoutDeployments(this.ctx, row.owner);
      return;
    }
    const generation = row.generation + 1;
    const updated = await this.ctx.store.updateDeployment(id, { status: 'DELETE_IN_PROGRESS', statusReason: null, task: 'DEPLOYER', generation }, row.version);
    if (!updated) throw new ConcurrentUpdateError();
    await this.ctx.store.setResourceStates(id, 'DELETING');
    await this.logFor(updated).write(`delete submitted${options.force ? ' (force)' : ''}`);
    await enqueueJob(this.ctx, 'deployment.undeploy', { deploymentId: id, generation, force: options.force }, jobIds.undeploy(id, generation));
  }

  async getTemplate(id: string): Promise<string> {
    return (await this.row(id)).template;
  }

  async getLog(id: string): Promise<string> {
    await this.row(id);
    const lines: string[] = [];
    let after = 0;
    for (;;) {
      const batch = await this.ctx.store.readLog(id, after, 5000);
      lines.push(...batch.map((l) => l.text));
      if (batch.length < 5000) break;
      after = batch[batch.length - 1].seq;
    }
    return lines.join('\n');
  }

  streamLog(id: string, options: StreamOptions): AsyncIterable<LogLine> {
    return logStream(this.ctx.store, id, options);
  }

  async getExtraInfo(id: string): Promise<string> {
    return JSON.stringify((await this.row(id)).extraInfo ?? []);
  }

  async listResources(id: string, query: ListResourcesQuery): Promise<Page<ResourceRecord>> {
    await this.row(id);
    const { rows, total } = await this.ctx.store.listResources(id, { type: query.type, page: query.page });
    return { items: rows.map((r) => toResourceRecord(r)), total };
  }

  async getResource(id: string, resourceId: string): Promise<ResourceRecord> {
    await this.row(id);
    const r = await this.ctx.store.getResource(id, resourceId);
    if (!r) throw new ResourceNotFoundError(id, resourceId);
    return toResourceRecord(r);
  }

  async resourceAction(id: string, resourceId: string, action: ResourceAction): Promise<void> {
    const row = await this.row(id);
    if (!UPDATABLE.includes(row.status)) throw new StateConflictError(`Cannot perform action ${action} on a deployment in ${row.status} state`);
    if (!(await this.ctx.store.getResource(id, resourceId))) throw new ResourceNotFoundError(id, resourceId);
    await enqueueJob(this.ctx, 'resource.action', { deploymentId: id, resourceId, action }, jobIds.action(id, resourceId, randomUUID()));
  }

  events(id: string, options: StreamOptions): AsyncIterable<DeploymentEvent> {
    return deploymentEvents(this.ctx.store, id, options);
  }

  async validate(template: string, parameters: Record<string, unknown> = {}): Promise<Diagnostic[]> {
    return (await this.compiler(template, parameters)).diagnostics;
  }

  private async compileOrThrow(template: string, parameters: Record<string, unknown>): Promise<{ topology: ServiceTopology; plan: InstancePlan }> {
    const result: CompileResult = await this.compiler(template, parameters);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.some((d) => /input/i.test(d.code)) && errors.every((d) => /input/i.test(d.code))) {
      throw new InputInvalidError(errors.map((d) => d.message).join('\n'), result.diagnostics);
    }
    if (errors.length || !result.topology || !result.plan) throw new TemplateInvalidError(result.diagnostics);
    if (result.plan.cycle) {
      throw new TemplateInvalidError([
        { code: 'dependency_cycle', severity: 'error', message: `dependency cycle: ${result.plan.cycle.join(' -> ')}`, path: 'topology_template.node_templates', file: 'template.yaml', line: 1, column: 1 },
      ]);
    }
    return { topology: result.topology, plan: result.plan };
  }

  /** The configured providers at the caller's cloud endpoints; none is a bad request, said with the hosts. */
  private providersAt(hosts: string[]): string[] {
    const names = providersAtHosts(this.ctx.providers, hosts);
    if (names.length === 0) {
      throw new InvalidRequestError(`No cloud provider of this service is at ${hosts.join(', ')}: deployments run on the configured providers (${this.ctx.providers.map((p) => p.name).join(', ')}) only`);
    }
    return names;
  }

  private async row(id: string): Promise<DeploymentRow> {
    const row = isUuidLike(id) ? await this.ctx.store.getDeployment(id) : null;
    if (!row) throw new DeploymentNotFoundError(id);
    return row;
  }

  private logFor(row: DeploymentRow): DeploymentLog {
    return new DeploymentLog(this.ctx.store, row.id, Redactor.forDeployment(row), this.ctx.clock);
  }
}

/** Keeps a malformed id from reaching a uuid column (PostgreSQL would reject the cast). */
function isUuidLike(id: string): boolean {
  return /^[0-9a-f-]{36}$/i.test(id);
}

function checkKnobs(c: { callback?: string; timeoutMins?: number; providerTimeoutMins?: number; maxProvidersRetry?: number }, callbacks: CallbackPolicy): void {
  if (c.callback !== undefined) {
    // What can be refused without DNS is refused here, with a 400; names are checked when sent.
    try {
      callbacks.checkUrl(c.callback);
    } catch (error) {
      if (error instanceof CallbackRefusedError) throw new InvalidRequestError(error.message);
      throw error;
    }
  }
  for (const [name, v] of Object.entries({ timeoutMins: c.timeoutMins, providerTimeoutMins: c.providerTimeoutMins, maxProvidersRetry: c.maxProvidersRetry })) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new InvalidRequestError(`${name} must be an integer >= 1`);
  }
  if (c.timeoutMins !== undefined && c.providerTimeoutMins !== undefined && c.providerTimeoutMins > c.timeoutMins) {
    throw new InvalidRequestError('ProviderTimeout must be <= Timeout');
  }
}
