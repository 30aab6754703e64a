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
    });
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ['count', 'number'],
      ['ratio', 'number'],
      ['public', 'checkbox'],
      ['flavour', 'select'],
      ['admin_token', 'password'],
      ['key', 'password'],
      ['users', 'text'],
      ['mem', 'text'],
    ]);
    expect(fields[0]).toMatchObject({ step: '1', min: 1, max: 10, defaultValue: '2', description: 'How many', required: false });
    expect(fields[1]).toMatchObject({ step: 'any', min: 0.5, required: true });
    expect(fields[1].max).toBeUndefined();
    expect(fields[2].defaultValue).toBe('true');
    expect(fields[3].options).toEqual(['small', 'large']);
    // A secret's default never reaches a page; with a default it is not required.
    expect(fields[4].defaultValue).toBeUndefined();
    expect(fields[4].required).toBe(false);
    expect(fields[5].required).toBe(false);
    expect(fields[6].defaultValue).toBe('["a","b"]');
    expect(fields[7].required).toBe(true);
  });

  it('reads no fields from a template without inputs', () => {
    expect(inputFields(undefined)).toEqual([]);
    expect(inputFields(['x'])).toEqual([]);
  });
});
