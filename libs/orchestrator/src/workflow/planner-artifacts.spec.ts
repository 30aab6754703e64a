// The one planner locks every operation's remote artifacts, roles and executor, and refuses a plan
// whose operations cannot be had, naming node and operation, together with the checks' problems.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '@lib/tosca';
import { afterAll, describe, expect, it } from 'vitest';
import { ArtifactSource } from '../artifacts/artifact-source';
import { OperationArtifacts } from '../artifacts/operation-artifacts';
import { RoleResolver } from '../artifacts/role-resolver';
import { PlanRejectedError } from '../errors';
import type { StoredPlan } from '../store.port';
import { WorkflowPlanner } from './planner';

const dir = mkdtempSync(join(tmpdir(), 'baton-planner-artifacts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MIRROR = 'https://raw.githubusercontent.com/example/tosca-types/master/';
mkdirSync(join(dir, 'mirror', 'artifacts'), { recursive: true });
writeFileSync(join(dir, 'mirror', 'artifacts', 'app.yml'), '- hosts: localhost\n  connection: local\n  roles: [example.app]\n');
mkdirSync(join(dir, 'roles', 'example.app', 'tasks'), { recursive: true });
writeFileSync(join(dir, 'roles', 'example.app', 'tasks', 'main.yml'), '- name: one\n  community.general.ini_file: path=/x section=a option=b value=c\n');

async function compiled(url: string): Promise<StoredPlan> {
  const text = `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  node_templates:
    app:
      type: tosca.nodes.SoftwareComponent
      requirements: [{ host: vm }]
      interfaces:
        Standard:
          configure: ${url}
    vm:
      type: tosca.nodes.Compute
`;
  const r = await compile({ text, file: 't.yaml' }, {});
  if (!r.topology || !r.plan) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return { topology: r.topology, plan: r.plan };
}

function planner(): WorkflowPlanner {
  let n = 0;
  const artifacts = new OperationArtifacts({
    source: new ArtifactSource({ allow: [], mirrors: [{ prefix: MIRROR, dir: join(dir, 'mirror') }], cacheDir: join(dir, 'cache') }),
    roles: new RoleResolver({ rolesPath: [join(dir, 'roles')] }),
    executor: 'auto',
    artifactsDir: dir,
    workRoot: join(dir, 'work'),
  });
  return new WorkflowPlanner([], () => `r${n++}`, artifacts);
}

describe('WorkflowPlanner with artifacts', () => {
  it('locks the files by digest, the roles and the executor with its reason, and says so for the log', async () => {
    const g = await planner().planCreate(await compiled(`${MIRROR}artifacts/app.yml`), {});
    expect(g.compiled.artifacts?.['app.Standard.configure']).toMatchObject({
      implementation: `${MIRROR}artifacts/app.yml`,
      files: { [`${MIRROR}artifacts/app.yml`]: expect.stringMatching(/^sha256:/) },
      roles: [{ name: 'example.app', via: 'folder' }],
      executor: 'ansible-playbook',
      reason: 'community.general.ini_file in role example.app',
    });
    expect(g.notes[0]).toBe('app.Standard.configure: runs with ansible-playbook: community.general.ini_file in role example.app');
  });

  it('refuses a URL outside the allow-list, naming node and operation, before anything is planned to store', async () => {
    const refused = await planner()
      .planCreate(await compiled('https://evil.example/x.yml'), {})
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PlanRejectedError);
    expect((refused as PlanRejectedError).problems).toEqual([
      { code: 'artifact_not_allowed', node: 'app', operation: 'Standard.configure', message: 'https://evil.example/x.yml is outside the artifact allow-list (BATON_ARTIFACT_ALLOW: empty)' },
    ]);
  });
});
