// One conformance suite for the DeploymentStore, run against real PostgreSQL (a random schema in
// database `test`, dropped afterwards) and PGlite in memory (STYLE.md rules 5 and 23).
import { randomUUID } from 'node:crypto';
import type { DeploymentStore, NewDeploymentRow, NewResourceRow, NewStepRow } from '@lib/orchestrator';
import { createPgliteStore, createPostgresStore } from '@lib/persistence';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PG_URL = process.env.BATON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECRET = 'test-secret-key';

function newDeployment(overrides: Partial<NewDeploymentRow> = {}): NewDeploymentRow {
  return {
    id: randomUUID(),
    status: 'CREATE_IN_PROGRESS',
    statusReason: null,
    task: 'NONE',
    template: 'tosca_definitions_version: tosca_simple_yaml_1_0\n',
    parameters: { cpus: 2, db_password: 's3cr3t-value' },
    secretInputs: ['db_password'],
    outputs: {},
    callback: null,
    userGroup: null,
    owner: { issuer: 'https://iam/', subject: 'alice' },
    keepLastAttempt: false,
    maxProvidersRetry: null,
    timeoutMins: null,
    providerTimeoutMins: null,
    deadlineAt: null,
    providerName: null,
    providerEndpoint: null,
    physicalId: null,
    compiled: { topology: {} as never, plan: { nodes: [], edges: [], levels: [], outputs: {} } },
    generation: 1,
    attempts: [],
    extraInfo: [],
    ...overrides,
  };
}

function step(stepId: string, dependsOn: string[]): NewStepRow {
  return { stepId, dependsOn, spec: { kind: 'create', instanceId: stepId, template: 'server', index: 0, requirements: [] } };
}

function resources(count: number): NewResourceRow[] {
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    instanceId: `server_${i}`,
    nodeName: 'server',
    nodeType: 'tosca.nodes.indigo.Compute',
    nodeTypes: ['tosca.nodes.indigo.Compute', 'tosca.nodes.Compute', 'tosca.nodes.Root'],
    index: i,
    state: 'INITIAL' as const,
  }));
}

