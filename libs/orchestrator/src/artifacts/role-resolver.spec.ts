import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRoleArtifact, RoleResolver } from './role-resolver';

const dir = mkdtempSync(join(tmpdir(), 'baton-roles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function role(base: string, name: string, deps: string[] = []): string {
  const path = join(base, name);
  mkdirSync(join(path, 'tasks'), { recursive: true });
  mkdirSync(join(path, 'meta'), { recursive: true });
  writeFileSync(join(path, 'tasks', 'main.yml'), '- debug: msg=hi\n');
  writeFileSync(join(path, 'meta', 'main.yml'), `dependencies:\n${deps.map((d) => `  - ${d}\n`).join('')}`);
  return path;
}

describe('parseRoleArtifact', () => {
  it('reads src[,version[,name]] as ansible-galaxy does', () => {
    expect(parseRoleArtifact('indigo-dc.slurm,master')).toEqual({ name: 'indigo-dc.slurm', src: 'indigo-dc.slurm', version: 'master' });
    expect(parseRoleArtifact('git+https://github.com/grycap/ansible-role-docker,v2.4.0')).toEqual({ name: 'ansible-role-docker', src: 'git+https://github.com/grycap/ansible-role-docker', version: 'v2.4.0' });
    expect(parseRoleArtifact('https://x.org/r.git,v1,grycap.docker')).toMatchObject({ name: 'grycap.docker', version: 'v1' });
  });
});

describe('RoleResolver', () => {
  const folder = join(dir, 'roles');
  role(folder, 'indigo-dc.slurm,master', ['{ role: indigo-dc.common }']);
  role(folder, 'indigo-dc.slurm');
  role(folder, 'indigo-dc.common');
  const override = role(join(dir, 'mine'), 'slurm-standin');

  it('takes NAME,VERSION/ before NAME/ and follows meta dependencies', async () => {
    const roles = await new RoleResolver({ rolesPath: [folder] }).resolve([{ name: 'indigo-dc.slurm', version: 'master' }]);
    expect(roles.map((r) => [r.name, r.dir.slice(folder.length + 1), r.via])).toEqual([
      ['indigo-dc.slurm', 'indigo-dc.slurm,master', 'folder'],
      ['indigo-dc.common', 'indigo-dc.common', 'folder'],
    ]);
  });

  it('uses the override map first, by NAME,VERSION or NAME, and says so', async () => {
    const roles = await new RoleResolver({ rolesPath: [folder], overrides: { 'indigo-dc.slurm,master': override } }).resolve([{ name: 'indigo-dc.slurm', version: 'master' }]);
    expect(roles).toEqual([{ name: 'indigo-dc.slurm', version: 'master', dir: override, via: 'override' }]);
  });

  it('reports a missing role with the places it looked in', async () => {
    await expect(new RoleResolver({ rolesPath: [folder] }).resolve([{ name: 'indigo-dc.nope', version: 'v1' }])).rejects.toMatchObject({
      code: 'role_missing',
      message: expect.stringContaining(`role indigo-dc.nope (v1) was found in none of: ${folder}/indigo-dc.nope[,v1]`),
    });
  });
});
