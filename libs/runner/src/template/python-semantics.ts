// Jinja2's expression semantics on nunjucks, which compiles them to JavaScript's: Python
// truthiness in `if`, `not`, `and`, `or` and inline `if` (an empty list or dict is false, and
// `a or b` gives a or b, not a boolean), `+` on lists (concatenation) and the errors Python
// raises for the rest, `==` by value, and integer attribute lookups (`item.1`, `foo.0.bar`).
// Imported for its effect by templater.ts: it patches nunjucks' compiler, parser and runtime once.
import nunjucks from 'nunjucks';
import { TemplateError } from '../errors';
import { isMapping, isTuple, pyTuple, truthy } from './python';

function typeName(v: unknown): string {
  if (typeof v === 'string') return 'str';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  if (v === null) return 'NoneType';
  if (Array.isArray(v)) return isTuple(v) ? 'tuple' : 'list';
  if (isMapping(v)) return 'dict';
  return typeof v;
}

/** Python's `a + b`. */
export function pyAdd(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) return isTuple(a) ? pyTuple([...a, ...b]) : [...a, ...b];
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  const num = (v: unknown) => typeof v === 'number' || typeof v === 'boolean';
  if (num(a) && num(b)) return Number(a) + Number(b);
  if (typeof a === 'string') throw new TemplateError(`can only concatenate str (not "${typeName(b)}") to str`);
  if (Array.isArray(a)) throw new TemplateError(`can only concatenate ${typeName(a)} (not "${typeName(b)}") to ${typeName(a)}`);
  throw new TemplateError(`unsupported operand type(s) for +: '${typeName(a)}' and '${typeName(b)}'`);
}

/** Python's `==`: by value for lists and dicts, True == 1, never a string equal to a number. */
export function pyEq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === undefined || a === null) && (b === undefined || b === null)) return a === b || (a ?? null) === (b ?? null);
  const num = (v: unknown) => typeof v === 'number' || typeof v === 'boolean';
  if (num(a) && num(b)) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && pyEq(a[k], b[k]));
  }
  return false;
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
    case '===':
      return pyEq(a, b);
    case '!=':
    case '!==':
      return !pyEq(a, b);
    case '<':
      return (a as number) < (b as number);
    case '>':
      return (a as number) > (b as number);
    case '<=':
      return (a as number) <= (b as number);
    default:
      return (a as number) >= (b as number);
  }
}

/** A comparison chain `a op1 b op2 c` as Python reads it: `a op1 b and b op2 c`. */
function pyCompare(first: unknown, ...rest: unknown[]): boolean {
  let left = first;
  for (let i = 0; i < rest.length; i += 2) {
    if (!compare(left, rest[i] as string, rest[i + 1])) return false;
    left = rest[i + 1];
  }
  return true;
}

interface Compiler {
  _emit(s: string): void;
  _emitLine(s: string): void;
  compile(node: unknown, frame: unknown): void;
  _compileExpression(node: unknown, frame: unknown): void;
}
type Node = Record<string, unknown> & { ops?: { type: string; expr: unknown }[] };

const internals = nunjucks as unknown as {
  runtime: Record<string, unknown>;
  compiler: { Compiler: { prototype: Record<string, unknown> } };
  parser: { Parser: { prototype: Record<string, unknown> } };
  nodes: Record<string, new (...a: unknown[]) => unknown>;
  lexer: Record<string, string>;
};

let patched = false;

