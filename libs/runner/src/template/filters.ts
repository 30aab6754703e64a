// The Ansible and Jinja2 filters playbooks use, added to (or replacing) nunjucks' own so that
// keyword arguments (`map(attribute='x')`, `sort(attribute='y')`) work as in Jinja2.
import { createHash } from 'node:crypto';
import { basename, dirname, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { shQuote } from '../ssh/shell-quote';
import { isMapping, isTuple, pyStr, pyTuple, truthy } from './python';
import { pyYamlDump } from './py-yaml';
import { dataMember, dataPath, setData } from './sandbox';

export type FilterFn = (value: unknown, ...args: unknown[]) => unknown;
export type TestFn = (value: unknown, ...args: unknown[]) => boolean;

interface Keywords {
  [k: string]: unknown;
}

/** Splits nunjucks' trailing `{ __keywords: true }` object off the positional arguments. */
export function splitArgs(args: unknown[]): { pos: unknown[]; kw: Keywords } {
  const last = args[args.length - 1];
  if (isMapping(last) && last.__keywords === true) {
    const kw: Keywords = { ...last };
    delete kw.__keywords;
    return { pos: args.slice(0, -1), kw };
  }
  return { pos: args, kw: {} };
}

function arg(pos: unknown[], kw: Keywords, index: number, name: string, def?: unknown): unknown {
  if (name in kw) return kw[name];
  return pos.length > index ? pos[index] : def;
}

export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1;
  if (typeof v === 'string') return ['yes', 'on', '1', 'true', 'y', 't'].includes(v.trim().toLowerCase());
  return false;
}

export function pyRegex(pattern: string, flags = ''): RegExp {
  return new RegExp(pattern.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'), flags);
}

// `attribute=` arguments walk data only (own keys, list indexes): never `constructor.constructor`.
const attrGet = dataPath;

function toList(v: unknown): unknown[] {
  if (Array.isArray(v)) return isTuple(v) ? [...v] : v;
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [...v];
  if (isMapping(v)) return Object.keys(v);
  return [v];
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>, recursive: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const mine = Object.prototype.hasOwnProperty.call(out, k) ? out[k] : undefined;
    setData(out, k, recursive && isMapping(mine) && isMapping(v) ? deepMerge(mine, v, true) : v);
  }
  return out;
}

