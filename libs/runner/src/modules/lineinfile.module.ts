// lineinfile and blockinfile: read the file, edit it here with Ansible's exact algorithm
// (ansible/modules/lineinfile.py present()/absent(), blockinfile.py main()), write it back
// only when the text changed, then file attributes.
import { pyRegex } from '../template/filters';
import { attrsOf, putFile, readRemote } from './remote-file';
import { bool, str, type ModuleContext, type ModuleFn, type ModuleResult } from './types';

function splitKeep(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

// Python's `$` also matches before a final newline: lines are matched without it.
const strip = (l: string) => l.replace(/[\r\n]+$/, '');

function expand(m: RegExpExecArray, template: string): string {
  return template.replace(/\\(\d+)|\\g<(\w+)>/g, (_, n: string | undefined, name: string | undefined) => (n !== undefined ? (m[Number(n)] ?? '') : (m.groups?.[name!] ?? (/^\d+$/.test(name!) ? m[Number(name)] : '')) ?? ''));
}

async function finish(ctx: ModuleContext, path: string, before: string | undefined, after: string, changed: boolean, msg: string): Promise<ModuleResult> {
  const attrs = attrsOf(ctx.args);
  if (!changed && before === undefined) return { changed: false, msg };
  if (ctx.check && before === undefined) return { changed, msg };
  const content = Buffer.from(changed ? after : (before ?? ''));
  const r = await putFile(ctx, path, content, attrs, { check: ctx.check, makeDirs: true });
  if (r.error) return { failed: true, msg: r.error, rc: r.rc };
  let m = msg;
  if (r.changed && !changed) m = m ? `${m} and ownership, perms or SE linux context changed` : 'ownership, perms or SE linux context changed';
  return { changed: changed || r.changed, msg: m, backup: '' };
}

function present(lines: string[], a: Record<string, unknown>): { lines: string[]; changed: boolean; msg: string } {
  const regexp = a.regexp === undefined ? undefined : pyRegex(str(a.regexp));
  const search = a.search_string === undefined ? undefined : str(a.search_string);
  const line = str(a.line);
  const insertafter = a.insertafter === undefined ? undefined : str(a.insertafter);
  const insertbefore = a.insertbefore === undefined ? undefined : str(a.insertbefore);
  const backrefs = bool(a.backrefs);
  const firstmatch = bool(a.firstmatch);
  let bre: RegExp | undefined;
  if (insertafter !== undefined && insertafter !== 'BOF' && insertafter !== 'EOF') bre = pyRegex(insertafter);
  else if (insertbefore !== undefined && insertbefore !== 'BOF') bre = pyRegex(insertbefore);
  const index = [-1, -1];
  let match: RegExpExecArray | boolean | undefined;
  let exact = false;
  if (regexp) {
    for (let i = 0; i < lines.length; i++) {
      const m = regexp.exec(strip(lines[i]));
      if (m) {
        index[0] = i;
        match = m;
        if (firstmatch) break;
      }
    }
  }
  if (search !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].includes(search)) {
        index[0] = i;
        match = true;
        if (firstmatch) break;
      }
    }
  }
  if (!match) {
    for (let i = 0; i < lines.length; i++) {
      if (line === strip(lines[i])) {
        index[0] = i;
        exact = true;
      } else if (bre && bre.test(strip(lines[i]))) {
        if (insertafter) {
          index[1] = i + 1;
          if (firstmatch) break;
        }
        if (insertbefore) {
          index[1] = i;
          if (firstmatch) break;
        }
      }
    }
  }
  let changed = false;
  let msg = '';
  const add = () => ((msg = 'line added'), (changed = true));
  if (index[0] !== -1) {
    let newLine = backrefs && match && typeof match !== 'boolean' ? expand(match, line) : line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    if (regexp === undefined && search === undefined && !match && !exact) {
      // unreachable in practice: kept for parity with lineinfile.py
    } else if (lines[index[0]] !== newLine) {
      lines[index[0]] = newLine;
      msg = 'line replaced';
      changed = true;
    }
  } else if (backrefs) {
    // no match with backrefs: nothing to do
  } else if (insertbefore === 'BOF' || insertafter === 'BOF') {
    lines.unshift(`${line}\n`);
    add();
  } else if (insertafter === 'EOF' || index[1] === -1) {
    if (lines.length && !/[\n\r]$/.test(lines[lines.length - 1])) lines.push('\n');
    lines.push(`${line}\n`);
    add();
  } else if (insertafter && index[1] !== -1) {
    if (lines.length === index[1]) {
      if (strip(lines[index[1] - 1]) !== line) {
        lines.push(`${line}\n`);
        add();
      }
    } else if (line !== strip(lines[index[1]])) {
      lines.splice(index[1], 0, `${line}\n`);
      add();
    }
  } else {
    lines.splice(index[1], 0, `${line}\n`);
    add();
  }
  return { lines, changed, msg };
}

