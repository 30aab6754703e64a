import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlaybookError, UnsupportedModuleError } from '../errors';
import { roleDefaults, roleParams, roleVars } from '../exec/role-vars';
import { loadPlaybook } from './load-playbook';
import type { BlockNode, IncludeNode, PlayItem } from './model';
import { listUnsupported } from './unsupported';

function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-roles-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

/** A readable outline of a task list: role runs, includes and task names. */
function outline(items: PlayItem[]): unknown[] {
  return items.map((i) => (i.kind === 'task' ? i.name : i.kind === 'include' ? `include ${i.file}` : i.roleRun ? { [`run ${i.roleRun.name}`]: outline(i.block) } : outline(i.block)));
}

describe('bare include (ansible-core 2.14)', () => {
  const dir = fixture({
    'site.yml': `- hosts: all
  tasks:
    - include: inc.yml a=1
      when: x
    - include: "{{ name }}.yml"
    - include: inc.yml
      loop: [1]
    - include_tasks: dyn.yml
`,
    'inc.yml': '- name: inner\n  debug: msg={{ a }}\n',
    'dyn.yml': '- include: inc.yml\n',
  });

  it('is static with k=v variables and keywords, dynamic when templated or looped', () => {
    const [stat, templated, looped] = loadPlaybook(join(dir, 'site.yml')).plays[0].tasks;
    expect(stat).toMatchObject({ kind: 'block', kw: { when: 'x', vars: { a: '1' } }, block: [{ name: 'inner' }] });
    expect(templated).toMatchObject({ kind: 'include', module: 'include', file: '{{ name }}.yml' });
    expect((looped as IncludeNode).kind).toBe('include');
  });

  it('is refused between plays, as ansible-core 2.14 does', () => {
    const pb = fixture({ 'a.yml': '- include: b.yml\n', 'b.yml': '- hosts: all\n' });
    expect(() => loadPlaybook(join(pb, 'a.yml'))).toThrow(/'include' is not a valid attribute for a Play/);
  });
});

