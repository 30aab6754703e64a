import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArtifactSource } from './artifact-source';
import { bundlePlaybook, writeBundle } from './playbook-bundle';
import { playbookRefs } from './playbook-refs';

const dir = mkdtempSync(join(tmpdir(), 'baton-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const PLAYBOOK = `---
- hosts: localhost
  connection: local
  vars_files:
    - vars/common.yml
  roles:
    - role: indigo-dc.slurm
      slurm_type_of_node: front
  tasks:
    - include: ../common/tasks/base.yml
    - import_tasks: "{{ dynamic }}.yml"
    - template: src=slurm.conf.j2 dest=/etc/slurm.conf
    - copy:
        src: motd
        dest: /etc/motd
    - include_role:
        name: indigo-dc.nfs
    - template: src={{ item }} dest=/etc/x
      with_first_found:
        - debian.j2
        - default.j2
`;

describe('playbookRefs', () => {
  it('lists the files and roles a playbook names, leaving Jinja2 paths out', () => {
    const refs = playbookRefs(PLAYBOOK);
    expect(refs.roles).toEqual(['indigo-dc.slurm', 'indigo-dc.nfs']);
    expect(refs.files.map((f) => `${f.kind}:${f.path}${f.optional ? '?' : ''}`)).toEqual([
      'vars:vars/common.yml',
      'tasks:../common/tasks/base.yml',
      'template:slurm.conf.j2',
      'copy:motd',
      'first_found:debian.j2?',
      'first_found:default.j2?',
    ]);
  });
});

describe('bundlePlaybook', () => {
  const mirror = join(dir, 'mirror');
  tree(mirror, {
    'slurm/fe.yml': PLAYBOOK,
    'slurm/vars/common.yml': 'x: 1\n',
    'common/tasks/base.yml': '- template: src=base.j2 dest=/etc/base\n',
    'common/tasks/templates/base.j2': 'base',
    'slurm/templates/slurm.conf.j2': 'conf',
    'slurm/files/motd': 'hello',
    'slurm/templates/default.j2': 'default',
  });
  const prefix = 'https://raw.githubusercontent.com/indigo-dc/tosca-types/master/';
  const source = new ArtifactSource({ allow: [], mirrors: [{ prefix, dir: mirror }], cacheDir: join(dir, 'cache') });

  it('resolves every reference against the URL of the file naming it, and writes them with the same layout', async () => {
    const bundle = await bundlePlaybook(source, `${prefix}slurm/fe.yml`);
    expect(Object.keys(bundle.files).map((u) => u.slice(prefix.length)).sort()).toEqual([
      'common/tasks/base.yml',
      'common/tasks/templates/base.j2',
      'slurm/fe.yml',
      'slurm/files/motd',
      'slurm/templates/default.j2',
      'slurm/templates/slurm.conf.j2',
      'slurm/vars/common.yml',
    ]);
    expect(Object.values(bundle.files).every((d) => /^sha256:[0-9a-f]{64}$/.test(d))).toBe(true);
    const out = join(dir, 'work');
    const entry = writeBundle(source, bundle, out);
    expect(readFileSync(entry, 'utf8')).toBe(PLAYBOOK);
    expect(readFileSync(join(dirname(entry), '../common/tasks/templates/base.j2'), 'utf8')).toBe('base');
  });

  it('names the missing file, the file naming it and where it looked', async () => {
    tree(mirror, { 'broken/p.yml': '- hosts: all\n  tasks:\n    - copy: src=gone.txt dest=/x\n' });
    await expect(bundlePlaybook(source, `${prefix}broken/p.yml`)).rejects.toMatchObject({
      code: 'artifact_fetch_failed',
      message: expect.stringMatching(/gone\.txt, named by .*broken\/p\.yml, was found at none of .*broken\/files\/gone\.txt, .*broken\/gone\.txt/),
    });
  });

  it('keeps a reference outside the allow-list an error, whatever the playbook says', async () => {
    tree(mirror, { 'evil/p.yml': '- hosts: all\n  vars_files:\n    - https://evil.example/x.yml\n' });
    await expect(bundlePlaybook(source, `${prefix}evil/p.yml`)).rejects.toMatchObject({ code: 'artifact_not_allowed' });
  });
});