interface Target {
  name: string;
  open(): Promise<{ store: DeploymentStore; raw: (sql: string) => Promise<unknown[]>; cleanup(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'postgresql',
    async open() {
      const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      const store = await createPostgresStore({ url: PG_URL, schema, secretKey: SECRET });
      const admin = new Client({ connectionString: PG_URL });
      await admin.connect();
      return {
        store,
        raw: async (sql) => (await admin.query(sql.replace(/\bFROM (\w+)/, `FROM ${schema}.$1`))).rows,
        async cleanup() {
          await store.close();
          await admin.query(`DROP SCHEMA ${schema} CASCADE`);
          await admin.end();
        },
      };
    },
  },
  {
    name: 'pglite',
    async open() {
      const store = await createPgliteStore({ secretKey: SECRET });
      return { store, raw: async () => [], cleanup: () => store.close() };
    },
  },
];

describe.each(targets)('DeploymentStore on $name', (target) => {
  let store: DeploymentStore;
  let raw: (sql: string) => Promise<unknown[]>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ store, raw, cleanup } = await target.open());
  });
  afterAll(async () => cleanup());

  it('creates a deployment with one resource row per node instance, secrets sealed at rest', async () => {
    const row = newDeployment();
    const created = await store.createDeployment(row, resources(3));
    expect(created.status).toBe('CREATE_IN_PROGRESS');
    expect(created.parameters).toEqual({ cpus: 2, db_password: 's3cr3t-value' });
    expect(created.version).toBe(1);
    const { rows, total } = await store.listResources(row.id, {});
    expect(total).toBe(3);
    expect(rows.map((r) => r.instanceId).sort()).toEqual(['server_0', 'server_1', 'server_2']);
    expect(rows.every((r) => r.state === 'INITIAL')).toBe(true);
    if (target.name === 'postgresql') {
      const [stored] = (await raw(`SELECT parameters::text AS p FROM deployments WHERE id = '${row.id}'`)) as Array<{ p: string }>;
      expect(stored.p).not.toContain('s3cr3t-value');
      expect(stored.p).toContain('$enc');
    }
  });

  it('seals the compiled plan of a deployment with secret inputs, on create and on update', async () => {
    const withSecret = (value: string) => ({ topology: {} as never, plan: { nodes: [], edges: [], levels: [], outputs: { db: value } } });
    const row = newDeployment({ compiled: withSecret('s3cr3t-value') as never });
    const created = await store.createDeployment(row, []);
    expect(created.compiled).toEqual(withSecret('s3cr3t-value'));
    const updated = await store.updateDeployment(row.id, { compiled: withSecret('n3w-s3cr3t') as never });
    expect(updated?.compiled).toEqual(withSecret('n3w-s3cr3t'));
    expect((await store.getDeployment(row.id))?.compiled).toEqual(withSecret('n3w-s3cr3t'));
    const plain = await store.createDeployment(newDeployment({ secretInputs: [], parameters: { cpus: 1 }, compiled: withSecret('visible') as never }), []);
    expect(plain.compiled).toEqual(withSecret('visible'));
    if (target.name === 'postgresql') {
      const stored = (await raw(`SELECT id, compiled::text AS c FROM deployments WHERE id IN ('${row.id}', '${plain.id}')`)) as Array<{ id: string; c: string }>;
      const sealed = stored.find((r) => r.id === row.id)!.c;
      expect(sealed).not.toContain('s3cr3t');
      expect(sealed).toContain('$enc');
      expect(stored.find((r) => r.id === plain.id)!.c).toContain('visible');
    }
  });

  it('filters resources by any parent type and pages them', async () => {
    const row = newDeployment();
    await store.createDeployment(row, resources(5));
    expect((await store.listResources(row.id, { type: 'tosca.nodes.Compute' })).total).toBe(5);
    expect((await store.listResources(row.id, { type: 'tosca.nodes.WebServer' })).total).toBe(0);
    const page = await store.listResources(row.id, { page: { page: 1, size: 2, sort: [{ field: 'toscaNodeName', direction: 'asc' }] } });
    expect(page.rows).toHaveLength(2);
    expect(page.total).toBe(5);
  });

  it('applies patches under an optimistic lock', async () => {
    const created = await store.createDeployment(newDeployment(), []);
    const updated = await store.updateDeployment(created.id, { status: 'CREATE_COMPLETE', outputs: { ip: ['10.0.0.1'] } }, created.version);
    expect(updated?.status).toBe('CREATE_COMPLETE');
    expect(updated?.outputs).toEqual({ ip: ['10.0.0.1'] });
    expect(updated?.version).toBe(created.version + 1);
    expect(await store.updateDeployment(created.id, { status: 'UPDATE_IN_PROGRESS' }, created.version)).toBeNull();
    const reparam = await store.updateDeployment(created.id, { parameters: { cpus: 4, db_password: 'other' } });
    expect(reparam?.parameters).toEqual({ cpus: 4, db_password: 'other' });
  });

  it('lists with owner, issuer, group and excluded-status filters, paged and sorted', async () => {
    const issuer = `https://iam-${randomUUID()}/`;
    const a = await store.createDeployment(newDeployment({ owner: { issuer, subject: 'a' }, userGroup: 'g1' }), []);
    await new Promise((r) => setTimeout(r, 5));
    const b = await store.createDeployment(newDeployment({ owner: { issuer, subject: 'b' }, status: 'CREATE_FAILED' }), []);
    const byIssuer = await store.listDeployments({ issuer }, { page: 0, size: 100, sort: [{ field: 'createdAt', direction: 'desc' }] });
    const ours = byIssuer.rows.filter((r) => r.owner?.issuer === issuer).map((r) => r.id);
    expect(ours).toEqual([b.id, a.id]);
    expect(byIssuer.rows.every((r) => r.owner === null || r.owner.issuer === issuer)).toBe(true);
    const mine = await store.listDeployments({ owner: { issuer, subject: 'a' } }, { page: 0, size: 10, sort: [] });
    expect(mine.rows.map((r) => r.id)).toEqual([a.id]);
    expect(mine.total).toBe(1);
    expect((await store.listDeployments({ issuer, userGroup: 'g1' }, { page: 0, size: 10, sort: [] })).rows.map((r) => r.id)).toEqual([a.id]);
    const excluded = await store.listDeployments({ owner: { issuer, subject: 'b' }, excludedStatus: ['CREATE_FAILED'] }, { page: 0, size: 10, sort: [] });
    expect(excluded.total).toBe(0);
  });

  it('keeps list totals and counts by status exact through creates, status changes and deletes', async () => {
    const issuer = `https://count-${randomUUID()}/`;
    const before = await store.countDeploymentsByStatus();
    const made = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        store.createDeployment(newDeployment({ owner: { issuer, subject: `s${i % 3}` }, userGroup: i % 4 === 0 ? 'g' : null }), []),
      ),
    );
    // Concurrent transitions in both directions between the same two statuses.
    await Promise.all(made.map((d, i) => store.updateDeployment(d.id, { status: i % 2 ? 'CREATE_COMPLETE' : 'CREATE_FAILED' })));
    await Promise.all(made.slice(0, 4).map((d, i) => store.updateDeployment(d.id, { status: i % 2 ? 'CREATE_FAILED' : 'CREATE_COMPLETE' })));
    await store.updateDeployment(made[5].id, { outputs: { ip: '10.0.0.5' } });
    await store.deleteDeployment(made[11].id);
    const page = (filter: Parameters<DeploymentStore['listDeployments']>[0]) => store.listDeployments(filter, { page: 0, size: 2, sort: [] });
    // The issuer filter also shows ownerless rows (other tests make some).
    const ownerless = (await page({ issuer: `https://none-${randomUUID()}/` })).total;
    expect((await page({ issuer })).total).toBe(11 + ownerless);
    expect((await page({ owner: { issuer, subject: 's0' } })).total).toBe(4);
    expect((await page({ owner: { issuer, subject: 's2' } })).total).toBe(3);
    // s1 holds 1, 4, 10 (CREATE_FAILED) and 7 (CREATE_COMPLETE).
    expect((await page({ owner: { issuer, subject: 's1' }, excludedStatus: ['CREATE_FAILED'] })).total).toBe(1);
    expect((await page({ owner: { issuer, subject: 's1' }, excludedStatus: ['CREATE_COMPLETE'] })).total).toBe(3);
    expect((await page({ issuer, userGroup: 'g' })).total).toBe(3);
    const empty = await store.listDeployments({ owner: { issuer, subject: 'nobody' } }, { page: 0, size: 10, sort: [] });
    expect(empty).toEqual({ rows: [], total: 0 });
    const beyond = await store.listDeployments({ owner: { issuer, subject: 's0' } }, { page: 5, size: 10, sort: [] });
    expect(beyond).toEqual({ rows: [], total: 4 });
    // Final statuses: odd i COMPLETE and even i FAILED, then 0 and 2 COMPLETE, 1 and 3 FAILED; 11 deleted.
    const finalComplete = [0, 2, 5, 7, 9].length;
    const finalFailed = [1, 3, 4, 6, 8, 10].length;
    const after = await store.countDeploymentsByStatus();
    expect((after.CREATE_COMPLETE ?? 0) - (before.CREATE_COMPLETE ?? 0)).toBe(finalComplete);
    expect((after.CREATE_FAILED ?? 0) - (before.CREATE_FAILED ?? 0)).toBe(finalFailed);
    expect((after.CREATE_IN_PROGRESS ?? 0) - (before.CREATE_IN_PROGRESS ?? 0)).toBe(0);
  });

  it('reads a summary without the template, plan or parameters', async () => {
    const d = await store.createDeployment(newDeployment({ callback: 'http://cb/', outputs: { x: 1 } }), []);
    const summary = await store.getDeploymentSummary(d.id);
    expect(summary).toEqual({
      id: d.id,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
      status: 'CREATE_IN_PROGRESS',
      statusReason: null,
      task: 'NONE',
      outputs: { x: 1 },
      callback: 'http://cb/',
      userGroup: null,
      owner: { issuer: 'https://iam/', subject: 'alice' },
      keepLastAttempt: false,
      maxProvidersRetry: null,
      timeoutMins: null,
      providerTimeoutMins: null,
      providerName: null,
      providerEndpoint: null,
      physicalId: null,
    });
    expect(await store.getDeploymentSummary(randomUUID())).toBeNull();
  });

  it('records cloud resources before creation, idempotently by name', async () => {
    const d = await store.createDeployment(newDeployment(), []);
    const first = await store.recordCloudResource({ deploymentId: d.id, instanceId: 'server_0', provider: 'sim', kind: 'server', name: 'baton-x-server_0' });
    const again = await store.recordCloudResource({ deploymentId: d.id, instanceId: 'server_0', provider: 'sim', kind: 'server', name: 'baton-x-server_0' });
    expect(again.id).toBe(first.id);
    expect([first.fresh, again.fresh]).toEqual([true, false]);
    expect(first.status).toBe('pending');
    await store.markCloudResource(first.id, { cloudId: 'srv-1', status: 'created' });
    const net = await store.recordCloudResource({ deploymentId: d.id, instanceId: null, provider: 'sim', kind: 'network', name: 'baton-x-net' });
    const listed = await store.listCloudResources(d.id);
    expect(listed.map((r) => [r.kind, r.cloudId, r.status])).toEqual([
      ['server', 'srv-1', 'created'],
      ['network', null, 'pending'],
    ]);
    expect(listed[1].seq).toBeGreaterThan(listed[0].seq);
    expect((await store.listCloudResources(d.id, { provider: 'sim', kind: 'network', name: 'baton-x-net' })).map((r) => r.id)).toEqual([net.id]);
    expect(await store.listCloudResources(d.id, { kind: 'network', name: 'baton-x-server_0' })).toEqual([]);
    expect(await store.listCloudResources(d.id, { provider: 'other', kind: 'server' })).toEqual([]);
    await store.markCloudResource(net.id, { status: 'deleted' });
    expect(await store.listCloudResources(d.id)).toHaveLength(1);
    expect(await store.listCloudResources(d.id, { includeDeleted: true })).toHaveLength(2);
  });

  it('opens a new generation with its steps and rows only when the version still matches', async () => {
    const d = await store.createDeployment(newDeployment({ status: 'CREATE_COMPLETE' }), resources(1));
    const added = (instanceId: string) => ({ ...resources(1)[0], instanceId });
    const won = await store.startGeneration(d.id, { status: 'UPDATE_IN_PROGRESS', generation: 2 }, d.version, { steps: [step('server_1', [])], resources: [added('server_1')] });
    expect(won?.generation).toBe(2);
    // A second caller read the same version: it loses, and leaves nothing of its own behind.
    const lost = await store.startGeneration(d.id, { status: 'UPDATE_IN_PROGRESS', generation: 2 }, d.version, { steps: [step('server_9', [])], resources: [added('server_9')] });
    expect(lost).toBeNull();
    expect((await store.getSteps(d.id, 2)).map((s) => s.stepId)).toEqual(['server_1']);
    expect((await store.listResources(d.id, {})).rows.map((r) => r.instanceId).sort()).toEqual(['server_0', 'server_1']);
    expect((await store.getDeployment(d.id))?.version).toBe(won!.version);
  });

  it('claims each ready step exactly once as dependencies finish', async () => {
    const d = await store.createDeployment(newDeployment(), [], [step('a', []), step('b', []), step('c', ['a', 'b']), step('d', ['a'])]);
    const first = await Promise.all([store.claimReadySteps(d.id, 1), store.claimReadySteps(d.id, 1)]);
    expect(first.flat().map((s) => s.stepId).sort()).toEqual(['a', 'b']);
    expect(await store.transitionStep(d.id, 1, 'a', ['queued'], 'running', { incrementAttempts: true })).not.toBeNull();
    expect(await store.transitionStep(d.id, 1, 'a', ['queued'], 'running')).toBeNull();
    await store.transitionStep(d.id, 1, 'a', ['running'], 'done');
    expect((await store.claimReadySteps(d.id, 1)).map((s) => s.stepId)).toEqual(['d']);
    await store.transitionStep(d.id, 1, 'b', ['queued'], 'done');
    const claims = await Promise.all([store.claimReadySteps(d.id, 1), store.claimReadySteps(d.id, 1), store.claimReadySteps(d.id, 1)]);
    expect(claims.flat().map((s) => s.stepId)).toEqual(['c']);
    const a = await store.getStep(d.id, 1, 'a');
    expect(a?.attempts).toBe(1);
  });

  it('keeps a step spec typed, a failure with its code, and whether an instance was provisioned', async () => {
    const removal: NewStepRow = {
      stepId: 'remove:web_1',
      dependsOn: [],
      spec: { kind: 'remove', instanceId: 'web_1', template: 'web', index: 1, requirements: [{ requirement: 'host', relationship: 'tosca.relationships.HostedOn', target: 'vm_1' }], teardown: [] },
    };
    const d = await store.createDeployment(newDeployment(), resources(1), [step('a', []), removal]);
    expect((await store.getStep(d.id, 1, 'remove:web_1'))?.spec).toEqual(removal.spec);
    await store.claimReadySteps(d.id, 1);
    const failed = await store.transitionStep(d.id, 1, 'a', ['queued'], 'failed', { failure: { code: 'deadline_exceeded', retryable: false, message: 'Timeout' } });
    expect([failed?.error, failed?.failureCode]).toEqual(['Timeout', 'deadline_exceeded']);
    const [row] = (await store.listResources(d.id, {})).rows;
    expect(row.provisioned).toBe(false);
    expect((await store.updateResource(d.id, row.id, { state: 'STARTED', provisioned: true }))?.provisioned).toBe(true);
    expect((await store.updateResource(d.id, row.id, { state: 'ERROR' }))?.provisioned).toBe(true);
  });

  it('claims at most a window of one deployment\'s steps, the next ones as earlier ones end (fairness)', async () => {
    const d = await store.createDeployment(newDeployment(), resources(1), Array.from({ length: 10 }, (_, i) => step(`s${i}`, [])));
    const first = await store.claimReadySteps(d.id, 1, 3);
    expect(first.map((s) => s.stepId).sort()).toEqual(['s0', 's1', 's2']);
    expect(await store.claimReadySteps(d.id, 1, 3)).toEqual([]);
    await store.transitionStep(d.id, 1, 's0', ['queued'], 'running');
    await store.transitionStep(d.id, 1, 's1', ['queued'], 'done');
    expect((await store.claimReadySteps(d.id, 1, 3)).map((s) => s.stepId)).toEqual(['s3']);
    // Without a window, every ready step at once (as before).
    expect((await store.claimReadySteps(d.id, 1)).map((s) => s.stepId).sort()).toEqual(['s4', 's5', 's6', 's7', 's8', 's9']);
  });

  it('counts an owner\'s node instances across deployments not yet deleted', async () => {
    const owner = { issuer: 'https://iam.example/', subject: `count-${randomUUID()}` };
    await store.createDeployment({ ...newDeployment(), owner }, resources(3));
    const gone = await store.createDeployment({ ...newDeployment(), owner }, resources(5));
    await store.updateDeployment(gone.id, { status: 'DELETE_COMPLETE' });
    await store.createDeployment({ ...newDeployment(), owner: { ...owner, subject: `${owner.subject}-other` } }, resources(7));
    expect(await store.countOwnerInstances(owner)).toBe(3);
  });

  it('says where a workflow stands in one read, and finds a resource by its instance', async () => {
    const d = await store.createDeployment(newDeployment(), resources(2), [step('a', []), step('b', ['a']), step('c', ['a'])]);
    expect(await store.getWorkflowProgress(d.id, 1)).toEqual({ status: 'CREATE_IN_PROGRESS', generation: 1, open: 3, failed: 0 });
    await store.claimReadySteps(d.id, 1);
    await store.transitionStep(d.id, 1, 'a', ['queued'], 'done');
    await store.transitionStep(d.id, 1, 'b', ['pending'], 'failed');
    expect(await store.getWorkflowProgress(d.id, 1)).toEqual({ status: 'CREATE_IN_PROGRESS', generation: 1, open: 1, failed: 1 });
    // Another generation's steps are not counted; the deployment's own generation is reported.
    expect(await store.getWorkflowProgress(d.id, 2)).toEqual({ status: 'CREATE_IN_PROGRESS', generation: 1, open: 0, failed: 0 });
    expect(await store.getWorkflowProgress(randomUUID(), 1)).toBeNull();

    expect((await store.getResourceByInstance(d.id, 'server_1'))?.instanceId).toBe('server_1');
    expect(await store.getResourceByInstance(d.id, 'server_9')).toBeNull();
  });

  it('appends and reads log lines in order, and keeps sealed secrets', async () => {
    const d = await store.createDeployment(newDeployment(), []);
    await store.appendLog(d.id, ['one', 'two']);
    await store.appendLog(d.id, ['three']);
    const all = await store.readLog(d.id, 0, 100);
    expect(all.map((l) => l.text)).toEqual(['one', 'two', 'three']);
    expect((await store.readLog(d.id, all[1].seq, 100)).map((l) => l.text)).toEqual(['three']);
    await store.putSecret(d.id, 'ssh_private_key', '-----BEGIN OPENSSH PRIVATE KEY-----');
    expect(await store.getSecret(d.id, 'ssh_private_key')).toBe('-----BEGIN OPENSSH PRIVATE KEY-----');
    expect(await store.getSecret(d.id, 'missing')).toBeNull();
  });

  it('deletes a deployment with everything under it', async () => {
    const d = await store.createDeployment(newDeployment(), resources(2));
    await store.appendLog(d.id, ['x']);
    await store.deleteDeployment(d.id);
    expect(await store.getDeployment(d.id)).toBeNull();
    expect((await store.listResources(d.id, {})).total).toBe(0);
    expect(await store.readLog(d.id, 0, 10)).toEqual([]);
  });

  // How fast is bench:service (c)'s to measure; here, that paging and totals stay right at scale.
  it('pages one owner out of 10,000 deployments with the right total, order and rows', async () => {
    const issuer = `https://bulk-${randomUUID()}/`;
    const n = 10_000;
    const batch = 500;
    for (let i = 0; i < n; i += batch) {
      await Promise.all(
        Array.from({ length: batch }, (_, j) =>
          store.createDeployment(newDeployment({ owner: { issuer, subject: `u${(i + j) % 50}` } }), []),
        ),
      );
    }
    const owner = { issuer, subject: 'u7' };
    const sort = [{ field: 'createdAt' as const, direction: 'desc' as const }];
    const page2 = await store.listDeployments({ owner }, { page: 2, size: 10, sort });
    const page3 = await store.listDeployments({ owner }, { page: 3, size: 10, sort });
    expect(page3.total).toBe(200);
    expect(page3.rows).toHaveLength(10);
    expect(page3.rows.every((r) => r.owner?.subject === 'u7' && r.owner.issuer === issuer)).toBe(true);
    const times = [...page2.rows, ...page3.rows].map((r) => r.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set([...page2.rows, ...page3.rows].map((r) => r.id)).size).toBe(20);
    expect((await store.getDeployment(page3.rows[0].id))?.id).toBe(page3.rows[0].id);
  }, 300_000);
});
