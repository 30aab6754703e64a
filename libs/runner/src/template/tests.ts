// Jinja2 and Ansible tests (`x is defined`, `r is failed`, `v is version('2', '>=')`).
import { existsSync, statSync } from 'node:fs';
import { isMapping } from './python';
import { pyRegex, splitArgs, type TestFn } from './filters';

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.\-+]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const pb = b.split(/[.\-+]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x).localeCompare(String(y));
  }
  return 0;
}

const OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0, lt: (c) => c < 0, '<=': (c) => c <= 0, le: (c) => c <= 0,
  '>': (c) => c > 0, gt: (c) => c > 0, '>=': (c) => c >= 0, ge: (c) => c >= 0,
  '==': (c) => c === 0, '=': (c) => c === 0, eq: (c) => c === 0, '!=': (c) => c !== 0, '<>': (c) => c !== 0, ne: (c) => c !== 0,
};

const field = (v: unknown, k: string): unknown => (isMapping(v) ? v[k] : undefined);

export function buildTests(): Record<string, TestFn> {
  const t: Record<string, TestFn> = {
    defined: (v) => v !== undefined,
    undefined: (v) => v === undefined,
    none: (v) => v === null,
    string: (v) => typeof v === 'string',
    number: (v) => typeof v === 'number',
    integer: (v) => Number.isInteger(v),
    float: (v) => typeof v === 'number' && !Number.isInteger(v),
    boolean: (v) => typeof v === 'boolean',
    mapping: (v) => isMapping(v),
    sequence: (v) => Array.isArray(v) || typeof v === 'string',
    iterable: (v) => Array.isArray(v) || typeof v === 'string' || isMapping(v),
    list: (v) => Array.isArray(v),
    truthy: (v) => Boolean(v),
    falsy: (v) => !v,
    odd: (v) => Number(v) % 2 === 1,
    even: (v) => Number(v) % 2 === 0,
    divisibleby: (v, n) => Number(v) % Number(n) === 0,
    equalto: (v, o) => JSON.stringify(v) === JSON.stringify(o),
    sameas: (v, o) => v === o,
    lower: (v) => typeof v === 'string' && v === v.toLowerCase(),
    upper: (v) => typeof v === 'string' && v === v.toUpperCase(),
    in: (v, l) => (Array.isArray(l) || typeof l === 'string' ? l.includes(v as string) : isMapping(l) ? String(v) in l : false),
    contains: (v, x) => (Array.isArray(v) || typeof v === 'string' ? v.includes(x as string) : false),
    failed: (v) => field(v, 'failed') === true,
    succeeded: (v) => field(v, 'failed') !== true,
    changed: (v) => field(v, 'changed') === true,
    skipped: (v) => field(v, 'skipped') === true,
    finished: (v) => field(v, 'finished') !== 0,
    match: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      const m = pyRegex(String(pos[0]), kw.ignorecase ? 'i' : '').exec(String(v));
      return m !== null && m.index === 0;
    },
    search: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      return pyRegex(String(pos[0]), kw.ignorecase ? 'i' : '').test(String(v));
    },
    regex: (v, p) => pyRegex(String(p)).test(String(v)),
    version: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      const op = String(pos[1] ?? kw.operator ?? '==');
      const fn = OPS[op];
      if (!fn) throw new Error(`invalid version operator '${op}'`);
      return fn(compareVersions(String(v), String(pos[0] ?? kw.version)));
    },
    subset: (v, o) => Array.isArray(v) && Array.isArray(o) && v.every((x) => o.includes(x)),
    superset: (v, o) => Array.isArray(v) && Array.isArray(o) && o.every((x) => v.includes(x)),
    exists: (v) => existsSync(String(v)),
    file: (v) => existsSync(String(v)) && statSync(String(v)).isFile(),
    directory: (v) => existsSync(String(v)) && statSync(String(v)).isDirectory(),
    abs: (v) => String(v).startsWith('/'),
  };
  t.success = t.succeeded;
  t.failure = t.failed;
  t.change = t.changed;
  t.skip = t.skipped;
  t.version_compare = t.version;
  t['=='] = t.equalto;
  t.eq = t.equalto;
  t.ne = (v, o) => !t.equalto(v, o);
  t['!='] = t.ne;
  t.gt = (v, o) => (v as number) > (o as number);
  t.ge = (v, o) => (v as number) >= (o as number);
  t.lt = (v, o) => (v as number) < (o as number);
  t.le = (v, o) => (v as number) <= (o as number);
  return t;
}