function eq(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isMapping(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

export function pyJson(v: unknown, indent?: number): string {
  // Python's json.dumps puts a space after ':' and ',' (Ansible's to_json).
  if (indent) return JSON.stringify(v, null, indent);
  return JSON.stringify(v, null, 0)
    .replace(/("(?:[^"\\]|\\.)*")|([:,])/g, (m, str: string | undefined, p: string) => (str ? str : `${p} `));
}

export function buildFilters(applyTest: (name: string, value: unknown, args: unknown[]) => boolean, applyFilter: (name: string, value: unknown, args: unknown[]) => unknown): Record<string, FilterFn> {
  const select = (keep: boolean, byAttr: boolean) => (value: unknown, ...raw: unknown[]) => {
    const { pos } = splitArgs(raw);
    return toList(value).filter((item) => {
      const subject = byAttr ? attrGet(item, String(pos[0])) : item;
      const testName = byAttr ? pos[1] : pos[0];
      const testArgs = byAttr ? pos.slice(2) : pos.slice(1);
      const ok = testName === undefined ? truthy(subject) : applyTest(String(testName), subject, testArgs);
      return ok === keep;
    });
  };
  const f: Record<string, FilterFn> = {
    default: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      const def = arg(pos, kw, 0, 'default_value', '');
      return v === undefined || (toBool(arg(pos, kw, 1, 'boolean', false)) && !truthy(v)) ? def : v;
    },
    bool: (v) => toBool(v),
    int: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      const n = typeof v === 'boolean' ? Number(v) : parseInt(String(v), Number(arg(pos, kw, 1, 'base', 10)));
      return Number.isNaN(n) ? arg(pos, kw, 0, 'default', 0) : n;
    },
    float: (v) => {
      const n = parseFloat(String(v));
      return Number.isNaN(n) ? 0 : n;
    },
    string: (v) => pyStr(v),
    join: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      const attr = arg(pos, kw, 1, 'attribute');
      return toList(v).map((i) => pyStr(attr ? attrGet(i, String(attr)) : i)).join(String(arg(pos, kw, 0, 'd', '')));
    },
    to_json: (v) => pyJson(v),
    // Ansible's to_nice_json is json.dumps(indent=4, sort_keys=True).
    to_nice_json: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      return JSON.stringify(sortKeys(v), null, Number(arg(pos, kw, 0, 'indent', 4)));
    },
    from_json: (v) => JSON.parse(String(v)),
    to_yaml: (v) => pyYamlDump(v),
    to_nice_yaml: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      return pyYamlDump(v, { flowStyle: false, indent: Number(arg(pos, kw, 0, 'indent', 4)) });
    },
    from_yaml: (v) => parseYaml(String(v)),
    regex_replace: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      const flags = `g${toBool(arg(pos, kw, 2, 'ignorecase', false)) ? 'i' : ''}${toBool(arg(pos, kw, 3, 'multiline', false)) ? 'm' : ''}`;
      const repl = String(arg(pos, kw, 1, 'replacement', '')).replace(/\\(\d)/g, '$$$1').replace(/\\g<(\w+)>/g, '$$<$1>');
      return String(v ?? '').replace(pyRegex(String(arg(pos, kw, 0, 'pattern', '')), flags), repl);
    },
    regex_search: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      const m = pyRegex(String(pos[0]), toBool(kw.ignorecase) ? 'i' : '').exec(String(v ?? ''));
      if (!m) return null;
      const groups = pos.slice(1).map((g) => (String(g).startsWith('\\') ? m[Number(String(g).slice(1))] : m.groups?.[String(g).replace(/^\\g<|>$/g, '')]));
      return groups.length ? groups : m[0];
    },
    regex_findall: (v, pattern) => [...String(v ?? '').matchAll(pyRegex(String(pattern), 'g'))].map((m) => (m.length > 2 ? m.slice(1) : (m[1] ?? m[0]))),
    regex_escape: (v) => String(v).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    b64encode: (v) => Buffer.from(pyStr(v)).toString('base64'),
    b64decode: (v) => Buffer.from(String(v), 'base64').toString(),
    basename: (v) => basename(String(v)),
    dirname: (v) => dirname(String(v)),
    splitext: (v) => {
      const e = extname(String(v));
      return pyTuple([String(v).slice(0, String(v).length - e.length), e]);
    },
    dict2items: (v, ...raw) => {
      const { kw } = splitArgs(raw);
      const k = String(kw.key_name ?? 'key');
      const val = String(kw.value_name ?? 'value');
      return Object.entries(isMapping(v) ? v : {}).map(([a, b]) => ({ [k]: a, [val]: b }));
    },
    items2dict: (v, ...raw) => {
      const { kw } = splitArgs(raw);
      const k = String(kw.key_name ?? 'key');
      const val = String(kw.value_name ?? 'value');
      return Object.fromEntries(toList(v).map((i) => [String(dataMember(i, k)), dataMember(i, val)]));
    },
    combine: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      const rec = toBool(kw.recursive ?? false);
      return pos.flat().reduce<Record<string, unknown>>((acc, d) => deepMerge(acc, isMapping(d) ? d : {}, rec), isMapping(v) ? v : {});
    },
    selectattr: select(true, true),
    rejectattr: select(false, true),
    select: select(true, false),
    reject: select(false, false),
    map: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      if (kw.attribute !== undefined) return toList(v).map((i) => attrGet(i, String(kw.attribute)) ?? kw.default);
      const [name, ...rest] = pos;
      return toList(v).map((i) => applyFilter(String(name), i, rest));
    },
    unique: (v) => toList(v).filter((x, i, a) => a.findIndex((y) => eq(x, y)) === i),
    union: (v, other) => f.unique([...toList(v), ...toList(other)]),
    intersect: (v, other) => f.unique(toList(v).filter((x) => toList(other).some((y) => eq(x, y)))),
    difference: (v, other) => f.unique(toList(v).filter((x) => !toList(other).some((y) => eq(x, y)))),
    symmetric_difference: (v, other) => f.unique([...toList(v).filter((x) => !toList(other).some((y) => eq(x, y))), ...toList(other).filter((x) => !toList(v).some((y) => eq(x, y)))]),
    flatten: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      const levels = arg(pos, kw, 0, 'levels');
      const flat = (l: unknown[], d: number): unknown[] => l.flatMap((x) => (Array.isArray(x) && (levels === undefined || d < Number(levels)) ? flat(x, d + 1) : [x]));
      return flat(toList(v), 0);
    },
    list: (v) => toList(v),
    length: (v) => (isMapping(v) ? Object.keys(v).length : toList(v).length),
    count: (v) => (isMapping(v) ? Object.keys(v).length : toList(v).length),
    first: (v) => toList(v)[0],
    last: (v) => toList(v).at(-1),
    min: (v) => toList(v).reduce((a, b) => ((a as number) < (b as number) ? a : b)),
    max: (v) => toList(v).reduce((a, b) => ((a as number) > (b as number) ? a : b)),
    sum: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      const attr = arg(pos, kw, 0, 'attribute');
      return toList(v).reduce<number>((a, b) => a + Number(attr ? attrGet(b, String(attr)) : b), Number(arg(pos, kw, 1, 'start', 0)));
    },
    sort: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      const reverse = toBool(arg(pos, kw, 0, 'reverse', false));
      const attr = arg(pos, kw, 2, 'attribute');
      const key = (x: unknown) => (attr ? attrGet(x, String(attr)) : x);
      const out = [...toList(v)].sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        return typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
      });
      return reverse ? out.reverse() : out;
    },
    reverse: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...toList(v)].reverse()),
    zip: (v, ...others) => toList(v).map((x, i) => pyTuple([x, ...others.map((o) => toList(o)[i])])),
    dict: (v) => Object.fromEntries(toList(v) as [string, unknown][]),
    items: (v) => Object.entries(isMapping(v) ? v : {}).map((e) => pyTuple(e)),
    quote: (v) => shQuote(pyStr(v)),
    hash: (v, alg) => createHash(String(alg ?? 'sha1')).update(pyStr(v)).digest('hex'),
    md5: (v) => createHash('md5').update(pyStr(v)).digest('hex'),
    sha1: (v) => createHash('sha1').update(pyStr(v)).digest('hex'),
    checksum: (v) => createHash('sha1').update(pyStr(v)).digest('hex'),
    ternary: (v, a, b, none) => (v === null && none !== undefined ? none : truthy(v) ? a : b),
    mandatory: (v) => {
      if (v === undefined) throw new Error('Mandatory variable not defined.');
      return v;
    },
    type_debug: (v) => (v === null ? 'NoneType' : Array.isArray(v) ? 'list' : isMapping(v) ? 'dict' : typeof v === 'string' ? 'str' : typeof v === 'boolean' ? 'bool' : Number.isInteger(v) ? 'int' : 'float'),
    split: (v, sep) => (sep === undefined ? String(v).trim().split(/\s+/) : String(v).split(String(sep))),
    lower: (v) => pyStr(v).toLowerCase(),
    upper: (v) => pyStr(v).toUpperCase(),
    capitalize: (v) => pyStr(v).charAt(0).toUpperCase() + pyStr(v).slice(1).toLowerCase(),
    trim: (v) => pyStr(v).trim(),
    replace: (v, a, b) => pyStr(v).split(String(a)).join(String(b)),
    abs: (v) => Math.abs(Number(v)),
    round: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      const p = Number(arg(pos, kw, 0, 'precision', 0));
      return Math.round(Number(v) * 10 ** p) / 10 ** p;
    },
    random: (v) => {
      const l = toList(v);
      return typeof v === 'number' ? Math.floor(Math.random() * v) : l[Math.floor(Math.random() * l.length)];
    },
    shuffle: (v) => [...toList(v)].sort(() => Math.random() - 0.5),
    comment: (v) => pyStr(v).split('\n').map((l) => `# ${l}`).join('\n'),
    indent: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      const pad = ' '.repeat(Number(arg(pos, kw, 0, 'width', 4)));
      const first = toBool(arg(pos, kw, 1, 'first', false));
      return pyStr(v).split('\n').map((l, i) => (i === 0 && !first) || l === '' ? l : pad + l).join('\n');
    },
    wordcount: (v) => pyStr(v).split(/\s+/).filter(Boolean).length,
    product: (v, ...others) => [toList(v), ...others.map(toList)].reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]),
    subelements: (v, path) => toList(v).flatMap((i) => toList(attrGet(i, String(path))).map((s) => [i, s])),
    version_compare: (v, other, op) => applyTest('version', v, [other, op]),
    // Jinja2's groupby: (grouper, items) tuples sorted by grouper (nunjucks' own walks any property).
    groupby: (v, ...raw) => {
      const { pos, kw } = splitArgs(raw);
      const attr = arg(pos, kw, 0, 'attribute');
      const groups = new Map<string, { key: unknown; items: unknown[] }>();
      for (const item of toList(v)) {
        const key = attrGet(item, String(attr)) ?? kw.default;
        const id = JSON.stringify(key) ?? 'undefined';
        if (!groups.has(id)) groups.set(id, { key, items: [] });
        groups.get(id)!.items.push(item);
      }
      return [...groups.values()].sort((a, b) => (pyStr(a.key) < pyStr(b.key) ? -1 : pyStr(a.key) > pyStr(b.key) ? 1 : 0)).map((g) => pyTuple([g.key, g.items]));
    },
  };
  f.d = f.default;
  return f;
}
