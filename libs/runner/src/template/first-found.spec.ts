import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findInSearchPath, firstFound, firstFoundCandidates } from './first-found';

describe('first_found', () => {
  it('builds candidates from names, lists and files/paths mappings', () => {
    expect(firstFoundCandidates(['a', ['b', 'c']], {}).search).toEqual(['a', 'b', 'c']);
    expect(firstFoundCandidates([{ files: 'x.yml,y.yml', paths: 'p1:p2', skip: true }], {})).toEqual({ search: ['p1/x.yml', 'p1/y.yml', 'p2/x.yml', 'p2/y.yml'], skip: true });
  });

  it('searches the role, then the task folder, then the playbook folder, subdir first', () => {
    const root = mkdtempSync(join(tmpdir(), 'baton-ff-'));
    for (const f of ['roles/r/templates/t.j2', 'roles/r/tasks/u.j2', 'templates/v.j2']) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), '');
    }
    const paths = [join(root, 'roles/r'), join(root, 'roles/r/tasks')];
    expect(findInSearchPath(paths, root, 'templates', 't.j2')).toBe(join(root, 'roles/r/templates/t.j2'));
    expect(findInSearchPath(paths, root, 'templates', 'u.j2')).toBe(join(root, 'roles/r/tasks/u.j2'));
    expect(findInSearchPath(paths, root, 'templates', 'v.j2')).toBe(join(root, 'templates/v.j2'));
    const find = (n: string) => findInSearchPath(paths, root, 'templates', n);
    expect(firstFound(['{{ bad }}', 'nope', 'v.j2'], {}, find, (n) => (n.includes('{{') ? undefined : n))).toEqual([join(root, 'templates/v.j2')]);
    expect(firstFound([{ files: ['nope'], skip: true }], {}, find, (n) => n)).toEqual([]);
    expect(() => firstFound(['nope'], {}, find, (n) => n)).toThrow('No file was found when using first_found.');
  });
});
