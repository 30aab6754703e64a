// replace: every match of a Python regular expression (MULTILINE) in the file, or in the part
// between `after` and `before` (DOTALL), replaced as re.subn does (ansible/modules/replace.py);
// written back only when the text changed, then file attributes.
import { pyRegex } from '../template/filters';
import { attrsOf, putFile, readRemote } from './remote-file';
import { str, type ModuleFn, type ModuleResult } from './types';

const FLAGS: Record<string, string> = { i: 'i', m: 'm', s: 's', x: '', a: '', u: 'u', L: '' };

/** A Python pattern as a global JS RegExp; leading inline flags (`(?s)`, `(?i)`) become JS flags. */
export function pyPattern(pattern: string, flags: string): RegExp {
  let p = pattern;
  let f = flags;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(p);
  if (inline) {
    p = p.slice(inline[0].length);
    for (const c of inline[1]) if (FLAGS[c] && !f.includes(FLAGS[c])) f += FLAGS[c];
  }
  return pyRegex(p, f);
}

const REPL_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

/** Python's re.sub template: \1, \g<1>, \g<name> and the usual character escapes. */
export function pyExpand(m: RegExpExecArray | string[], groups: Record<string, string | undefined> | undefined, template: string): string {
  return template.replace(/\\(?:g<(\w+)>|(\d{1,2})|(.))/gs, (whole, name: string | undefined, num: string | undefined, ch: string | undefined) => {
    if (name !== undefined) return (/^\d+$/.test(name) ? m[Number(name)] : groups?.[name]) ?? '';
    if (num !== undefined) return m[Number(num)] ?? '';
    return REPL_ESCAPES[ch!] ?? whole;
  });
}

function subn(re: RegExp, repl: string, text: string): { text: string; count: number } {
  let count = 0;
  const out = text.replace(re, (...a: unknown[]) => {
    count++;
    const last = a[a.length - 1];
    const groups = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : undefined;
    const end = groups ? a.length - 3 : a.length - 2;
    return pyExpand(a.slice(0, end) as string[], groups, repl);
  });
  return { text: out, count };
}

export const replaceModule: ModuleFn = async (ctx) => {
  const a = ctx.args;
  const path = str(a.path ?? a.dest ?? a.destfile ?? a.name);
  if (a.regexp === undefined) return { failed: true, msg: 'missing required arguments: regexp' };
  const file = await readRemote(ctx, path);
  if (file.state === 'directory') return { failed: true, rc: 256, msg: `Path ${path} is a directory !` };
  if (file.state === 'absent') return { failed: true, rc: 257, msg: `Path ${path} does not exist !` };
  const contents = file.content;
  const after = a.after ? str(a.after) : '';
  const before = a.before ? str(a.before) : '';
  let pattern = '';
  if (after && before) pattern = `${after}(?P<subsection>.*?)${before}`;
  else if (after) pattern = `${after}(?P<subsection>.*)`;
  else if (before) pattern = `(?P<subsection>.*)${before}`;
  let section = contents;
  let start = 0;
  if (pattern) {
    const m = pyPattern(pattern, 'sd').exec(contents);
    if (!m) return { changed: false, rc: 0, msg: `Pattern for before/after params did not match the given file: ${pattern}` };
    section = m.groups!.subsection;
    start = m.indices![1][0];
  }
  const result = subn(pyPattern(str(a.regexp), 'gm'), str(a.replace), section);
  let changed = false;
  let msg = '';
  let text = contents;
  if (result.count > 0 && result.text !== section) {
    text = contents.slice(0, start) + result.text + contents.slice(start + section.length);
    msg = `${result.count} replacements made`;
    changed = true;
  }
  // Unchanged text is not rewritten (same SHA-1): only the attributes are brought in line.
  const put = await putFile(ctx, path, Buffer.from(text), attrsOf(a), { check: ctx.check, force: true });
  if (put.error) return { failed: true, msg: put.error, rc: put.rc };
  if (!changed && put.changed) return { rc: 0, changed: true, msg: 'ownership, perms or SE linux context changed' };
  return { rc: 0, changed, msg } satisfies ModuleResult;
};
