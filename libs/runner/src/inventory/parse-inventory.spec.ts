import { describe, expect, it } from 'vitest';
import { InventoryError } from '../errors';
import { groupVarLayers, hostGroups, selectHosts } from './inventory';
import { parseInventory } from './parse-inventory';

const INI = `
top ansible_host=10.0.0.1
[web]
web[01:03].example.com ansible_user=debian
[db]
db1 ansible_port=2222 note="a b"
[prod:children]
web
db
[prod:vars]
env=prod
retries=3
[all:vars]
env=dev
`;

describe('parseInventory', () => {
  it('reads INI with ranges, host vars, children and group vars', () => {
    const inv = parseInventory(INI);
    expect(Object.keys(inv.hosts)).toEqual(['top', 'web01.example.com', 'web02.example.com', 'web03.example.com', 'db1']);
    expect(inv.hosts.db1).toEqual({ ansible_port: 2222, note: 'a b' });
    expect(inv.groups.prod).toEqual({ hosts: [], children: ['web', 'db'], vars: { env: 'prod', retries: 3 } });
    expect(hostGroups(inv, 'db1')).toEqual(['db', 'prod']);
    // Child groups override their parents: all < prod < db.
    expect(groupVarLayers(inv, 'db1').map((l) => l.env)).toEqual(['dev', 'prod', undefined]);
  });

  it('takes a host declared at the top out of ungrouped once a group lists it, as Ansible does', () => {
    const inv = parseInventory('h1 color=red\nh2\n[web]\nh1\n');
    expect(hostGroups(inv, 'h1')).toEqual(['web']);
    expect(selectHosts(inv, 'ungrouped')).toEqual(['h2']);
  });

  it('reads YAML inventories', () => {
    const inv = parseInventory(`all:
  vars: { site: x }
  hosts:
    solo: { ansible_host: 10.0.0.9 }
  children:
    web:
      hosts:
        w1:
        w2: { http_port: 81 }
      vars: { http_port: 80 }
`);
    expect(inv.hosts).toEqual({ solo: { ansible_host: '10.0.0.9' }, w1: {}, w2: { http_port: 81 } });
    expect(inv.groups.web.vars).toEqual({ http_port: 80 });
    expect(selectHosts(inv, 'web')).toEqual(['w1', 'w2']);
  });

  it('accepts a comma list and rejects bad lines', () => {
    expect(Object.keys(parseInventory('a,b,').hosts)).toEqual(['a', 'b']);
    expect(() => parseInventory('[web:vars]\nnovalue\n')).toThrow(InventoryError);
  });

  it('selects hosts by pattern', () => {
    const inv = parseInventory(INI);
    expect(selectHosts(inv, 'prod:!web')).toEqual(['db1']);
    expect(selectHosts(inv, 'prod:&web')).toHaveLength(3);
    expect(selectHosts(inv, 'web0[12]*')).toEqual([]);
    expect(selectHosts(inv, 'web0*')).toHaveLength(3);
    expect(selectHosts(inv, 'top,db1')).toEqual(['top', 'db1']);
    expect(selectHosts(inv, 'all')).toHaveLength(5);
    expect(selectHosts(inv, 'ungrouped')).toEqual(['top']);
  });
});
