// Jinja2 templating with Ansible's semantics on top of nunjucks:
// - variables are templated lazily when used (a var may refer to one defined later);
// - a string that is one `{{ expr }}` yields the native value (list, dict, int), as Ansible does;
// - output follows Python (True, None -> '', ['a']) and an undefined variable is an error;
// - Python string/dict methods and Ansible's filters and tests are available.
// nunjucks renders synchronously, so the current variable scope is held in a module variable
// while a render runs and read through env.globals; a render never interleaves with another.
import { readFileSync } from 'node:fs';
import nunjucks from 'nunjucks';
import { TemplateError } from '../errors';
import { buildFilters, splitArgs } from './filters';
import { literalEval } from './literal-eval';
import { escapeBackslashes } from './python-string-literal';
import { isMapping, pyMember, pyStr, truthy } from './python';
import { buildTests } from './tests';

/** The value Ansible's `omit` placeholder has; module args equal to it are dropped. */
export const OMIT = '__omit_place_holder__baton';

class UndefinedOutput extends Error {}

type Env = nunjucks.Environment & { globals: Record<string, unknown>; addTest(name: string, fn: (...a: never[]) => boolean): void };

let depth = 0;
let current: Scope | undefined;

type Runtime = {
  suppressValue: (v: unknown, autoescape: boolean) => unknown;
  memberLookup: (obj: unknown, key: string | number) => unknown;
};
const runtime = (nunjucks as unknown as { runtime: Runtime }).runtime;
const originalSuppress = runtime.suppressValue;
const originalMember = runtime.memberLookup;
runtime.suppressValue = (v, autoescape) => {
  if (depth === 0) return originalSuppress(v, autoescape);
  if (v === undefined) throw new UndefinedOutput('undefined');
  return pyStr(v);
};
runtime.memberLookup = (obj, key) => {
  if (depth === 0) return originalMember(obj, key);
  const v = pyMember(obj, key);
  return typeof v === 'function' && !isMapping(obj) && !Array.isArray(obj) && typeof obj !== 'string' ? originalMember(obj, key) : v;
};

// nunjucks compiles `x is test(a, b)` without commas between the arguments; Jinja2 allows
// several (`v is version('2', '>=')`), so the test call is emitted as an argument list.
interface CompilerLike {
  _emit(s: string): void;
  compile(node: unknown, frame: unknown): void;
  _compileAggregate(node: unknown, frame: unknown, start: string, end: string): void;
}
type IsNode = { left: unknown; right: { name?: { value: string }; value?: string; args?: unknown } };
const compilerProto = (nunjucks as unknown as { compiler: { Compiler: { prototype: { compileIs: (this: CompilerLike, node: IsNode, frame: unknown) => void } } } }).compiler.Compiler.prototype;
compilerProto.compileIs = function compileIs(this: CompilerLike, node: IsNode, frame: unknown) {
  const right = node.right.name ? node.right.name.value : node.right.value;
  this._emit(`env.getTest("${String(right)}").call(context, `);
  this.compile(node.left, frame);
  if (node.right.args) {
    this._emit(',');
    this._compileAggregate(node.right.args, frame, '', '');
  }
  this._emit(') === true');
};

// A string that is exactly one expression (no text around it).
const SINGLE = /^\{\{\s*((?:(?!\{\{|\}\}).)+?)\s*\}\}$/s;
// Ansible's SINGLE_VAR: `{{ name }}` alone returns a bool, number or null variable untouched.
const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}$/;
// Ansible's STRING_TYPE_FILTERS: their text is never read back as a Python literal.
const STRING_FILTER = /\|\s*(?:string|to_json|to_nice_json|to_yaml|to_nice_yaml|ppretty|json)\s*(?:\([^()]*\))?$/;

function trailingNewlines(s: string): number {
  return s.length - s.replace(/\n+$/, '').length;
}

/** Ansible's preserve_trailing_newlines: the result ends with as many newlines as the source. */
function withNewlines(out: string, source: string): string {
  const missing = trailingNewlines(source) - trailingNewlines(out);
  return missing > 0 ? out + '\n'.repeat(missing) : out;
}

/** Variables visible to a template, templated on first use. */
export class Scope {
  private readonly memo = new Map<string, unknown>();
  private readonly resolving = new Set<string>();

  constructor(
    private readonly templater: Templater,
    private readonly raw: Record<string, unknown>,
    private readonly parent?: Scope,
  ) {}

  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.raw, name) || (this.parent?.has(name) ?? false);
  }

  get(name: string): unknown {
    if (!Object.prototype.hasOwnProperty.call(this.raw, name)) return this.parent?.get(name);
    if (this.memo.has(name)) return this.memo.get(name);
    if (this.resolving.has(name)) throw new TemplateError(`recursive loop detected in template for '${name}'`);
    this.resolving.add(name);
    try {
      const v = this.templater.template(this.raw[name], this);
      this.memo.set(name, v);
      return v;
    } finally {
      this.resolving.delete(name);
    }
  }

  /** A child scope with more variables (loop item, task vars) over this one. */
  child(vars: Record<string, unknown>): Scope {
    return new Scope(this.templater, vars, this);
  }

  /** Every variable templated, for `hostvars` and debug `var`; failures become undefined. */
  names(): string[] {
    return [...new Set([...(this.parent?.names() ?? []), ...Object.keys(this.raw)])];
  }
}

