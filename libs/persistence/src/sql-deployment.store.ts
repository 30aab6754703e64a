// DeploymentStore over SQL (STYLE.md rule 5): the same statements run on PostgreSQL and PGlite.
// Every method is one statement or one transaction, so concurrent workers stay consistent. (Just
// over 400 lines: it is the one implementation of one port, kept whole so its SQL reads as a unit.)
import { randomUUID } from 'node:crypto';
import type {
  OwnerRef,
  CloudResourceRow,
  CloudResourceFilter,
  DeploymentFilter,
  DeploymentPatch,
  DeploymentRow,
  DeploymentSortField,
  DeploymentStatus,
  DeploymentStore,
  DeploymentSummary,
  Failure,
  NewDeploymentRow,
  NewResourceRow,
  NewStepRow,
  PageRequest,
  ResourcePatch,
  ResourceRow,
  ResourceSortField,
  ResourceState,
  StepRow,
  StepStatus,
  StoredLogLine,
  WorkflowProgress,
} from '@lib/orchestrator';
import { PersistenceError } from './errors';
import { sealCompiled, sealParameters, SUMMARY_COLUMNS, toCloudResource, toDeployment, toDeploymentSummary, toResource, toStep } from './row-mappers';
import type { SecretBox } from './secret-box';
import type { SqlClient, SqlExecutor } from './sql-client.port';

const DEPLOYMENT_SORT: Record<DeploymentSortField, string> = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  status: 'status',
  uuid: 'id',
};
const RESOURCE_SORT: Record<ResourceSortField, string> = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  toscaNodeName: 'node_name',
  uuid: 'id',
};

// Patchable deployment fields → column and whether the value is jsonb.
const PATCH_COLUMNS: Record<string, [string, 'json' | 'plain']> = {
  status: ['status', 'plain'],
  statusReason: ['status_reason', 'plain'],
  task: ['task', 'plain'],
  template: ['template', 'plain'],
  secretInputs: ['secret_inputs', 'plain'],
  outputs: ['outputs', 'json'],
  callback: ['callback', 'plain'],
  keepLastAttempt: ['keep_last_attempt', 'plain'],
  maxProvidersRetry: ['max_providers_retry', 'plain'],
  timeoutMins: ['timeout_mins', 'plain'],
  providerTimeoutMins: ['provider_timeout_mins', 'plain'],
  deadlineAt: ['deadline_at', 'plain'],
  providerName: ['provider_name', 'plain'],
  providerEndpoint: ['provider_endpoint', 'json'],
  physicalId: ['physical_id', 'plain'],
  compiled: ['compiled', 'json'],
  generation: ['generation', 'plain'],
  attempts: ['attempts', 'json'],
  extraInfo: ['extra_info', 'json'],
};

function orderBy<F extends string>(sort: PageRequest<F>['sort'] | undefined, columns: Record<F, string>, fallback: string): string {
  const parts = (sort ?? []).map((s) => {
    const column = columns[s.field];
    if (!column) throw new PersistenceError('invalid_query', `cannot sort by ${s.field}`);
    return `${column} ${s.direction === 'asc' ? 'ASC' : 'DESC'}`;
  });
  // A unique tie-breaker keeps pages stable.
  return [...(parts.length ? parts : [fallback]), 'id ASC'].join(', ');
}

export class SqlDeploymentStore implements DeploymentStore {
  constructor(
    private readonly db: SqlClient,
    private readonly box: SecretBox,
  ) {}

