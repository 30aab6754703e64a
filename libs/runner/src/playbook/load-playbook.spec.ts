import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlaybookError, UnsupportedModuleError } from '../errors';
import { parseFreeForm } from './free-form';
import { loadPlaybook } from './load-playbook';
import type { BlockNode, TaskNode } from './model';

function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-pb-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

describe('loadPlaybook', () => {
  it('replaces import_playbook by the plays it names, with its vars and when', () => {
    const dir = fixture({
      'site.yml': '- import_playbook: sub/db.yml\n  vars: { port: 5432 }\n  when: enabled\n- hosts: web\n  tasks: []\n',
      'sub/db.yml': '- hosts: db\n  vars: { name: main }\n  tasks:\n    - command: "true"\n',
    });
    const pb = loadPlaybook(join(dir, 'site.yml'));
    expect(pb.plays.map((p) => p.hosts)).toEqual(['db', 'web']);
    expect(pb.plays[0]).toMatchObject({ vars: { port: 5432, name: 'main' }, kw: { when: ['enabled'] }, dir: join(dir, 'sub') });
    const loop = fixture({ 'a.yml': '- import_playbook: a.yml\n' });
    expect(() => loadPlaybook(join(loop, 'a.yml'))).toThrow(/loop/);
  });

  it('parses plays, keywords, free-form args, blocks and handlers', () => {
    const pb = loadPlaybook([
      {
        hosts: 'web',
        vars: { a: 1 },
        tasks: [
          { name: 'x', 'ansible.builtin.file': 'path=/tmp/x state=touch mode=0644', when: 'a == 1', register: 'r' },
          { shell: 'echo hi chdir=/tmp', loop: [1, 2] },
          { block: [{ command: 'true' }], rescue: [{ debug: { msg: 'r' } }], become: true },
        ],
        handlers: [{ name: 'h', service: { name: 'x', state: 'restarted' } }],
      },
    ]);
    const [t1, t2, block] = pb.plays[0].tasks as [TaskNode, TaskNode, BlockNode];
    expect(t1).toMatchObject({ module: 'file', args: { path: '/tmp/x', state: 'touch', mode: '0644' }, kw: { when: 'a == 1', register: 'r', name: 'x' } });
    expect(t2).toMatchObject({ module: 'shell', name: 'shell', args: { _raw_params: 'echo hi', chdir: '/tmp' } });
    expect(block.kind).toBe('block');
    expect(block.kw).toEqual({ become: true });
    expect(pb.plays[0].handlers.map((h) => h.name)).toEqual(['h']);
    expect(pb.plays[0].gatherFacts).toBe(true);
  });

  it('names the module and the task of an unsupported module', () => {
    expect(() => loadPlaybook([{ hosts: 'all', tasks: [{ name: 'do it', 'community.x.y': {} }] }])).toThrow(UnsupportedModuleError);
    expect(() => loadPlaybook([{ hosts: 'all', tasks: [{ name: 'do it', 'community.x.y': {} }] }])).toThrow(/'community.x.y' in task 'do it'/);
    expect(() => loadPlaybook([{ hosts: 'all', tasks: [{ name: 'two', copy: {}, file: {} }] }])).toThrow(PlaybookError);
  });

  it('checks the modules of include_tasks files with a static name, nested and in roles, at load time', () => {
    const dir = fixture({
      'site.yml': '- hosts: all\n  tasks:\n    - name: first\n      debug: msg=hi\n    - include_tasks: inc/a.yml\n      when: false\n',
      'inc/a.yml': '- include_tasks: b.yml\n',
      'inc/b.yml': '- name: install with pip\n  pip: name=x\n',
      'role.yml': '- hosts: all\n  roles: [r]\n',
      'roles/r/tasks/main.yml': '- include_tasks: sub.yml\n',
      'roles/r/tasks/sub.yml': '- name: from the role\n  community.general.ufw: rule=allow\n',
      'dynamic.yml': '- hosts: all\n  tasks:\n    - include_tasks: "{{ which }}.yml"\n    - include_tasks: missing.yml\n    - include_tasks: self.yml\n',
      'self.yml': '- include_tasks: self.yml\n- debug: msg=ok\n',
    });
    const thrown = (file: string) => {
      try {
        loadPlaybook(join(dir, file));
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const nested = thrown('site.yml');
    expect(nested).toBeInstanceOf(UnsupportedModuleError);
    expect(nested).toMatchObject({ module: 'pip', task: 'install with pip', file: join(dir, 'inc/b.yml') });
    expect(thrown('role.yml')).toMatchObject({ module: 'community.general.ufw', task: 'from the role' });
    // Templated names, files missing at load time and self-includes are left to run time.
    expect(thrown('dynamic.yml')).toBeUndefined();
  });

  it('expands roles with meta dependencies, defaults, vars and handlers, and static imports', () => {
    const dir = fixture({
      'site.yml': '- hosts: all\n  roles:\n    - { role: app, port: 81 }\n  tasks:\n    - import_tasks: more.yml\n',
      'more.yml': '- debug: msg=more\n',
      'roles/app/meta/main.yml': 'dependencies: [base]\n',
      'roles/app/tasks/main.yml': '- name: app task\n  debug: msg=app\n',
      'roles/app/defaults/main.yml': 'port: 80\nmode: 0644\n',
      'roles/app/vars/main.yml': 'app_user: www\n',
      'roles/app/handlers/main.yml': '- name: restart app\n  debug: msg=r\n',
      'roles/base/tasks/main.yml': '- debug: msg=base\n',
    });
    const play = loadPlaybook(join(dir, 'site.yml')).plays[0];
    // The role's run: its dependency's run first, then its tasks.
    const app = play.roleTasks[0] as BlockNode;
    expect(app.roleRun?.name).toBe('app');
    expect(app.block.map((i) => (i.kind === 'block' ? `run ${i.roleRun?.name}` : i.name))).toEqual(['run base', 'app task']);
    expect(play.roles.map((r) => r.name)).toEqual(['app']);
    expect(play.roles[0]).toMatchObject({ params: { port: 81 }, vars: { app_user: 'www' }, deps: [{ name: 'base' }] });
    // YAML 1.1 as PyYAML reads it: 0644 is octal.
    expect(play.roles[0].defaults).toEqual({ port: 80, mode: 0o644 });
    expect(play.handlers.map((h) => h.name)).toEqual(['restart app']);
    expect(((play.tasks[0] as BlockNode).block[0] as TaskNode).module).toBe('debug');
  });
});

describe('parseFreeForm', () => {
  it('splits k=v words, keeping quotes and templates together, decoding escapes', () => {
    expect(parseFreeForm('copy', 'content="a b\\n" dest={{ d | default("/x y") }}')).toEqual({ content: 'a b\n', dest: '{{ d | default("/x y") }}' });
    expect(parseFreeForm('command', 'ls -l /tmp creates=/x')).toEqual({ _raw_params: 'ls -l /tmp', creates: '/x' });
  });
});
