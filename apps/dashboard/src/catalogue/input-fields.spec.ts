import { describe, expect, it } from 'vitest';
import { inputFields } from './input-fields';

describe('inputFields', () => {
  it('maps each TOSCA input type to a control, in the template order', () => {
    const fields = inputFields({
      count: { type: 'integer', default: 2, constraints: [{ in_range: [1, 10] }], description: ' How many ' },
      ratio: { type: 'float', constraints: [{ greater_or_equal: 0.5 }] },
      public: { type: 'boolean', default: true },
      flavour: { type: 'string', default: 'small', constraints: [{ valid_values: ['small', 'large'] }] },
      admin_token: { type: 'string', default: 'hunter2' },
      key: { type: 'password', required: false },
      users: { type: 'list', default: ['a', 'b'] },
      mem: { type: 'scalar-unit.size' },
      ports: { type: 'map', entry_schema: { type: 'tosca.datatypes.network.PortSpec' }, default: { http: { protocol: 'tcp', source: 80 }, range: { protocol: 'udp', source_range: [9000, 9100] } } },
      env: { type: 'map', entry_schema: { type: 'string' }, default: { A: '1' } },
    });
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ['count', 'number'],
      ['ratio', 'number'],
      ['public', 'checkbox'],
      ['flavour', 'select'],
      ['admin_token', 'password'],
      ['key', 'password'],
      ['users', 'list'],
      ['mem', 'text'],
      ['ports', 'ports'],
      ['env', 'map'],
    ]);
    expect(fields.map((f) => f.label).slice(0, 2)).toEqual(['Count', 'Ratio']);
    expect(fields[0]).toMatchObject({ step: '1', min: 1, max: 10, defaultValue: '2', description: 'How many', required: false });
    expect(fields[1]).toMatchObject({ step: 'any', min: 0.5, required: true });
    expect(fields[1].max).toBeUndefined();
    expect(fields[2].defaultValue).toBe('true');
    expect(fields[3].options).toEqual([
      { value: 'small', label: 'small' },
      { value: 'large', label: 'large' },
    ]);
    // A secret's default never reaches a page; with a default it is not required.
    expect(fields[4].defaultValue).toBeUndefined();
    expect(fields[4].required).toBe(false);
    expect(fields[5].required).toBe(false);
    // Editors show lists one entry per line, maps key=value, ports as port/protocol.
    expect(fields[6].defaultValue).toBe('a\nb');
    expect(fields[7].required).toBe(true);
    expect(fields[8].defaultValue).toBe('80/tcp\n9000-9100/udp');
    expect(fields[9].defaultValue).toBe('A=1');
  });

  it('takes the parameters file: tab, display name, widget and options', () => {
    const [field] = inputFields(
      { os: { type: 'string', default: 'ubuntu', description: 'OS' } },
      { os: { tab: 'System', display_name: 'Distribution', type: 'select', options: [{ value: 'ubuntu', label: 'Ubuntu' }, 'debian'] } },
      'First',
    );
    expect(field).toMatchObject({ tab: 'System', label: 'Distribution', kind: 'select', defaultValue: 'ubuntu', description: 'OS' });
    expect(field.options).toEqual([
      { value: 'ubuntu', label: 'Ubuntu' },
      { value: 'debian', label: 'debian' },
    ]);
    expect(inputFields({ n: { type: 'integer' } }, {}, 'First')[0].tab).toBe('First');
  });

  it('reads no fields from a template without inputs', () => {
    expect(inputFields(undefined)).toEqual([]);
    expect(inputFields(['x'])).toEqual([]);
  });
});