export class Templater {
  private readonly env: Env;
  /** Template files: Ansible's template module sets trim_blocks. */
  private readonly fileEnv: Env;
  private readonly cache = new Map<string, nunjucks.Template>();
  private captured: unknown;

  constructor() {
    this.env = this.makeEnv(false);
    this.fileEnv = this.makeEnv(true);
  }

  private makeEnv(trimBlocks: boolean): Env {
    const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false, trimBlocks }) as Env;
    const tests = buildTests();
    const applyTest = (name: string, value: unknown, args: unknown[]) => {
      const t = tests[name];
      if (!t) throw new TemplateError(`no test named '${name}'`);
      return t(value, ...args);
    };
    const filters = buildFilters(applyTest, (name, value, args) => {
      const f = env.getFilter(name) as (v: unknown, ...a: unknown[]) => unknown;
      return f(value, ...args);
    });
    for (const [name, fn] of Object.entries(filters)) env.addFilter(name, fn);
    for (const [name, fn] of Object.entries(tests)) env.addTest(name, fn);
    env.addFilter('__capture', (v: unknown) => {
      this.captured = v;
      return '';
    });
    const base = env.globals;
    Object.assign(base, {
      True: true,
      False: false,
      None: null,
      omit: OMIT,
      lookup: (...a: unknown[]) => this.lookup(false, a),
      query: (...a: unknown[]) => this.lookup(true, a),
      q: (...a: unknown[]) => this.lookup(true, a),
    });
    env.globals = new Proxy(base, {
      has: (t, k) => (typeof k === 'string' && current?.has(k)) || k in t,
      get: (t, k) => (typeof k === 'string' && current?.has(k) ? current.get(k) : t[k as string]),
    });
    return env;
  }

  /** A scope over the given variables (merged by the caller in precedence order). */
  scope(vars: Record<string, unknown>): Scope {
    return new Scope(this, vars);
  }

  private lookup(list: boolean, args: unknown[]): unknown {
    const { pos, kw } = splitArgs(args);
    const [plugin, ...terms] = pos.map((p) => p);
    let out: unknown[];
    switch (plugin) {
      case 'env':
        // Lookups run on the controller, as in Ansible: lookup('env') reads the runner's own
        // environment by definition, so rule 19 does not apply here.
        // eslint-disable-next-line no-restricted-properties
        out = terms.map((t) => process.env[String(t)] ?? kw.default ?? '');
        break;
      case 'file':
        out = terms.map((t) => readFileSync(String(t), 'utf8').replace(/\n$/, ''));
        break;
      case 'vars':
        out = terms.map((t) => (current?.has(String(t)) ? current.get(String(t)) : kw.default));
        break;
      case 'items':
      case 'list':
        out = terms.flat();
        break;
      case 'dict':
        out = Object.entries(isMapping(terms[0]) ? terms[0] : {}).map(([key, value]) => ({ key, value }));
        break;
      default:
        throw new TemplateError(`lookup plugin '${String(plugin)}' is not supported`);
    }
    return list || toBool(kw.wantlist) ? out : out.length === 1 ? out[0] : out.map((x) => pyStr(x)).join(',');
  }

  private compile(src: string, file = false): nunjucks.Template {
    const key = file ? `\u0000file\u0000${src}` : src;
    let t = this.cache.get(key);
    if (!t) {
      try {
        t = new nunjucks.Template(src, file ? this.fileEnv : this.env, undefined, true);
      } catch (error) {
        throw new TemplateError(`template error in '${src}': ${cleanMessage(error)}`, { cause: error });
      }
      if (this.cache.size > 5000) this.cache.clear();
      this.cache.set(key, t);
    }
    return t;
  }

  private run<T>(scope: Scope, src: string, fn: () => T): T {
    const previous = current;
    current = scope;
    depth++;
    try {
      return fn();
    } catch (error) {
      if (error instanceof TemplateError) throw error;
      const inner = (error as { cause?: unknown }).cause ?? error;
      if (error instanceof UndefinedOutput || inner instanceof UndefinedOutput || /undefined/.test(String(error))) {
        const name = firstUndefined(src, scope);
        if (name) throw new TemplateError(`'${name}' is undefined`, { cause: error });
      }
      throw new TemplateError(`template error while templating '${src}': ${cleanMessage(error)}`, { cause: error });
    } finally {
      depth--;
      current = previous;
    }
  }

  /** Renders text (a template file or a string); always returns a string. */
  renderString(src: string, scope: Scope): string {
    if (!src.includes('{{') && !src.includes('{%') && !src.includes('{#')) return src;
    return this.run(scope, src, () => this.compile(src).render({}));
  }

  /** Renders a template file's text (trim_blocks on, as the template module does). */
  renderFile(src: string, scope: Scope): string {
    return this.run(scope, src.slice(0, 200), () => this.compile(src, true).render({}));
  }

  /** Evaluates a bare Jinja2 expression (`when:` text) to its native value. */
  evaluate(expr: string, scope: Scope): unknown {
    return this.run(scope, expr, () => {
      this.captured = undefined;
      this.compile(`{{ (${expr}) | __capture }}`).render({});
      const v = this.captured;
      this.captured = undefined;
      return v;
    });
  }

  /**
   * Templates any value deeply, with the types Ansible's (non-native) templating gives: text,
   * except that `{{ var }}` naming a bool, number or null keeps it, and text that reads as a
   * Python dict, list or bool becomes one (ansible_eval_concat).
   */
  template(value: unknown, scope: Scope): unknown {
    if (typeof value === 'string') return this.templateString(value, scope);
    if (Array.isArray(value)) return value.map((v) => this.template(v, scope));
    if (isMapping(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.template(k, scope) as string, this.template(v, scope)]));
    return value;
  }

  private templateString(value: string, scope: Scope): unknown {
    if (!value.includes('{{') && !value.includes('{%')) return value;
    const one = SINGLE_VAR.exec(value);
    if (one && scope.has(one[1])) {
      const v = scope.get(one[1]);
      if (typeof v === 'boolean' || typeof v === 'number' || v === null) return v;
    }
    // Jinja2 drops one trailing newline of the source; Ansible adds them back to text results.
    const source = escapeBackslashes(value);
    const body = source.endsWith('\n') ? source.slice(0, -1) : source;
    const single = SINGLE.exec(body);
    let out: string;
    if (single && !body.includes('{%')) {
      const v = this.evaluate(single[1], scope);
      if (v === undefined) throw new TemplateError(`'${firstUndefined(value, scope) ?? single[1]}' is undefined`);
      out = pyStr(v);
      if (STRING_FILTER.test(single[1])) return withNewlines(out, value);
    } else {
      out = this.renderString(body, scope);
    }
    if (out.startsWith('{') || out.startsWith('[') || out === 'True' || out === 'False') {
      const literal = literalEval(out);
      if (literal) return literal.value;
    }
    return withNewlines(out, value);
  }

  /** A `when`/`changed_when`/`failed_when`/`until` condition: a bool, an expression, or a list (all). */
  condition(cond: unknown, scope: Scope): boolean {
    if (Array.isArray(cond)) return cond.every((c) => this.condition(c, scope));
    if (typeof cond === 'boolean') return cond;
    if (cond === null || cond === undefined) return false;
    if (typeof cond === 'number') return cond !== 0;
    let text = String(cond).trim();
    if (SINGLE.test(text)) text = SINGLE.exec(text)![1];
    else if (text.includes('{{')) text = this.renderString(text, scope);
    if (text === '') return false;
    const v = this.evaluate(text, scope);
    if (v === undefined) throw new TemplateError(`'${firstUndefined(text, scope) ?? text}' is undefined`);
    if (typeof v === 'string') {
      const lower = v.toLowerCase();
      if (['false', 'no', 'off', '0', 'none', ''].includes(lower)) return false;
    }
    return truthy(v);
  }
}