  async createDeployment(row: NewDeploymentRow, resources: NewResourceRow[], steps: NewStepRow[] = []): Promise<DeploymentRow> {
    return this.db.transaction(async (tx) => {
      const [created] = await tx.query(
        `INSERT INTO deployments (id, status, status_reason, task, template, parameters, secret_inputs, outputs, callback,
           user_group, owner_issuer, owner_subject, owner_name, keep_last_attempt, max_providers_retry, timeout_mins,
           provider_timeout_mins, deadline_at, provider_name, provider_endpoint, physical_id, compiled, generation,
           attempts, extra_info)
         VALUES ($1,$2,$3,$4,$5,$6::jsonb,$7,$8::jsonb,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20::jsonb,$21,$22::jsonb,$23,$24::jsonb,$25::jsonb)
         RETURNING *`,
        [
          row.id,
          row.status,
          row.statusReason,
          row.task,
          row.template,
          JSON.stringify(sealParameters(this.box, row.parameters, row.secretInputs)),
          row.secretInputs,
          JSON.stringify(row.outputs),
          row.callback,
          row.userGroup,
          row.owner?.issuer ?? null,
          row.owner?.subject ?? null,
          row.owner?.name ?? null,
          row.keepLastAttempt,
          row.maxProvidersRetry,
          row.timeoutMins,
          row.providerTimeoutMins,
          row.deadlineAt,
          row.providerName,
          row.providerEndpoint === null ? null : JSON.stringify(row.providerEndpoint),
          row.physicalId,
          JSON.stringify(sealCompiled(this.box, row.compiled, row.secretInputs)),
          row.generation,
          JSON.stringify(row.attempts),
          JSON.stringify(row.extraInfo),
        ],
      );
      await insertResources(tx, row.id, resources);
      await insertSteps(tx, row.id, row.generation, steps);
      return toDeployment(this.box, created);
    });
  }

  async getDeployment(id: string): Promise<DeploymentRow | null> {
    const [row] = await this.db.query('SELECT * FROM deployments WHERE id = $1', [id]);
    return row ? toDeployment(this.box, row) : null;
  }

  async getDeploymentSummary(id: string): Promise<DeploymentSummary | null> {
    const [row] = await this.db.query(`SELECT ${SUMMARY_COLUMNS} FROM deployments WHERE id = $1`, [id]);
    return row ? toDeploymentSummary(row) : null;
  }

  async listDeployments(filter: DeploymentFilter, page: PageRequest<DeploymentSortField>): Promise<{ rows: DeploymentSummary[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filter.issuer !== undefined) add((n) => `(owner_issuer = ${n} OR owner_issuer IS NULL)`, filter.issuer);
    if (filter.owner) {
      add((n) => `owner_issuer = ${n}`, filter.owner.issuer);
      add((n) => `owner_subject = ${n}`, filter.owner.subject);
    }
    if (filter.userGroup !== undefined) add((n) => `user_group = ${n}`, filter.userGroup);
    if (filter.excludedStatus?.length) add((n) => `status <> ALL(${n}::text[])`, filter.excludedStatus);
    // deployment_counts has the filter columns, so the same WHERE gives the total from a few
    // counter rows; one statement gives total and page (one round trip, one pool checkout).
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const order = orderBy(page.sort, DEPLOYMENT_SORT, 'created_at DESC');
    const size = Math.max(1, Math.floor(page.size));
    const offset = Math.max(0, Math.floor(page.page)) * size;
    const rows = await this.db.query<Record<string, unknown> & { total: number }>(
      `SELECT t.total, p.* FROM (SELECT coalesce(sum(n), 0)::int AS total FROM deployment_counts ${whereSql}) t
       LEFT JOIN LATERAL (SELECT ${SUMMARY_COLUMNS} FROM deployments ${whereSql} ORDER BY ${order} LIMIT ${size} OFFSET ${offset}) p ON true
       ORDER BY ${order}`,
      params,
    );
    return { rows: rows.filter((r) => r.id !== null).map(toDeploymentSummary), total: rows[0]?.total ?? 0 };
  }

