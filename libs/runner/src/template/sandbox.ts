// What a template may reach. nunjucks is no sandbox: it walks any JavaScript property
// (`range.constructor('...')()` compiles a function) and calls any function it finds. Here a
// template reads only own data properties of plain objects, arrays and strings, and calls only
// functions this lib handed it (globals, filters' helpers, macros, the Python methods of
// python.ts); anything else is a TemplateError that names the attribute.
import { TemplateError } from '../errors';

/** Functions a template may call: globals, macros and the bound Python methods. */
const CALLABLE = new WeakSet<object>();

/** Marks a function as callable from templates; returns it. */
export function callable<T extends (...args: never[]) => unknown>(fn: T): T {
  CALLABLE.add(fn);
  return fn;
}

export function isCallable(fn: unknown): boolean {
  return typeof fn === 'function' && CALLABLE.has(fn);
}

/** An object literal or a null-prototype object: data, as YAML, JSON and the runner build it. */
export function isPlainData(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function ownEnumerable(obj: object, key: string): boolean {
  return Object.prototype.propertyIsEnumerable.call(obj, key);
}

function refused(key: string, what: string): TemplateError {
  return new TemplateError(`'${key}' of ${what} is not data: a template reads only the keys of dicts, the items of lists and the string, list and dict methods Ansible documents`);
}

function kind(obj: unknown): string {
  if (typeof obj === 'function') return 'a function';
  if (typeof obj === 'string') return 'a string';
  if (Array.isArray(obj)) return 'a list';
  if (isPlainData(obj)) return 'a dict';
  return `a ${typeof obj}`;
}

/**
 * Jinja2's `obj.key` / `obj[key]` over data: an own enumerable property of a plain object or
 * array (a negative index counts from the end), a character of a string, else one of the given
 * methods; a name the object inherits (`constructor`, `__proto__`, `map`, `toString`) is an error;
 * anything else undefined, as Jinja2's Undefined.
 */
export function dataMember(obj: unknown, key: unknown, methods?: (obj: unknown, key: string) => unknown): unknown {
  if (obj === undefined || obj === null) return undefined;
  const name = typeof key === 'number' ? key : String(key);
  if (typeof obj === 'string') {
    if (typeof name === 'number' || /^-?\d+$/.test(name)) {
      const i = Number(name);
      return obj.charAt(i < 0 ? obj.length + i : i) || undefined;
    }
  } else if (Array.isArray(obj)) {
    if (typeof name === 'number' || /^-?\d+$/.test(name)) {
      const i = Number(name);
      return obj[i < 0 ? obj.length + i : i];
    }
  } else if (isPlainData(obj)) {
    if (ownEnumerable(obj, String(name))) return obj[String(name)];
  } else if (typeof obj === 'object' || typeof obj === 'function') {
    throw refused(String(name), kind(obj));
  }
  const method = methods?.(obj, String(name));
  if (method !== undefined) return method;
  // Inherited names (constructor, __proto__, prototype, map, toString, ...) are JavaScript, not data.
  if (String(name) in Object(obj)) {
    if (String(name) === 'length' && (typeof obj === 'string' || Array.isArray(obj))) return undefined;
    throw refused(String(name), kind(obj));
  }
  return undefined;
}

/** A dotted path of `attribute=` arguments (`a.b.0`), walked with {@link dataMember}. */
export function dataPath(obj: unknown, path: unknown): unknown {
  let cur: unknown = obj;
  for (const part of String(path).split('.')) {
    if (cur === undefined || cur === null) return undefined;
    cur = dataMember(cur, part);
  }
  return cur;
}

/** An own property of a table (filters, tests, globals, methods), never an inherited one. */
export function own<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/** Sets a key on a result object as data, even `__proto__`. */
export function setData(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Jinja2's cycler: `c.next()` returns the current item and moves on, `c.current`, `c.reset()`. */
export function cycler(...items: unknown[]): Record<string, unknown> {
  let pos = 0;
  const c: Record<string, unknown> = { current: items[0] ?? null };
  c.next = callable(() => {
    const rv = items[pos] ?? null;
    pos = (pos + 1) % Math.max(items.length, 1);
    c.current = items[pos] ?? null;
    return rv;
  });
  c.reset = callable(() => {
    pos = 0;
    c.current = items[0] ?? null;
    return null;
  });
  return c;
}

/** Jinja2's joiner: a callable that returns '' the first time and `sep` afterwards. */
export function joiner(sep: unknown = ', '): () => string {
  let first = true;
  return callable(() => {
    if (first) {
      first = false;
      return '';
    }
    return String(sep);
  });
}