function toBool(v: unknown): boolean {
  return v === true || v === 'true' || v === 'yes';
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else', 'true', 'false', 'none', 'True', 'False', 'None', 'defined', 'undefined', 'for', 'endfor', 'endif', 'set', 'elif', 'loop', 'range', 'lookup', 'query', 'q', 'omit']);

function firstUndefined(src: string, scope: Scope): string | undefined {
  // Only the Jinja2 parts: `{{ }}` and `{% %}` bodies, or the whole text for a bare expression.
  const parts = [...src.matchAll(/\{\{(.*?)\}\}|\{%(.*?)%\}/gs)].map((m) => m[1] ?? m[2]);
  const code = parts.length ? parts.join(' ; ') : src;
  const stripped = code.replace(/'[^']*'|"[^"]*"/g, '""');
  for (const m of stripped.matchAll(/(?<![.\w|])([A-Za-z_]\w*)(?:\.(\w+))?/g)) {
    const [, name, attr] = m;
    if (KEYWORDS.has(name) || stripped[m.index + m[0].length] === '(') continue;
    if (/\bis\s+$|\|\s*$/.test(stripped.slice(0, m.index))) continue;
    if (!scope.has(name)) return name;
    if (attr) {
      const v = scope.get(name);
      if (isMapping(v) && !(attr in v) && !['items', 'keys', 'values', 'get'].includes(attr)) return `${name}.${attr}`;
    }
  }
  return undefined;
}

function cleanMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^\(unknown path\)\s*(\[Line \d+, Column \d+\])?\s*/m, '').replace(/\s*Error:\s*/g, ' ').trim();
}
