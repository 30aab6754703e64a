// Module arguments written inline: `file: path=/x state=touch` and `shell: echo hi chdir=/tmp`.
import { shSplit } from '../ssh/shell-quote';

const RAW_MODULES = new Set(['command', 'shell', 'raw', 'script', 'include_tasks', 'import_tasks', 'include_vars', 'meta']);
const RAW_KEYS = new Set(['chdir', 'creates', 'removes', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends', 'decrypt']);

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** Ansible's parse_kv decodes backslash escapes in every k=v word (splitter._decode_escapes). */
function kvValue(text: string): unknown {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[\\'"abfnrtv])/g, (m, e: string) => {
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? m;
  });
}

/** Splits `k=v` pairs, keeping quoted values and `{{ }}` spans with spaces together. */
function splitKv(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      cur += c;
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      cur += c;
      quote = c;
    } else if (text.startsWith('{{', i) || text.startsWith('{%', i)) {
      depth++;
      cur += text.slice(i, i + 2);
      i++;
    } else if ((text.startsWith('}}', i) || text.startsWith('%}', i)) && depth > 0) {
      depth--;
      cur += text.slice(i, i + 2);
      i++;
    } else if (/\s/.test(c) && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0])) {
    try {
      return shSplit(v)[0] ?? '';
    } catch {
      return v.slice(1, -1);
    }
  }
  return v;
}

export function parseFreeForm(module: string, text: string): Record<string, unknown> {
  const words = splitKv(text);
  const args: Record<string, unknown> = {};
  if (RAW_MODULES.has(module)) {
    const rest: string[] = [];
    for (const w of words) {
      const m = /^(\w+)=(.*)$/s.exec(w);
      if (m && RAW_KEYS.has(m[1])) args[m[1]] = unquote(String(kvValue(m[2])));
      else rest.push(w);
    }
    // Keep the command text as written (quotes included) minus the extracted k=v words.
    let raw = text;
    for (const w of words) if (!rest.includes(w)) raw = raw.replace(w, '');
    args._raw_params = raw.trim();
    return args;
  }
  for (const w of words) {
    const m = /^(\w+)=(.*)$/s.exec(w);
    if (m) args[m[1]] = unquote(String(kvValue(m[2])));
    else args._raw_params = args._raw_params ? `${String(args._raw_params)} ${w}` : w;
  }
  return args;
}
