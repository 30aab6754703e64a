import type { NodeInstance } from '@lib/tosca';
import { describe, expect, it } from 'vitest';
import { diffInstances, type ExistingInstance } from './update-diff';

const have = (template: string, n: number): ExistingInstance[] =>
  Array.from({ length: n }, (_, i) => ({ instanceId: `${template}_${i}`, template, index: i, resourceId: `r-${template}-${i}` }));
const want = (template: string, n: number): NodeInstance[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${template}_${i}`, template, type: 't', index: i }));

describe('diffInstances', () => {
  it('scales out with fresh indices and keeps the rest', () => {
    const d = diffInstances(have('server', 1), want('server', 3), {});
    expect(d.kept).toEqual(['server_0']);
    expect(d.added.map((a) => a.instanceId)).toEqual(['server_1', 'server_2']);
    expect(d.removed).toEqual([]);
  });
  it('scales in removing the removal_list ones first, then the newest', () => {
    const d = diffInstances(have('server', 4), want('server', 2), { server: ['r-server-1'] });
    expect(d.removed.sort()).toEqual(['server_1', 'server_3']);
    expect(d.mapping).toEqual({ server_0: 'server_0', server_1: 'server_2' });
    expect(diffInstances(have('server', 3), want('server', 2), {}).removed).toEqual(['server_2']);
  });
  it('never reuses the index of a removed instance when it scales out again', () => {
    const existing = have('server', 3).filter((e) => e.index !== 1);
    const d = diffInstances(existing, want('server', 3), {});
    expect(d.added.map((a) => a.instanceId)).toEqual(['server_3']);
  });
  it('adds new templates with their plan ids and removes dropped templates', () => {
    const d = diffInstances(have('db', 1), want('web', 2), {});
    expect(d.added.map((a) => a.instanceId)).toEqual(['web_0', 'web_1']);
    expect(d.removed).toEqual(['db_0']);
  });
});

describe('diffInstances with hosted instances', () => {
  const hosted = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`app_${i}`, `vm_${i}`]));
  it('removes the software of a removed server with it, not the newest software', () => {
    const existing = [...have('vm', 3), ...have('app', 3)];
    const d = diffInstances(existing, [...want('vm', 2), ...want('app', 2)], { vm: ['r-vm-0'] }, { existing: hosted(3), planned: hosted(2) });
    expect(d.removed.sort()).toEqual(['app_0', 'vm_0']);
    // Kept software stays paired with the server it runs on.
    expect(d.mapping).toEqual({ vm_0: 'vm_1', vm_1: 'vm_2', app_0: 'app_1', app_1: 'app_2' });
    expect(d.added).toEqual([]);
  });
  it('puts new software on a new server when scaling out', () => {
    const existing = [...have('vm', 1), ...have('app', 1)];
    const d = diffInstances(existing, [...want('vm', 2), ...want('app', 2)], {}, { existing: hosted(1), planned: hosted(2) });
    expect(d.mapping).toEqual({ vm_0: 'vm_0', vm_1: 'vm_1', app_0: 'app_0', app_1: 'app_1' });
    expect(d.added.map((a) => a.instanceId)).toEqual(['vm_1', 'app_1']);
    expect(d.removed).toEqual([]);
  });
});
