// Jinja2 templating with Ansible's semantics on top of nunjucks:
// - variables are templated lazily when used (a var may refer to one defined later);
// - a string that is one `{{ expr }}` yields the native value (list, dict, int), as Ansible does;
// - output follows Python (True, None -> '', ['a']) and an undefined variable is an error;
// - Python string/dict methods and Ansible's filters and tests are available.
// nunjucks renders synchronously, so the current variable scope is held in a module variable
// while a render runs and read through env.globals; a render never interleaves with another.
// nunjucks' runtime is patched (while one of our renders runs) so that templates see data only
// (sandbox.ts), and values boxed as Unsafe are never templated (unsafe.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import nunjucks from 'nunjucks';
import { HostFiles } from '../confine/host-files';
import { FileRefusedError, RunnerError, TemplateError } from '../errors';
import { buildFilters, splitArgs } from './filters';
import { literalEval } from './literal-eval';
import { escapeBackslashes } from './python-string-literal';
import { isMapping, pyMember, pyStr, truthy } from './python';
import { callable, cycler, isCallable, joiner, own } from './sandbox';
import { patchNunjucks } from './python-semantics';
import { buildTests } from './tests';
import { Unsafe } from './unsafe';

/** The value Ansible's `omit` placeholder has; module args equal to it are dropped. */
export const OMIT = '__omit_place_holder__baton';

class UndefinedOutput extends Error {}

patchNunjucks();

type Env = nunjucks.Environment & { globals: Record<string, unknown>; addTest(name: string, fn: (...a: never[]) => boolean): void };

let depth = 0;
let current: Scope | undefined;