  async countDeploymentsByStatus(): Promise<Partial<Record<DeploymentStatus, number>>> {
    const rows = await this.db.query<{ status: DeploymentStatus; n: number }>(
      'SELECT status, sum(n)::int AS n FROM deployment_counts GROUP BY status',
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  async updateDeployment(id: string, patch: DeploymentPatch, expectedVersion?: number): Promise<DeploymentRow | null> {
    return this.db.transaction((tx) => this.updateIn(tx, id, patch, expectedVersion));
  }

  async startGeneration(
    id: string,
    patch: DeploymentPatch & { generation: number },
    expectedVersion: number,
    work: { steps: NewStepRow[]; resources: NewResourceRow[] },
  ): Promise<DeploymentRow | null> {
    return this.db.transaction(async (tx) => {
      const updated = await this.updateIn(tx, id, patch, expectedVersion);
      if (!updated) return null;
      await insertSteps(tx, id, patch.generation, work.steps);
      await insertResources(tx, id, work.resources);
      return updated;
    });
  }

  private async updateIn(tx: SqlExecutor, id: string, patch: DeploymentPatch, expectedVersion?: number): Promise<DeploymentRow | null> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [field, value] of Object.entries(patch)) {
      if (value === undefined || field === 'parameters' || field === 'compiled') continue;
      const mapping = PATCH_COLUMNS[field];
      if (!mapping) throw new PersistenceError('invalid_query', `cannot patch ${field}`);
      const [column, kind] = mapping;
      params.push(kind === 'json' && value !== null ? JSON.stringify(value) : value);
      sets.push(`${column} = $${params.length}${kind === 'json' ? '::jsonb' : ''}`);
    }
    // Parameters and the compiled plan are sealed by the deployment's secret inputs.
    if (patch.parameters !== undefined || patch.compiled !== undefined) {
      let secret = patch.secretInputs;
      if (!secret) {
        const [current] = await tx.query<{ secret_inputs: string[] }>('SELECT secret_inputs FROM deployments WHERE id = $1', [id]);
        secret = current?.secret_inputs ?? [];
      }
      if (patch.parameters !== undefined) {
        params.push(JSON.stringify(sealParameters(this.box, patch.parameters, secret)));
        sets.push(`parameters = $${params.length}::jsonb`);
      }
      if (patch.compiled !== undefined) {
        params.push(patch.compiled === null ? null : JSON.stringify(sealCompiled(this.box, patch.compiled, secret)));
        sets.push(`compiled = $${params.length}::jsonb`);
      }
    }
    let versionClause = '';
    if (expectedVersion !== undefined) {
      params.push(expectedVersion);
      versionClause = ` AND version = $${params.length}`;
    }
    const [row] = await tx.query(
      `UPDATE deployments SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
       WHERE id = $1${versionClause} RETURNING *`,
      params,
    );
    return row ? toDeployment(this.box, row) : null;
  }

  async deleteDeployment(id: string): Promise<void> {
    await this.db.query('DELETE FROM deployments WHERE id = $1', [id]);
  }

