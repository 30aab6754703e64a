import { describe, expect, it } from 'vitest';
import { readConstraints, satisfies } from './constraint-clause';
import { DiagnosticBag } from './diagnostics';

function clause(yaml: Record<string, unknown>) {
  const bag = new DiagnosticBag();
  const [c] = readConstraints([yaml] as never, 'c', 'f.yaml', bag);
  expect(bag.items).toEqual([]);
  return c;
}

describe('constraint clauses (TOSCA 1.3 §3.6.3): every operator', () => {
  it.each([
    ['equal', 'integer', { equal: 3 }, 3, 4],
    ['greater_than', 'integer', { greater_than: 3 }, 4, 3],
    ['greater_or_equal', 'scalar-unit.size', { greater_or_equal: '1 GB' }, '1024 MB', '512 MB'],
    ['less_than', 'float', { less_than: 1.5 }, 1, 1.5],
    ['less_or_equal', 'version', { less_or_equal: '1.10' }, '1.9', '1.11'],
    ['in_range', 'integer', { in_range: [1, 65535] }, 22, 0],
    ['in_range (UNBOUNDED)', 'integer', { in_range: [1, 'UNBOUNDED'] }, 1e9, 0],
    ['valid_values', 'string', { valid_values: ['a', 'b'] }, 'b', 'c'],
    ['length', 'string', { length: 3 }, 'abc', 'ab'],
    ['min_length', 'list', { min_length: 2 }, [1, 2], [1]],
    ['max_length', 'map', { max_length: 1 }, { a: 1 }, { a: 1, b: 2 }],
    ['pattern', 'string', { pattern: '[a-z]+' }, 'abc', 'abc1'],
  ])('%s', (_name, type, yaml, good, bad) => {
    const c = clause(yaml);
    expect(satisfies(c, type, good)).toBe(true);
    expect(satisfies(c, type, bad)).toBe(false);
  });

  it('reports unknown operators and malformed arguments', () => {
    const bag = new DiagnosticBag();
    readConstraints([{ bigger: 1 }, { in_range: [1] }, { pattern: '(' }] as never, 'c', 'f.yaml', bag);
    expect(bag.items.map((d) => d.code)).toEqual(['invalid_constraint', 'invalid_constraint', 'invalid_constraint']);
  });
});