interface Frame {
  variables: Record<string, unknown>;
  parent?: Frame;
}
interface Context {
  ctx: Record<string, unknown>;
  env: { globals: Record<string, unknown> };
}
type Runtime = {
  suppressValue: (v: unknown, autoescape: boolean) => unknown;
  memberLookup: (obj: unknown, key: string | number) => unknown;
  callWrap: (fn: unknown, name: string, context: unknown, args: unknown[]) => unknown;
  contextOrFrameLookup: (context: Context, frame: Frame, name: string) => unknown;
  inOperator: (key: unknown, container: unknown) => boolean;
  makeMacro: (...a: unknown[]) => (...a: unknown[]) => unknown;
  SafeString: new (...a: unknown[]) => object;
};
const runtime = (nunjucks as unknown as { runtime: Runtime }).runtime;
const original = { ...runtime };
const SafeString = runtime.SafeString;
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
runtime.suppressValue = (v, autoescape) => {
  if (depth === 0) return original.suppressValue(v, autoescape);
  if (v === undefined) throw new UndefinedOutput('undefined');
  // Macro and caller output comes as nunjucks' SafeString.
  if (v instanceof SafeString) return String(v);
  return pyStr(v);
};
runtime.memberLookup = (obj, key) => (depth === 0 ? original.memberLookup(obj, key) : pyMember(obj, key));
// Only functions this lib handed to templates are called: globals, macros, bound Python methods.
runtime.callWrap = (fn, name, context, args) => {
  if (depth === 0 || fn === undefined || fn === null || isCallable(fn)) return original.callWrap(fn, name, context, args);
  throw new TemplateError(`'${name.replace(/\["(.*?)"\]/g, '.$1')}' is not callable: a template calls only Ansible's lookups, macros and the string, list and dict methods`);
};
runtime.makeMacro = (...a) => callable(original.makeMacro(...a));
// Names resolve to own properties only ({% set %} and loop variables, then the variables and
// globals); nunjucks' frames and context are plain objects whose inherited `constructor` it
// would otherwise return.
runtime.contextOrFrameLookup = (context, frame, name) => {
  if (depth === 0) return original.contextOrFrameLookup(context, frame, name);
  for (let f: Frame | undefined = frame; f; f = f.parent) if (hasOwn(f.variables, name) && f.variables[name] !== undefined) return f.variables[name];
  if (hasOwn(context.ctx, name)) return context.ctx[name];
  return name in context.env.globals ? context.env.globals[name] : undefined;
};
runtime.inOperator = (key, container) => {
  if (depth === 0 || !isMapping(container)) return original.inOperator(key, container);
  return hasOwn(container, String(key));
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
  /** Templated values, and whether data (an Unsafe value) went into each. */
  private readonly memo = new Map<string, { value: unknown; data: boolean }>();
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
    const raw = this.raw[name];
    if (raw instanceof Unsafe) {
      this.templater.noteData();
      return raw.value;
    }
    const memo = this.memo.get(name);
    if (memo) {
      if (memo.data) this.templater.noteData();
      return memo.value;
    }
    if (this.resolving.has(name)) throw new TemplateError(`recursive loop detected in template for '${name}'`);
    this.resolving.add(name);
    try {
      const done = this.templater.tracked(() => this.templater.template(raw, this));
      this.memo.set(name, done);
      if (done.data) this.templater.noteData();
      return done.value;
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
  /** Set when a value boxed as Unsafe (or computed from one) is read during a render. */
  private dataRead = false;
  /** Files lookups may read (confined for the orchestrator's runs). */
  private readonly files: HostFiles;

  constructor(options: { files?: HostFiles } = {}) {
    this.files = options.files ?? new HostFiles();
    this.env = this.makeEnv(false);
    this.fileEnv = this.makeEnv(true);
  }

  private makeEnv(trimBlocks: boolean): Env {
    // No loader: `{% include %}`, `{% import %}` and `{% extends %}` read no file.
    const env = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: false, trimBlocks }) as Env;
    const tests = buildTests();
    const applyTest = (name: string, value: unknown, args: unknown[]) => {
      const t = own(tests, name);
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
    // Filters and tests by own name only (`x | constructor` is no filter).
    const table = env as unknown as { filters: Record<string, unknown>; tests: Record<string, unknown> };
    env.getFilter = ((name: string) => {
      const f = own(table.filters, name);
      if (!f) throw new TemplateError(`no filter named '${name}'`);
      return f;
    }) as Env['getFilter'];
    (env as unknown as { getTest: (name: string) => unknown }).getTest = (name: string) => {
      const t = own(table.tests, name);
      if (!t) throw new TemplateError(`no test named '${name}'`);
      return t;
    };
    const nunjucksRange = env.globals.range as (...a: unknown[]) => unknown;
    const base: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, {
      True: true,
      False: false,
      None: null,
      omit: OMIT,
      range: callable((...a: unknown[]) => nunjucksRange(...a)),
      cycler: callable(cycler),
      joiner: callable(joiner),
      lookup: callable((...a: unknown[]) => this.lookup(false, a)),
      query: callable((...a: unknown[]) => this.lookup(true, a)),
      q: callable((...a: unknown[]) => this.lookup(true, a)),
    });
    env.globals = new Proxy(base, {
      has: (t, k) => typeof k === 'string' && (current?.has(k) || hasOwn(t, k)),
      get: (t, k) => (typeof k !== 'string' ? undefined : current?.has(k) ? current.get(k) : hasOwn(t, k) ? t[k] : undefined),
    });
    return env;
  }

  /** Notes that data (an Unsafe value) was read by the render under way. */
  noteData(): void {
    this.dataRead = true;
  }

  /** Runs `fn`, saying whether it read data; the note carries on to the enclosing render. */
  tracked<T>(fn: () => T): { value: T; data: boolean } {
    const before = this.dataRead;
    this.dataRead = false;
    try {
      const value = fn();
      return { value, data: this.dataRead };
    } finally {
      this.dataRead ||= before;
    }
  }

  /** A scope over the given variables (merged by the caller in precedence order). */
  scope(vars: Record<string, unknown>): Scope {
    return new Scope(this, vars);
  }

  private lookup(list: boolean, args: unknown[]): unknown {
    const { pos, kw } = splitArgs(args);
    const [plugin, ...terms] = pos;
    const out = this.lookupPlugin(String(plugin), terms, kw);
    return list || toBool(kw.wantlist) ? out : out.length === 1 ? out[0] : out.map((x) => pyStr(x)).join(',');
  }

  /** True for the lookup plugins `with_<name>` loops may use. */
  hasLookup(name: string): boolean {
    return LOOKUPS.has(name.replace(/^ansible\.builtin\./, ''));
  }

  /**
   * A lookup plugin's list of results. Those that read this machine read files only through
   * HostFiles (the playbook's folder when confined); `env` reads the runner's environment and is
   * refused when confined; `pipe`, `password`, `url` and the like are not supported.
   */
  lookupPlugin(name: string, terms: unknown[], kw: Record<string, unknown> = {}): unknown[] {
    const plugin = name.replace(/^ansible\.builtin\./, '');
    switch (plugin) {
      case 'env':
        if (this.files.confined) throw new FileRefusedError("lookup('env') reads the orchestrator's own environment and is refused in playbooks run by the orchestrator");
        // Lookups run on the controller, as in Ansible: lookup('env') reads the runner's own
        // environment by definition (the operator's `baton playbook`), so rule 19 does not apply.
        // eslint-disable-next-line no-restricted-properties
        return terms.map((t) => process.env[String(t)] ?? kw.default ?? '');
      case 'file':
        return terms.map((t) => readFileSync(this.findFile('files', String(t), "lookup('file')"), 'utf8').replace(/\n$/, ''));
      case 'template':
        return terms.map((t) => {
          const path = this.findFile('templates', String(t), "lookup('template')");
          return this.renderFile(readFileSync(path, 'utf8'), current ?? this.scope({}));
        });
      case 'fileglob':
        return terms.flatMap((t) => this.fileglob(String(t)));
      case 'first_found': {
        const names = terms.flatMap((t) => (isMapping(t) ? [...toArray(t.files)] : Array.isArray(t) ? t : [t])).map(String);
        const extra = terms.flatMap((t) => (isMapping(t) ? toArray(t.paths).map(String) : []));
        for (const n of names) {
          for (const base of extra.length ? extra : [undefined]) {
            try {
              return [this.findFile('files', base ? join(base, n) : n, "lookup('first_found')")];
            } catch (error) {
              if (error instanceof FileRefusedError) throw error;
            }
          }
        }
        if (toBool(kw.skip)) return [];
        throw new TemplateError(`No file was found when using first_found: ${names.join(', ')}`);
      }
      case 'vars':
        return terms.map((t) => (current?.has(String(t)) ? current.get(String(t)) : kw.default));
      case 'items':
      case 'list':
        return terms.flat();
      case 'indexed_items':
        return terms.flat().map((x, i) => [i, x]);
      case 'dict':
        return Object.entries(isMapping(terms[0]) ? terms[0] : {}).map(([key, value]) => ({ key, value }));
      default:
        throw new TemplateError(`lookup plugin '${plugin}' is not supported`);
    }
  }

  /** Where file lookups look, as Ansible's: the role's `kind/` and folder, then the playbook's. */
  private findFile(kind: 'files' | 'templates', name: string, what: string): string {
    const roleDir = current?.has('role_path') ? String(current.get('role_path')) : undefined;
    const playbookDir = current?.has('playbook_dir') ? String(current.get('playbook_dir')) : process.cwd();
    const bases = [...(roleDir ? [join(roleDir, kind), roleDir] : []), join(playbookDir, kind), playbookDir];
    try {
      return this.files.find(name, bases, what);
    } catch (error) {
      if (error instanceof FileRefusedError) throw error;
      if (error instanceof RunnerError) throw new TemplateError(`${what}: ${error.message}`, { cause: error });
      throw error;
    }
  }

  private fileglob(pattern: string): string[] {
    const playbookDir = current?.has('playbook_dir') ? String(current.get('playbook_dir')) : process.cwd();
    const dir = dirname(pattern);
    let folder: string;
    try {
      folder = this.files.find(dir === '.' ? '.' : dir, [join(playbookDir, 'files'), playbookDir], "lookup('fileglob')");
    } catch (error) {
      if (error instanceof FileRefusedError) throw error;
      return [];
    }
    const re = new RegExp(`^${pattern.slice(dir === '.' && !pattern.startsWith('.') ? 0 : dir.length + 1).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
    return readdirNames(folder)
      .filter((n) => re.test(n))
      .map((n) => join(folder, n))
      .filter((p) => this.files.allows(p) && isFile(p))
      .sort();
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
    if (value instanceof Unsafe) {
      this.noteData();
      return value.value;
    }
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
    else if (text.includes('{{')) {
      // The rendered text is evaluated as an expression: text built from data would be code.
      const rendered = this.tracked(() => this.renderString(text, scope));
      if (rendered.data) throw new TemplateError(`the conditional '${text}' puts {{ }} around data (a request value, a registered result or a fact), which is never evaluated as an expression; write the condition without {{ }}`);
      text = rendered.value;
    }
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

const LOOKUPS = new Set(['env', 'file', 'template', 'fileglob', 'first_found', 'vars', 'items', 'list', 'indexed_items', 'dict']);

function toArray(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[,;]/) : [v];
}

function readdirNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
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