export function patchNunjucks(): void {
  if (patched) return;
  patched = true;
  Object.assign(internals.runtime, {
    pyTruthy: truthy,
    pyAdd,
    pyCompare,
    pyOr: (a: unknown, b: () => unknown) => (truthy(a) ? a : b()),
    pyAnd: (a: unknown, b: () => unknown) => (truthy(a) ? b() : a),
  });
  const c = internals.compiler.Compiler.prototype;
  const lazyRight = (op: string) =>
    function (this: Compiler, node: Node, frame: unknown) {
      this._emit(`runtime.${op}(`);
      this.compile(node.left, frame);
      this._emit(', function() { return ');
      this.compile(node.right, frame);
      this._emit('; })');
    };
  c.compileOr = lazyRight('pyOr');
  c.compileAnd = lazyRight('pyAnd');
  c.compileNot = function (this: Compiler, node: Node, frame: unknown) {
    this._emit('!runtime.pyTruthy(');
    this.compile(node.target, frame);
    this._emit(')');
  };
  c.compileAdd = function (this: Compiler, node: Node, frame: unknown) {
    this._emit('runtime.pyAdd(');
    this.compile(node.left, frame);
    this._emit(', ');
    this.compile(node.right, frame);
    this._emit(')');
  };
  c.compileCompare = function (this: Compiler, node: Node, frame: unknown) {
    this._emit('runtime.pyCompare(');
    this.compile(node.expr, frame);
    for (const op of node.ops ?? []) {
      this._emit(`, ${JSON.stringify(op.type)}, `);
      this.compile(op.expr, frame);
    }
    this._emit(')');
  };
  const inlineIf = c.compileInlineIf as (this: Compiler, node: Node, frame: unknown) => void;
  c.compileInlineIf = function (this: Compiler, node: Node, frame: unknown) {
    inlineIf.call(this, { ...node, cond: { typename: 'PyTruthy', target: node.cond } }, frame);
  };
  const compileIf = c.compileIf as (this: Compiler, node: Node, frame: unknown, async?: boolean) => void;
  c.compileIf = function (this: Compiler, node: Node, frame: unknown, async?: boolean) {
    // The condition is compiled by the first _compileExpression call (which checks node types,
    // so it cannot be wrapped in a node of ours): that call is wrapped in pyTruthy().
    const self = this as Compiler & { _compileExpression: Compiler['_compileExpression'] };
    const original = Object.getPrototypeOf(self)._compileExpression as Compiler['_compileExpression'];
    let first = true;
    self._compileExpression = function (this: Compiler, n: unknown, f: unknown) {
      if (!first) return original.call(this, n, f);
      first = false;
      this._emit('runtime.pyTruthy(');
      original.call(this, n, f);
      this._emit(')');
    };
    try {
      compileIf.call(this, node, frame, async);
    } finally {
      delete (self as Partial<typeof self>)._compileExpression;
    }
  };
  c.compilePyTruthy = function (this: Compiler, node: Node, frame: unknown) {
    this._emit('runtime.pyTruthy(');
    this.compile(node.target, frame);
    this._emit(')');
  };
  // `x.1` (INT after the dot) and `x.0.y` (the lexer reads `0.` as a float) as item lookups:
  // nunjucks' parsePostfix, with number tokens accepted after the dot.
  type Tok = { type: string; value: string; lineno: number; colno: number };
  type ParserLike = {
    peekToken(): Tok | null;
    nextToken(): Tok;
    pushToken(t: Tok): void;
    parseSignature(): unknown;
    parseAggregate(): { children: unknown[] };
    fail(msg: string, lineno?: number, colno?: number): never;
  };
  const p = internals.parser.Parser.prototype;
  const { TOKEN_OPERATOR, TOKEN_INT, TOKEN_FLOAT, TOKEN_SYMBOL, TOKEN_LEFT_PAREN, TOKEN_LEFT_BRACKET } = internals.lexer;
  const { LookupVal, Literal, FunCall } = internals.nodes;
  p.parsePostfix = function (this: ParserLike, start: unknown) {
    let node = start;
    for (let tok = this.peekToken(); tok; tok = this.peekToken()) {
      if (tok.type === TOKEN_LEFT_PAREN) node = new FunCall(tok.lineno, tok.colno, node, this.parseSignature());
      else if (tok.type === TOKEN_LEFT_BRACKET) {
        const lookup = this.parseAggregate();
        if (lookup.children.length > 1) this.fail('invalid index');
        node = new LookupVal(tok.lineno, tok.colno, node, lookup.children[0]);
      } else if (tok.type === TOKEN_OPERATOR && tok.value === '.') {
        this.nextToken();
        const val = this.nextToken();
        if (val.type === TOKEN_SYMBOL) node = new LookupVal(tok.lineno, tok.colno, node, new Literal(val.lineno, val.colno, val.value));
        else if (val.type === TOKEN_INT) node = new LookupVal(tok.lineno, tok.colno, node, new Literal(val.lineno, val.colno, Number(val.value)));
        else if (val.type === TOKEN_FLOAT) {
          const [whole, dec] = String(val.value).split('.');
          node = new LookupVal(tok.lineno, tok.colno, node, new Literal(val.lineno, val.colno, Number(whole)));
          if (dec === '') this.pushToken({ type: TOKEN_OPERATOR, value: '.', lineno: val.lineno, colno: val.colno });
          else node = new LookupVal(tok.lineno, tok.colno, node, new Literal(val.lineno, val.colno, Number(dec)));
        } else this.fail(`expected name as lookup value, got ${val.value}`, val.lineno, val.colno);
      } else break;
    }
    return node;
  };
}
