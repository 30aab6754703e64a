import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseExecutor } from './executor-choice';

const dir = mkdtempSync(join(tmpdir(), 'baton-executor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function choose(files: Record<string, string>, setting: 'auto' | 'runner' | 'ansible-playbook' = 'auto') {
  const root = mkdtempSync(join(dir, 'case-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(join(root, 'roles'), { recursive: true });
  return chooseExecutor(setting, join(root, 'play', 'site.yml'), { playbookDir: join(root, 'play'), rolesDir: join(root, 'roles') });
}

describe('chooseExecutor', () => {
  it('keeps our runner when it supports every module and keyword', () => {
    expect(choose({ 'play/site.yml': '- hosts: all\n  tasks:\n    - copy: content=x dest=/tmp/x\n' })).toEqual({ executor: 'runner', reason: 'every module and keyword is supported' });
  });

  it('takes ansible-playbook for a collection module, naming it and its task', () => {
    expect(choose({ 'play/site.yml': '- hosts: all\n  tasks:\n    - name: start it\n      community.docker.docker_container: name=x\n' })).toEqual({
      executor: 'ansible-playbook',
      reason: 'community.docker.docker_container in task "start it"',
    });
  });

  it('names the role whose task our runner cannot run', () => {
    const choice = choose({ 'play/site.yml': '- hosts: all\n  roles:\n    - indigo-dc.docker\n', 'roles/indigo-dc.docker/tasks/main.yml': '- name: key\n  apt_key: url=https://x/key\n' });
    expect(choice).toEqual({ executor: 'ansible-playbook', reason: 'apt_key in role indigo-dc.docker' });
  });

  it('takes ansible-playbook for async and for another strategy', () => {
    expect(choose({ 'play/site.yml': '- hosts: all\n  tasks:\n    - name: long\n      command: sleep 1\n      async: 10\n      poll: 1\n' }).reason).toBe('async in site.yml');
    expect(choose({ 'play/site.yml': '- hosts: all\n  strategy: free\n  tasks: []\n' }).reason).toBe('strategy free in site.yml');
    expect(choose({ 'play/site.yml': '- hosts: all\n  strategy: linear\n  tasks: []\n' }).executor).toBe('runner');
  });

  it('lets the setting force either', () => {
    expect(choose({ 'play/site.yml': '- hosts: all\n  tasks:\n    - community.docker.docker_container: name=x\n' }, 'runner')).toEqual({ executor: 'runner', reason: 'BATON_ANSIBLE_EXECUTOR=runner' });
  });
});
