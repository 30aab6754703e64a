// Python's ast.literal_eval over the text a template rendered to, as Ansible's
// ansible_eval_concat applies it (with JSON's true/false/null accepted as Python's constants):
// strings, numbers, True/False/None, lists, tuples, dicts and sets.
import { setData } from './sandbox';
import { decodePythonEscapes } from './python-string-literal';
import { pyTuple } from './python';

class NotALiteral extends Error {}

class Parser {
  private i = 0;

  constructor(private readonly s: string) {}

  parse(): unknown {
    const v = this.value();
    this.ws();
    if (this.i !== this.s.length) throw new NotALiteral();
    return v;
  }

  private ws(): void {
    // Inside brackets Python ignores line breaks; a comment cannot appear in a literal we accept.
    while (this.i < this.s.length && /[ \t\r\n]/.test(this.s[this.i])) this.i++;
  }

  private peek(): string {
    this.ws();
    return this.s[this.i] ?? '';
  }

  private eat(c: string): boolean {
    if (this.peek() !== c) return false;
    this.i++;
    return true;
  }

  private value(): unknown {
    const c = this.peek();
    if (c === '[') return this.sequence('[', ']', false);
    if (c === '(') return this.sequence('(', ')', true);
    if (c === '{') return this.mapping();
    if (c === "'" || c === '"') return this.strings();
    if (c === '-' || c === '+' || /[0-9.]/.test(c)) return this.number();
    const m = /^[A-Za-z_]\w*/.exec(this.s.slice(this.i));
    if (m) {
      this.i += m[0].length;
      switch (m[0]) {
        case 'True':
        case 'true':
          return true;
        case 'False':
        case 'false':
          return false;
        case 'None':
        case 'null':
          return null;
      }
    }
    throw new NotALiteral();
  }

  private sequence(open: string, close: string, tuple: boolean): unknown {
    this.i++;
    const items: unknown[] = [];
    let comma = false;
    while (!this.eat(close)) {
      if (items.length > 0 && !comma) throw new NotALiteral();
      items.push(this.value());
      comma = this.eat(',');
    }
    if (!tuple) return items;
    // `(x)` is x itself; `(x,)` and `()` are tuples.
    if (items.length === 1 && !comma) return items[0];
    return pyTuple(items);
  }

  private mapping(): unknown {
    this.i++;
    const out: Record<string, unknown> = {};
    const set: unknown[] = [];
    let kind: 'dict' | 'set' | undefined;
    let comma = false;
    let first = true;
    while (!this.eat('}')) {
      if (!first && !comma) throw new NotALiteral();
      first = false;
      const key = this.value();
      if (this.eat(':')) {
        if (kind === 'set') throw new NotALiteral();
        kind = 'dict';
        if (typeof key === 'object' && key !== null) throw new NotALiteral();
        setData(out, key === true ? 'True' : key === false ? 'False' : key === null ? 'None' : String(key), this.value());
      } else {
        if (kind === 'dict') throw new NotALiteral();
        kind = 'set';
        set.push(key);
      }
      comma = this.eat(',');
    }
    return kind === 'set' ? set : out;
  }

  private strings(): string {
    // Adjacent literals concatenate, as in Python.
    let out = '';
    while (this.peek() === "'" || this.peek() === '"') out += this.string();
    return out;
  }

  private string(): string {
    const q = this.s[this.i];
    const triple = this.s.startsWith(q.repeat(3), this.i);
    const end = triple ? q.repeat(3) : q;
    this.i += end.length;
    let raw = '';
    while (!this.s.startsWith(end, this.i)) {
      const c = this.s[this.i];
      if (c === undefined || (c === '\n' && !triple)) throw new NotALiteral();
      raw += c;
      this.i++;
      if (c === '\\') {
        if (this.i >= this.s.length) throw new NotALiteral();
        raw += this.s[this.i++];
      }
    }
    this.i += end.length;
    return decodePythonEscapes(raw);
  }

  private number(): number {
    const m = /^[-+]?\s*(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?|\d[\d_]*\.)/.exec(this.s.slice(this.i));
    if (!m) throw new NotALiteral();
    this.i += m[0].length;
    const text = m[0].replace(/[\s_]/g, '');
    const sign = text.startsWith('-') ? -1 : 1;
    const body = text.replace(/^[-+]/, '');
    if (/^0[0-9]+$/.test(body) && !/^0+$/.test(body)) throw new NotALiteral(); // 010 is a SyntaxError
    const n = /^0[xob]/i.test(body) ? Number(body.toLowerCase()) : Number(body);
    if (Number.isNaN(n)) throw new NotALiteral();
    return sign * n;
  }
}

/** The value of a Python literal, or `undefined` when the text is not one. */
export function literalEval(text: string): { value: unknown } | undefined {
  try {
    return { value: new Parser(text).parse() };
  } catch (error) {
    if (error instanceof NotALiteral) return undefined;
    throw error;
  }
}