describe('roles', () => {
  const dir = fixture({
    'site.yml': `- hosts: all
  roles:
    - { role: app, port: 81 }
    - { role: app, port: 81 }
    - other
  tasks:
    - import_role: name=lib
    - include_role: { name: lib, tasks_from: extra, vars_from: more, public: yes }
`,
    'roles/app/meta/main.yml': 'dependencies:\n  - { role: base, msg: hi }\n  - common\n',
    'roles/app/defaults/main.yml': 'port: 80\nlevel: app\n',
    'roles/app/vars/main.yml': 'user: www\n',
    'roles/app/tasks/main.yml': '- name: app\n  debug: msg=app\n',
    'roles/base/meta/main.yml': 'dependencies: [common]\n',
    'roles/base/defaults/main.yml': 'msg: default\nlevel: base\n',
    'roles/base/tasks/main.yml': '- name: base\n  debug: msg=base\n',
    'roles/common/tasks/main.yml': '- name: common\n  debug: msg=common\n',
    'roles/common/handlers/main.yml': '- name: common handler\n  debug: msg=h\n',
    'roles/other/meta/main.yml': 'allow_duplicates: true\ndependencies: [common]\n',
    'roles/other/tasks/main.yml': '- name: other\n  debug: msg=other\n',
    'roles/lib/tasks/main.yml': '- name: lib\n  debug: msg=lib\n',
    'roles/lib/tasks/extra.yml': '- name: lib extra\n  debug: msg=extra\n',
    'roles/lib/vars/more.yml': 'more: yes\n',
  });
  const play = loadPlaybook(join(dir, 'site.yml')).plays[0];

  it('runs dependencies first, inside the run of the role that needs them', () => {
    expect(outline(play.roleTasks)).toEqual([
      { 'run app': [{ 'run base': [{ 'run common': ['common'] }, 'base'] }, { 'run common': ['common'] }, 'app'] },
      { 'run app': [{ 'run base': [{ 'run common': ['common'] }, 'base'] }, { 'run common': ['common'] }, 'app'] },
      { 'run other': [{ 'run common': ['common'] }, 'other'] },
    ]);
  });

  it('keeps one instance per role and parameters (ROLE_CACHE), with its handlers once', () => {
    const runs = play.roleTasks as BlockNode[];
    expect(runs[0].roleRun).toBe(runs[1].roleRun);
    expect(runs[2].roleRun?.allowDuplicates).toBe(true);
    expect(runs[0].roleRun?.allowDuplicates).toBe(false);
    expect(play.handlers.map((h) => h.name)).toEqual(['common handler']);
  });

  it('computes defaults, vars and parameters through dependencies and the dep chain', () => {
    const app = play.roles[0];
    const base = app.deps[0];
    expect(roleDefaults(app)).toEqual({ msg: 'default', level: 'app', port: 80 });
    expect(roleVars(app)).toEqual({ user: 'www' });
    expect(roleParams(base, [app])).toEqual({ port: 81, msg: 'hi' });
    // The chain's defaults sit below the role's own.
    expect(roleDefaults(base, [app])).toEqual({ msg: 'default', level: 'base', port: 80 });
  });

  it('makes import_role a play role; include_role runs tasks_from and vars_from', () => {
    expect(play.roles.map((r) => r.name)).toEqual(['app', 'other', 'lib']);
    const inc = play.tasks[1] as BlockNode;
    expect(inc).toMatchObject({ includeName: 'include_role', publicRole: true });
    expect(outline(inc.block)).toEqual([{ 'run lib': ['lib extra'] }]);
    expect((inc.block[0] as BlockNode).roleRun).toMatchObject({ vars: { more: true }, allowDuplicates: true });
  });

  it('names a missing role and a dependency loop', () => {
    const missing = fixture({ 'site.yml': '- hosts: all\n  roles: [nope]\n' });
    expect(() => loadPlaybook(join(missing, 'site.yml'))).toThrow(PlaybookError);
    expect(() => loadPlaybook(join(missing, 'site.yml'))).toThrow(/the role 'nope' was not found/);
    const loop = fixture({ 'site.yml': '- hosts: all\n  roles: [a]\n', 'roles/a/meta/main.yml': 'dependencies: [b]\n', 'roles/b/meta/main.yml': 'dependencies: [a]\n' });
    expect(() => loadPlaybook(join(loop, 'site.yml'))).toThrow(/recursion loop/);
  });
});

describe('listUnsupported', () => {
  it('lists every construct with where it sits, marking files reached through templated includes', () => {
    const dir = fixture({
      'site.yml': `- hosts: all
  strategy: free
  roles: [docker]
  tasks:
    - name: long job
      command: sleep 100
      async: 600
      poll: 0
    - debug: msg="{{ lookup('pipe', 'date') }}"
    - debug: msg={{ item }}
      with_fileglob: ['*.txt']
`,
      'roles/docker/tasks/main.yml': '- include: "{{ ansible_os_family }}.yml"\n- name: run it\n  community.docker.docker_container: name=x\n',
      'roles/docker/tasks/Debian.yml': '- name: key\n  apt_key: url=https://x\n',
      'roles/docker/tasks/RedHat.yml': '- name: repo\n  yum_repository: name=x\n',
    });
    const found = listUnsupported(join(dir, 'site.yml'));
    expect(found.map((u) => [u.construct, u.task, u.role, u.conditional])).toEqual([
      ['strategy free', undefined, undefined, false],
      ['module apt_key', 'key', 'docker', true],
      ['module yum_repository', 'repo', 'docker', true],
      ['module community.docker.docker_container', 'run it', 'docker', false],
      ['keyword async', 'long job', undefined, false],
      ['lookup pipe', 'debug', undefined, false],
      ['lookup fileglob', 'debug', undefined, false],
    ]);
    // Loading for a run still stops at the first unsupported module.
    expect(() => loadPlaybook(join(dir, 'site.yml'))).toThrow(UnsupportedModuleError);
    expect(listUnsupported([{ hosts: 'all', tasks: [{ command: 'true' }] }])).toEqual([]);
  });
});
