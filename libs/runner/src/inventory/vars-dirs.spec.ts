import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InventoryError } from '../errors';
import { parseInventory } from './parse-inventory';
import { adjacentVars, hostVarLayers } from './vars-dirs';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-vars-dirs-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

const merged = (layers: { groupLayers: Record<string, unknown>[]; hostVars: Record<string, unknown> }) => ({ ...Object.assign({}, ...layers.groupLayers), ...layers.hostVars });

describe('group_vars/ and host_vars/', () => {
  // Each variable is set at one more level than the one before it, so the winner names the level.
  const inv = tree({
    'inventory.ini': [
      'web1 v_host_inv=inv-host v_hv_inv=inv-host v_hv_pb=inv-host',
      '[web]',
      'web1',
      '[prod:children]',
      'web',
      '[web:vars]',
      ...'v_grp=inv-web v_gv_inv=inv-web v_gv_pb=inv-web v_all_pb=inv-web v_host_inv=inv-web'.split(' '),
      '[all:vars]',
      ...'v_all=inv-all v_grp=inv-all v_all_inv=inv-all v_all_pb=inv-all v_gv_inv=inv-all'.split(' '),
    ].join('\n'),
    'group_vars/all.yml': 'v_all_inv: dir-all\nv_all_pb: dir-all\nv_gv_inv: dir-all\n',
    'group_vars/web/10-a.yml': 'v_gv_inv: dir-web\nv_gv_pb: dir-web\nv_order: first\n',
    'group_vars/web/20-b.yaml': 'v_order: second\n',
    'group_vars/web/.hidden.yml': 'v_order: hidden\n',
    'group_vars/web/ignored.txt': 'v_order: txt\n',
    'group_vars/prod': 'v_prod: dir-prod\nv_gv_inv: dir-prod\n',
    'host_vars/web1.yml': 'v_hv_inv: dir-host\nv_hv_pb: dir-host\n',
  });
  const pb = tree({
    'site.yml': '- hosts: all\n  tasks: []\n',
    'group_vars/all.json': '{"v_all_pb": "pb-all"}',
    'group_vars/web.yml': 'v_gv_pb: pb-web\n',
    'host_vars/web1/main.yml': 'v_hv_pb: pb-host\n',
    'host_vars/localhost.yml': 'v_local: pb-local\n',
  });

  it('reads the inventory file folder and applies Ansible precedence', () => {
    const inventory = parseInventory(join(inv, 'inventory.ini'));
    expect(inventory.dir).toBe(inv);
    const vars = merged(hostVarLayers(inventory, 'web1', { inventoryDir: inventory.dir, playbookDir: pb }));
    expect(vars).toMatchObject({
      v_all: 'inv-all', // inventory [all:vars]
      v_grp: 'inv-web', // inventory group vars above inventory all vars
      v_all_inv: 'dir-all', // inventory group_vars/all above inventory group vars
      v_all_pb: 'pb-all', // playbook group_vars/all above inventory group_vars/all (and inventory [web:vars])
      v_gv_inv: 'dir-web', // inventory group_vars/web above group_vars/all, child group above parent
      v_prod: 'dir-prod', // a file without extension
      v_gv_pb: 'pb-web', // playbook group_vars/web above inventory group_vars/web
      v_host_inv: 'inv-host', // inventory host vars above every group var
      v_hv_inv: 'dir-host', // inventory host_vars/ above inventory host vars
      v_hv_pb: 'pb-host', // playbook host_vars/ above inventory host_vars/
      v_order: 'second', // files of a folder in name order, hidden and other extensions left out
    });
  });

  it('gives a host only named by the playbook the all group and its own host_vars', () => {
    const inventory = parseInventory(join(inv, 'inventory.ini'));
    const vars = merged(hostVarLayers(inventory, 'localhost', { inventoryDir: inventory.dir, playbookDir: pb }));
    expect(vars).toMatchObject({ v_all: 'inv-all', v_all_inv: 'dir-all', v_all_pb: 'pb-all', v_local: 'pb-local' });
    expect(vars.v_grp).toBe('inv-all'); // not the web group's
  });

  it('has no folders for inline inventory text, and refuses a file that is not a mapping', () => {
    expect(parseInventory('h1 a=1\n').dir).toBeUndefined();
    const bad = tree({ 'group_vars/all.yml': '- a\n- b\n' });
    expect(() => adjacentVars(bad, 'group_vars', 'all')).toThrow(InventoryError);
    expect(adjacentVars(undefined, 'group_vars', 'all')).toEqual({});
  });
});
