// Python semantics that Jinja2 (and so Ansible) shows to users and that JavaScript lacks:
// truthiness of empty containers, repr() of lists and dicts, and the string/dict methods
// playbooks call (`x.split(',')`, `d.items()`, `s.startswith('a')`).
import { callable, dataMember, own } from './sandbox';

export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

const TUPLE = Symbol('python tuple');

/** Marks a list as a Python tuple (dict.items(), zip): it prints as `('a', 1)`. */
export function pyTuple<T>(items: T[]): T[] {
  Object.defineProperty(items, TUPLE, { value: true });
  return items;
}

export function isTuple(v: unknown): boolean {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[TUPLE] === true;
}

/** Python's bool(): empty string, list and dict are false. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isMapping(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

/** Python's repr() for JSON-like values. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return reprString(v);
  if (typeof v === 'number') return String(v);
  if (isTuple(v)) return (v as unknown[]).length === 1 ? `(${pyRepr((v as unknown[])[0])},)` : `(${(v as unknown[]).map(pyRepr).join(', ')})`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isMapping(v)) return `{${Object.entries(v).map(([k, x]) => `${reprString(k)}: ${pyRepr(x)}`).join(', ')}}`;
  // A function prints as Python's does, not as its JavaScript source.
  if (typeof v === 'function') return '<function>';
  return String(v);
}

/** Python's str(): what `{{ x }}` prints. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  return pyRepr(v);
}

function pySplit(s: string, sep?: string | null, max = -1): string[] {
  if (sep === undefined || sep === null) {
    const parts = s.trim().split(/\s+/).filter(Boolean);
    return max >= 0 && parts.length > max + 1 ? [...parts.slice(0, max), parts.slice(max).join(' ')] : parts;
  }
  const parts = s.split(sep);
  return max >= 0 && parts.length > max + 1 ? [...parts.slice(0, max), parts.slice(max).join(sep)] : parts;
}

const STRING_METHODS: Record<string, (s: string, ...a: never[]) => unknown> = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  strip: (s, chars?: string) => (chars ? s.replace(new RegExp(`^[${escapeClass(chars)}]+|[${escapeClass(chars)}]+$`, 'g'), '') : s.trim()),
  lstrip: (s) => s.trimStart(),
  rstrip: (s) => s.trimEnd(),
  split: (s, sep?: string | null, max?: number) => pySplit(s, sep, max),
  splitlines: (s) => s.split(/\r?\n/).filter((_, i, a) => i < a.length - 1 || a[i] !== ''),
  startswith: (s, p: string) => s.startsWith(p),
  endswith: (s, p: string) => s.endsWith(p),
  replace: (s, a: string, b: string) => s.split(a).join(b),
  find: (s, p: string) => s.indexOf(p),
  join: (s, items: unknown[]) => items.map((i) => pyStr(i)).join(s),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  title: (s) => s.replace(/\w\S*/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()),
  isdigit: (s) => /^\d+$/.test(s),
  format: (s, ...args: unknown[]) => {
    let i = 0;
    return s.replace(/\{(\d*)\}/g, (_, n: string) => pyStr(args[n === '' ? i++ : Number(n)]));
  },
  count: (s, p: string) => s.split(p).length - 1,
};

function escapeClass(chars: string): string {
  return chars.replace(/[\]\\^-]/g, '\\$&');
}

const DICT_METHODS: Record<string, (d: Record<string, unknown>, ...a: never[]) => unknown> = {
  items: (d) => Object.entries(d).map((e) => pyTuple(e)),
  keys: (d) => Object.keys(d),
  values: (d) => Object.values(d),
  get: (d, k: string, def: unknown = null) => (Object.prototype.hasOwnProperty.call(d, k) ? d[k] : def),
};

const LIST_METHODS: Record<string, (l: unknown[], ...a: never[]) => unknown> = {
  index: (l, x: unknown) => l.indexOf(x),
  count: (l, x: unknown) => l.filter((i) => i === x).length,
};

/** The Python method `key` of a string, list or dict, bound to it, or undefined. */
function pyMethod(obj: unknown, key: string): unknown {
  const bind = <T>(m: ((o: T, ...a: never[]) => unknown) | undefined, o: T) => (m ? callable((...a: never[]) => m(o, ...a)) : undefined);
  if (typeof obj === 'string') return bind(own(STRING_METHODS, key), obj);
  if (Array.isArray(obj)) return bind(own(LIST_METHODS, key), obj);
  if (isMapping(obj)) return bind(own(DICT_METHODS, key), obj);
  return undefined;
}

/** Attribute lookup as Jinja2 does it, over data only (sandbox.ts): item, then Python method. */
export function pyMember(obj: unknown, key: string | number): unknown {
  return dataMember(obj, key, pyMethod);
}
