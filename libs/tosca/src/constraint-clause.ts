// Constraint clauses (TOSCA 1.3 §3.6.3): every operator of the 1.x grammar. A clause is read
// once from its definition and applied to values of the property's type.
import { diag, describe, type DiagnosticBag } from './diagnostics';
import { comparable, compare } from './primitive-types';
import { here, join } from './where';
import { isYMap, type YMap, type YValue } from './yaml-tree';

export const OPERATORS = [
  'equal', 'greater_than', 'greater_or_equal', 'less_than', 'less_or_equal', 'in_range', 'valid_values',
  'length', 'min_length', 'max_length', 'pattern', 'schema',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface ConstraintClause {
  op: Operator;
  arg: YValue;
  /** Compiled regular expression for `pattern`. */
  regex?: RegExp;
  file: string;
  container: unknown;
  key: string | number;
}

/** Read a `constraints:` list. Bad clauses are reported and skipped. */
export function readConstraints(raw: YValue | undefined, path: string, file: string, bag: DiagnosticBag): ConstraintClause[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    bag.add(diag.wrongShape(here(raw, undefined, path, file), { what: 'constraints', expected: 'a list', actual: typeof raw }));
    return [];
  }
  const out: ConstraintClause[] = [];
  raw.forEach((item, index) => {
    const p = join(path, index);
    if (!isYMap(item) || Object.keys(item).length !== 1) {
      bag.add(diag.invalidConstraint(here(raw, index, p, file), { operator: describe(item), reason: 'a constraint is a map with one operator' }));
      return;
    }
    const op = Object.keys(item)[0];
    const arg = (item as YMap)[op];
    if (!(OPERATORS as readonly string[]).includes(op)) {
      bag.add(diag.invalidConstraint(here(item, op, p, file, true), { operator: op, reason: `unknown operator; known: ${OPERATORS.join(', ')}` }));
      return;
    }
    const clause: ConstraintClause = { op: op as Operator, arg, file, container: item, key: op };
    if (op === 'in_range' && (!Array.isArray(arg) || arg.length !== 2)) {
      bag.add(diag.invalidConstraint(here(item, op, p, file), { operator: op, reason: 'in_range takes a list of two values' }));
      return;
    }
    if (op === 'valid_values' && !Array.isArray(arg)) {
      bag.add(diag.invalidConstraint(here(item, op, p, file), { operator: op, reason: 'valid_values takes a list' }));
      return;
    }
    if (op === 'pattern') {
      try {
        clause.regex = new RegExp(`^(?:${String(arg)})$`, 'u');
      } catch {
        bag.add(diag.invalidConstraint(here(item, op, p, file), { operator: op, reason: `bad regular expression ${describe(arg)}` }));
        return;
      }
    }
    out.push(clause);
  });
  return out;
}

function sizeOf(value: unknown): number | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length;
  return undefined;
}

function equalValues(type: string, a: unknown, b: unknown): boolean {
  // A string compared with a YAML scalar (valid_values: [false, true] on a string input).
  if (type === 'string' && typeof a === 'string' && b !== null && typeof b !== 'object') return a === String(b);
  const ca = comparable(type, a);
  const cb = comparable(type, b);
  if (ca !== undefined && cb !== undefined) return compare(ca, cb) === 0;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** True when `value` (of primitive `type`) satisfies the clause. */
export function satisfies(clause: ConstraintClause, type: string, value: unknown): boolean {
  const { op, arg } = clause;
  const ordered = (test: (c: number) => boolean): boolean => {
    const a = comparable(type, value);
    const b = comparable(type, arg);
    return a !== undefined && b !== undefined && test(compare(a, b));
  };
  switch (op) {
    case 'equal':
      return equalValues(type, value, arg);
    case 'greater_than':
      return ordered((c) => c > 0);
    case 'greater_or_equal':
      return ordered((c) => c >= 0);
    case 'less_than':
      return ordered((c) => c < 0);
    case 'less_or_equal':
      return ordered((c) => c <= 0);
    case 'in_range': {
      const [lo, hi] = arg as YValue[];
      if (type === 'range' && Array.isArray(value)) {
        // A range inside a range: both ends within the bounds.
        const [vl, vh] = value as YValue[];
        const top = hi === 'UNBOUNDED' ? Infinity : (hi as number);
        return typeof vl === 'number' && vl >= (lo as number) && (vh === 'UNBOUNDED' ? top === Infinity : typeof vh === 'number' && vh <= top);
      }
      const v = comparable(type, value);
      const l = comparable(type, lo);
      if (v === undefined || l === undefined || compare(v, l) < 0) return false;
      if (hi === 'UNBOUNDED') return true;
      const h = comparable(type, hi);
      return h !== undefined && compare(v, h) <= 0;
    }
    case 'valid_values':
      return (arg as YValue[]).some((candidate) => equalValues(type, value, candidate));
    case 'length':
      return sizeOf(value) === arg;
    case 'min_length': {
      const n = sizeOf(value);
      return n !== undefined && typeof arg === 'number' && n >= arg;
    }
    case 'max_length': {
      const n = sizeOf(value);
      return n !== undefined && typeof arg === 'number' && n <= arg;
    }
    case 'pattern':
      return typeof value === 'string' && clause.regex !== undefined && clause.regex.test(value);
    case 'schema':
      // §3.6.3: schema validation is implementation-specific; accepted as documentation.
      return true;
  }
}

/** The clause as text for messages, e.g. `greater_or_equal: 1`. */
export function clauseText(clause: ConstraintClause): string {
  return `${clause.op}: ${describe(clause.arg)}`;
}