  async listDeploymentIdsByStatus(statuses: DeploymentStatus[], limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      'SELECT id FROM deployments WHERE status = ANY($1::text[]) ORDER BY updated_at LIMIT $2',
      [statuses, limit],
    );
    return rows.map((r) => r.id);
  }

  async listResources(
    deploymentId: string,
    query: { type?: string; page?: PageRequest<ResourceSortField> },
  ): Promise<{ rows: ResourceRow[]; total: number }> {
    const params: unknown[] = [deploymentId];
    let where = 'deployment_id = $1';
    if (query.type) {
      params.push(query.type);
      where += ` AND $${params.length} = ANY(node_types)`;
    }
    const [{ count }] = await this.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM resources WHERE ${where}`, params);
    const limit = query.page ? `LIMIT ${Math.max(1, Math.floor(query.page.size))} OFFSET ${Math.max(0, Math.floor(query.page.page)) * Math.max(1, Math.floor(query.page.size))}` : '';
    const rows = await this.db.query(
      `SELECT * FROM resources WHERE ${where} ORDER BY ${orderBy(query.page?.sort, RESOURCE_SORT, 'node_name ASC, idx ASC')} ${limit}`,
      params,
    );
    return { rows: rows.map(toResource), total: count };
  }

  async getResource(deploymentId: string, resourceId: string): Promise<ResourceRow | null> {
    if (!isUuid(resourceId)) return null;
    const [row] = await this.db.query('SELECT * FROM resources WHERE deployment_id = $1 AND id = $2', [deploymentId, resourceId]);
    return row ? toResource(row) : null;
  }

  async getResourceByInstance(deploymentId: string, instanceId: string): Promise<ResourceRow | null> {
    const [row] = await this.db.query('SELECT * FROM resources WHERE deployment_id = $1 AND instance_id = $2', [deploymentId, instanceId]);
    return row ? toResource(row) : null;
  }

  async updateResource(deploymentId: string, resourceId: string, patch: ResourcePatch): Promise<ResourceRow | null> {
    const [row] = await this.db.query(
      `UPDATE resources SET
         state = COALESCE($3, state),
         physical_id = COALESCE($4, physical_id),
         attributes = CASE WHEN $5::jsonb IS NULL THEN attributes ELSE attributes || $5::jsonb END,
         vm_info = COALESCE($6::jsonb, vm_info),
         provisioned = COALESCE($7, provisioned),
         updated_at = now()
       WHERE deployment_id = $1 AND id = $2 RETURNING *`,
      [
        deploymentId,
        resourceId,
        patch.state ?? null,
        patch.physicalId ?? null,
        patch.attributes ? JSON.stringify(patch.attributes) : null,
        patch.vmInfo ? JSON.stringify(patch.vmInfo) : null,
        patch.provisioned ?? null,
      ],
    );
    return row ? toResource(row) : null;
  }

  async setResourceStates(deploymentId: string, state: ResourceState, except: ResourceState[] = []): Promise<void> {
    await this.db.query(
      'UPDATE resources SET state = $2, updated_at = now() WHERE deployment_id = $1 AND state <> ALL($3::text[])',
      [deploymentId, state, except],
    );
  }

  async deleteResources(deploymentId: string, resourceIds: string[]): Promise<void> {
    await this.db.query('DELETE FROM resources WHERE deployment_id = $1 AND id = ANY($2::uuid[])', [deploymentId, resourceIds]);
  }

  async recordCloudResource(row: Omit<CloudResourceRow, 'id' | 'seq' | 'createdAt' | 'status' | 'cloudId'>): Promise<CloudResourceRow & { fresh: boolean }> {
    const [inserted] = await this.db.query(
      `INSERT INTO cloud_resources (id, deployment_id, instance_id, provider, kind, name, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending')
       ON CONFLICT (deployment_id, provider, kind, name) DO NOTHING RETURNING *`,
      [randomUUID(), row.deploymentId, row.instanceId, row.provider, row.kind, row.name],
    );
    if (inserted) return { ...toCloudResource(inserted), fresh: true };
    const [existing] = await this.db.query(
      'SELECT * FROM cloud_resources WHERE deployment_id = $1 AND provider = $2 AND kind = $3 AND name = $4',
      [row.deploymentId, row.provider, row.kind, row.name],
    );
    return { ...toCloudResource(existing), fresh: false };
  }

  async markCloudResource(id: string, patch: { cloudId?: string; status?: CloudResourceRow['status'] }): Promise<void> {
    await this.db.query(
      'UPDATE cloud_resources SET cloud_id = COALESCE($2, cloud_id), status = COALESCE($3, status) WHERE id = $1',
      [id, patch.cloudId ?? null, patch.status ?? null],
    );
  }

  async listCloudResources(deploymentId: string, options: CloudResourceFilter = {}): Promise<CloudResourceRow[]> {
    const rows = await this.db.query(
      `SELECT * FROM cloud_resources WHERE deployment_id = $1
         AND ($2::boolean OR status <> 'deleted') AND ($3::text IS NULL OR provider = $3)
         AND ($4::text IS NULL OR kind = $4) AND ($5::text IS NULL OR name = $5)
       ORDER BY seq`,
      [deploymentId, options.includeDeleted ?? false, options.provider ?? null, options.kind ?? null, options.name ?? null],
    );
    return rows.map(toCloudResource);
  }

  async getSteps(deploymentId: string, generation: number): Promise<StepRow[]> {
    const rows = await this.db.query('SELECT * FROM steps WHERE deployment_id = $1 AND generation = $2 ORDER BY step_id', [deploymentId, generation]);
    return rows.map(toStep);
  }

  async getWorkflowProgress(deploymentId: string, generation: number): Promise<WorkflowProgress | null> {
    const [row] = await this.db.query<{ status: DeploymentStatus; generation: number; open: string | number; failed: string | number }>(
      `SELECT d.status, d.generation,
              count(s.step_id) FILTER (WHERE s.status IN ('pending', 'queued', 'running')) AS open,
              count(s.step_id) FILTER (WHERE s.status = 'failed') AS failed
         FROM deployments d LEFT JOIN steps s ON s.deployment_id = d.id AND s.generation = $2
        WHERE d.id = $1
        GROUP BY d.id`,
      [deploymentId, generation],
    );
    return row ? { status: row.status, generation: row.generation, open: Number(row.open), failed: Number(row.failed) } : null;
  }

  async getStep(deploymentId: string, generation: number, stepId: string): Promise<StepRow | null> {
    const [row] = await this.db.query('SELECT * FROM steps WHERE deployment_id = $1 AND generation = $2 AND step_id = $3', [
      deploymentId,
      generation,
      stepId,
    ]);
    return row ? toStep(row) : null;
  }

  async transitionStep(
    deploymentId: string,
    generation: number,
    stepId: string,
    from: StepStatus[],
    to: StepStatus,
    patch: { failure?: Failure | null; incrementAttempts?: boolean } = {},
  ): Promise<StepRow | null> {
    const [row] = await this.db.query(
      `UPDATE steps SET status = $5, updated_at = now(),
         error = CASE WHEN $6::boolean THEN $7 ELSE error END,
         failure_code = CASE WHEN $6::boolean THEN $9 ELSE failure_code END,
         attempts = attempts + CASE WHEN $8::boolean THEN 1 ELSE 0 END
       WHERE deployment_id = $1 AND generation = $2 AND step_id = $3 AND status = ANY($4::text[]) RETURNING *`,
      [deploymentId, generation, stepId, from, to, patch.failure !== undefined, patch.failure?.message ?? null, patch.incrementAttempts ?? false, patch.failure?.code ?? null],
    );
    return row ? toStep(row) : null;
  }

  async claimReadySteps(deploymentId: string, generation: number, window?: number): Promise<StepRow[]> {
    if (window !== undefined && Number.isFinite(window)) return this.claimReadyStepsInWindow(deploymentId, generation, window);
    // Row locks make a second concurrent claimer skip rows the first one took (EvalPlanQual
    // re-checks status = 'pending'); each caller runs this after its own "done" committed.
    const rows = await this.db.query(
      `UPDATE steps s SET status = 'queued', updated_at = now()
       WHERE s.deployment_id = $1 AND s.generation = $2 AND s.status = 'pending'
         AND NOT EXISTS (
           SELECT 1 FROM steps d
           WHERE d.deployment_id = s.deployment_id AND d.generation = s.generation
             AND d.step_id = ANY(s.depends_on) AND d.status <> 'done')
       RETURNING s.*`,
      [deploymentId, generation],
    );
    return rows.map(toStep);
  }

  /** The ready steps that fit in the window, in step order; the others stay pending for the next claim. */
  private async claimReadyStepsInWindow(deploymentId: string, generation: number, window: number): Promise<StepRow[]> {
    const rows = await this.db.query(
      `WITH busy AS (
         SELECT count(*)::int AS n FROM steps
         WHERE deployment_id = $1 AND generation = $2 AND status IN ('queued', 'running')),
       ready AS (
         SELECT s.step_id FROM steps s
         WHERE s.deployment_id = $1 AND s.generation = $2 AND s.status = 'pending'
           AND NOT EXISTS (
             SELECT 1 FROM steps d
             WHERE d.deployment_id = s.deployment_id AND d.generation = s.generation
               AND d.step_id = ANY(s.depends_on) AND d.status <> 'done')
         ORDER BY s.step_id
         LIMIT GREATEST(0, $3::int - (SELECT n FROM busy))
         FOR UPDATE SKIP LOCKED)
       UPDATE steps s SET status = 'queued', updated_at = now()
       FROM ready
       WHERE s.deployment_id = $1 AND s.generation = $2 AND s.step_id = ready.step_id AND s.status = 'pending'
       RETURNING s.*`,
      [deploymentId, generation, Math.max(0, Math.floor(window))],
    );
    return rows.map(toStep);
  }

  async countOwnerInstances(owner: OwnerRef | null): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM resources r JOIN deployments d ON d.id = r.deployment_id
       WHERE d.owner_issuer IS NOT DISTINCT FROM $1 AND d.owner_subject IS NOT DISTINCT FROM $2 AND d.status <> 'DELETE_COMPLETE'`,
      [owner?.issuer ?? null, owner?.subject ?? null],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async appendLog(deploymentId: string, lines: string[]): Promise<void> {
    if (!lines.length) return;
    await this.db.query(
      'INSERT INTO log_lines (deployment_id, text) SELECT $1, t FROM unnest($2::text[]) WITH ORDINALITY AS u(t, o) ORDER BY o',
      [deploymentId, lines],
    );
  }

  async readLog(deploymentId: string, afterSeq: number, limit: number): Promise<StoredLogLine[]> {
    const rows = await this.db.query<{ seq: number; at: Date; text: string }>(
      'SELECT seq, at, text FROM log_lines WHERE deployment_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [deploymentId, afterSeq, limit],
    );
    return rows.map((r) => ({ seq: Number(r.seq), at: r.at, text: r.text }));
  }

  async putSecret(deploymentId: string, name: string, value: string): Promise<void> {
    await this.db.query(
      `INSERT INTO deployment_secrets (deployment_id, name, value) VALUES ($1, $2, $3)
       ON CONFLICT (deployment_id, name) DO UPDATE SET value = EXCLUDED.value`,
      [deploymentId, name, this.box.seal(value)],
    );
  }

  async getSecret(deploymentId: string, name: string): Promise<string | null> {
    const [row] = await this.db.query<{ value: string }>('SELECT value FROM deployment_secrets WHERE deployment_id = $1 AND name = $2', [
      deploymentId,
      name,
    ]);
    return row ? this.box.open(row.value) : null;
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

async function insertSteps(tx: SqlExecutor, deploymentId: string, generation: number, steps: NewStepRow[]): Promise<void> {
  for (const step of steps) {
    await tx.query(
      `INSERT INTO steps (deployment_id, generation, step_id, kind, depends_on, status, spec)
       VALUES ($1, $2, $3, $4, $5::text[], 'pending', $6::jsonb) ON CONFLICT DO NOTHING`,
      [deploymentId, generation, step.stepId, step.spec.kind, step.dependsOn, JSON.stringify(step.spec)],
    );
  }
}

async function insertResources(tx: SqlExecutor, deploymentId: string, resources: NewResourceRow[]): Promise<void> {
  for (const r of resources) {
    await tx.query(
      `INSERT INTO resources (id, deployment_id, instance_id, node_name, node_type, node_types, idx, state)
       VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8)`,
      [r.id, deploymentId, r.instanceId, r.nodeName, r.nodeType, r.nodeTypes, r.index, r.state],
    );
  }
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