export const lineinfileModule: ModuleFn = async (ctx) => {
  const a = ctx.args;
  const path = str(a.path ?? a.dest ?? a.name);
  const state = str(a.state, 'present');
  const file = await readRemote(ctx, path);
  if (file.state === 'directory') return { failed: true, rc: 256, msg: `Path ${path} is a directory !` };
  if (state === 'absent') {
    if (file.state === 'absent') return { changed: false, found: 0, msg: 'file not present' };
    const regexp = a.regexp === undefined ? undefined : pyRegex(str(a.regexp));
    const search = a.search_string === undefined ? undefined : str(a.search_string);
    const line = str(a.line);
    const before = splitKeep(file.content);
    const after = before.filter((l) => !(regexp ? regexp.test(strip(l)) : search !== undefined ? l.includes(search) : strip(l) === line));
    const found = before.length - after.length;
    const res = await finish(ctx, path, file.content, after.join(''), found > 0, found ? `${found} line(s) removed` : '');
    return { ...res, found };
  }
  if (a.line === undefined) return { failed: true, msg: 'line is required with state=present' };
  if (bool(a.backrefs) && a.regexp === undefined && a.search_string === undefined) return { failed: true, msg: 'regexp is required with backrefs=true' };
  if (file.state === 'absent' && !bool(a.create)) return { failed: true, rc: 257, msg: `Destination ${path} does not exist !` };
  const lines = splitKeep(file.state === 'absent' ? '' : file.content);
  const out = present(lines, a);
  return finish(ctx, path, file.state === 'absent' ? undefined : file.content, out.lines.join(''), out.changed, out.msg);
};

export const blockinfileModule: ModuleFn = async (ctx) => {
  const a = ctx.args;
  const path = str(a.path ?? a.dest ?? a.name);
  const file = await readRemote(ctx, path);
  if (file.state === 'directory') return { failed: true, rc: 256, msg: `Path ${path} is a directory !` };
  const presentState = str(a.state, 'present') === 'present';
  if (file.state === 'absent') {
    if (!presentState) return { changed: false, msg: `File ${path} not present` };
    if (!bool(a.create)) return { failed: true, rc: 257, msg: `Path ${path} does not exist !` };
  }
  const original = file.state === 'absent' ? undefined : file.content;
  const lines = splitKeep(original ?? '');
  let insertafter = a.insertafter === undefined ? undefined : str(a.insertafter);
  const insertbefore = a.insertbefore === undefined ? undefined : str(a.insertbefore);
  if (insertbefore === undefined && insertafter === undefined) insertafter = 'EOF';
  let insertre: RegExp | undefined;
  if (insertafter !== undefined && insertafter !== 'EOF') insertre = pyRegex(insertafter);
  else if (insertbefore !== undefined && insertbefore !== 'BOF') insertre = pyRegex(insertbefore);
  const marker = str(a.marker, '# {mark} ANSIBLE MANAGED BLOCK');
  const marker0 = `${marker.replace('{mark}', str(a.marker_begin, 'BEGIN'))}\n`;
  const marker1 = `${marker.replace('{mark}', str(a.marker_end, 'END'))}\n`;
  let block = str(a.block ?? a.content);
  let blocklines: string[] = [];
  if (presentState && block) {
    if (!block.endsWith('\n')) block += '\n';
    blocklines = [marker0, ...splitKeep(block), marker1];
  }
  let n0: number | undefined = lines.lastIndexOf(marker0);
  const n1Found = lines.lastIndexOf(marker1);
  const n1: number | undefined = n1Found < 0 ? undefined : n1Found;
  if (n0 < 0) n0 = undefined;
  if (n0 === undefined || n1 === undefined) {
    n0 = undefined;
    if (insertre) {
      for (let i = 0; i < lines.length; i++) if (insertre.test(strip(lines[i]))) n0 = i;
      if (n0 === undefined) n0 = lines.length;
      else if (insertafter !== undefined) n0 += 1;
    } else if (insertbefore !== undefined) n0 = 0;
    else n0 = lines.length;
  } else if (n0 < n1) lines.splice(n0, n1 - n0 + 1);
  else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }
  if (n0 > 0 && !lines[n0 - 1].endsWith('\n')) lines[n0 - 1] += '\n';
  lines.splice(n0, 0, ...blocklines);
  const result = lines.join('');
  let msg = '';
  let changed = true;
  if (original === result) changed = false;
  else if (original === undefined) msg = 'File created';
  else if (blocklines.length === 0) msg = 'Block removed';
  else msg = 'Block inserted';
  return finish(ctx, path, original, result, changed, msg);
};
