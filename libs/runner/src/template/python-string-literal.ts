// Jinja2 string literals are decoded as Python's 'unicode-escape' codec does: `\n`, `\x41`,
// octal `\101` are escapes, and an unknown escape such as `\d` keeps its backslash. nunjucks
// drops the backslash of any escape it does not know, which breaks regexes written as
// `regex_replace('(\d+)', ...)`; so its tokenizer's string reader is replaced by this one.
import nunjucks from 'nunjucks';

const SIMPLE: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '' };

/** Python's `codecs.decode(body, 'unicode-escape')` for the body of a string literal. */
export function decodePythonEscapes(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\' || i === body.length - 1) {
      out += c;
      continue;
    }
    const e = body[i + 1];
    if (e in SIMPLE) {
      out += SIMPLE[e];
      i++;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1, i + 4));
    if (octal) {
      out += String.fromCharCode(parseInt(octal[0], 8));
      i += octal[0].length;
      continue;
    }
    const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const hex = hexLen ? body.slice(i + 2, i + 2 + hexLen) : '';
    if (hexLen && new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) {
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 1 + hexLen;
      continue;
    }
    out += c;
  }
  return out;
}

interface TokenizerLike {
  forward(): void;
  current(): string;
  isFinished(): boolean;
}

const proto = Object.getPrototypeOf((nunjucks as unknown as { lexer: { lex(src: string): object } }).lexer.lex('')) as {
  _parseString(this: TokenizerLike, delimiter: string): string;
};

proto._parseString = function parseString(this: TokenizerLike, delimiter: string): string {
  this.forward();
  let raw = '';
  while (!this.isFinished() && this.current() !== delimiter) {
    const c = this.current();
    raw += c;
    this.forward();
    if (c === '\\' && !this.isFinished()) {
      raw += this.current();
      this.forward();
    }
  }
  this.forward();
  return decodePythonEscapes(raw);
};

/**
 * Ansible's _escape_backslashes: doubles the backslashes of string literals inside `{{ }}`, so
 * that after Python's decoding they read as written in the YAML (`regex_replace('(\d+)', '\1')`).
 * Ansible does this for task arguments and variables, not for template files or conditionals.
 */
export function escapeBackslashes(src: string): string {
  if (!src.includes('\\') || !src.includes('{{')) return src;
  let out = '';
  let i = 0;
  while (i < src.length) {
    const start = src.indexOf('{{', i);
    if (start < 0) {
      out += src.slice(i);
      break;
    }
    out += src.slice(i, start + 2);
    i = start + 2;
    while (i < src.length && !src.startsWith('}}', i)) {
      const c = src[i];
      if (c !== "'" && c !== '"') {
        out += c;
        i++;
        continue;
      }
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      out += c + src.slice(i + 1, j).replace(/\\/g, '\\\\') + (src[j] ?? '');
      i = j + 1;
    }
  }
  return out;
}
