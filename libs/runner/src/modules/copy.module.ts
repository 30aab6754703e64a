// copy and template: content compared by SHA-1 on the host, written only when it differs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { shQuote } from '../ssh/shell-quote';
import { pyJson } from '../template/filters';
import { isMapping, pyStr } from '../template/python';
import { attrsOf, attrsScript, parseStatLine, putFile, sha1, STAT_LINE, type PutResult } from './remote-file';
import { bool, str, type ModuleContext, type ModuleFn, type ModuleResult } from './types';

function putResult(dest: string, content: Buffer, r: PutResult, extra: Record<string, unknown> = {}): ModuleResult {
  if (r.error) return { failed: true, msg: r.error, dest, rc: r.rc };
  const s = r.stat;
  return {
    changed: r.changed,
    dest,
    checksum: sha1(content),
    size: s?.size ?? content.length,
    mode: s?.mode,
    owner: s?.owner,
    group: s?.group,
    uid: s?.uid,
    gid: s?.gid,
    state: 'file',
    ...extra,
  };
}

async function putOne(ctx: ModuleContext, dest: string, content: Buffer, srcName?: string): Promise<ModuleResult> {
  const attrs = attrsOf(ctx.args);
  const force = bool(ctx.args.force, true);
  let target = dest;
  if (dest.endsWith('/') && srcName) target = dest + srcName;
  let r = await putFile(ctx, target, content, attrs, { force, check: ctx.check });
  if (r.rc === 10 && srcName) {
    target = `${target.replace(/\/$/, '')}/${srcName}`;
    r = await putFile(ctx, target, content, attrs, { force, check: ctx.check });
  }
  return putResult(target, content, r);
}

async function copyDir(ctx: ModuleContext, local: string, dest: string): Promise<ModuleResult> {
  let changed = false;
  const walk = async (dir: string, rel: string): Promise<ModuleResult | undefined> => {
    const target = rel ? `${dest.replace(/\/$/, '')}/${rel}` : dest.replace(/\/$/, '');
    const mk = await ctx.exec(`p=${shQuote(target)}; if [ -d "$p" ]; then echo OK; else ${ctx.check ? 'echo NEW' : 'mkdir -p "$p" && echo NEW'}; fi`);
    if (mk.rc !== 0) return { failed: true, msg: mk.stderr.trim() };
    if (mk.stdout.includes('NEW')) changed = true;
    for (const entry of readdirSync(dir).sort()) {
      // A symbolic link inside the copied folder must not lead out of the playbook's folder.
      const full = ctx.checkFile(join(dir, entry));
      if (statSync(full).isDirectory()) {
        const bad = await walk(full, rel ? `${rel}/${entry}` : entry);
        if (bad) return bad;
      } else {
        const r = await putOne(ctx, `${target}/${entry}`, readFileSync(full));
        if (r.failed) return r;
        changed ||= r.changed === true;
      }
    }
    return undefined;
  };
  const failed = await walk(local, '');
  return failed ?? { changed, dest, state: 'directory' };
}

export const copyModule: ModuleFn = async (ctx) => {
  const dest = str(ctx.args.dest);
  if (!dest) return { failed: true, msg: 'dest is required' };
  if (ctx.args.content !== undefined) {
    const c = ctx.args.content;
    // As the copy action: a dict or list is written as json.dumps, anything else as Python's str().
    const text = typeof c === 'string' ? c : isMapping(c) || Array.isArray(c) ? pyJson(c) : pyStr(c);
    return putOne(ctx, dest, Buffer.from(text));
  }
  const src = str(ctx.args.src);
  if (!src) return { failed: true, msg: 'src (or content) is required' };
  if (bool(ctx.args.remote_src)) return remoteCopy(ctx, src, dest);
  const local = ctx.findFile('files', src);
  if (statSync(local).isDirectory()) {
    const into = src.endsWith('/') ? dest : `${dest.replace(/\/$/, '')}/${basename(local)}`;
    return copyDir(ctx, local, into);
  }
  return putOne(ctx, dest, readFileSync(local), basename(local));
};

async function remoteCopy(ctx: ModuleContext, src: string, dest: string): Promise<ModuleResult> {
  const script = `s=${shQuote(src)}; p=${shQuote(dest)}; check=${ctx.check ? 1 : 0}; changed=0
[ -e "$s" ] || { echo "Source $s not found" >&2; exit 1; }
[ -d "$p" ] && p="$p/$(basename "$s")"
if ! cmp -s "$s" "$p"; then changed=1; [ $check = 1 ] || cat "$s" > "$p" || exit 2; fi
${attrsScript(attrsOf(ctx.args))}
echo "CHANGED=$changed"; ${STAT_LINE}; true`;
  const r = await ctx.exec(script);
  if (r.rc !== 0) return { failed: true, msg: r.stderr.trim(), rc: r.rc };
  const s = parseStatLine(r.stdout);
  return { changed: /CHANGED=1/.test(r.stdout), dest, src, mode: s?.mode, owner: s?.owner, group: s?.group, size: s?.size, state: 'file' };
}

export const templateModule: ModuleFn = async (ctx) => {
  const src = str(ctx.args.src);
  const dest = str(ctx.args.dest);
  if (!src || !dest) return { failed: true, msg: 'src and dest are required' };
  const local = ctx.findFile('templates', src);
  const text = readFileSync(local, 'utf8');
  const scope = ctx.scope.child({
    template_path: local,
    template_fullpath: local,
    template_host: ctx.host,
    template_uid: 'root',
    template_run_date: new Date().toISOString(),
    ansible_managed: 'Ansible managed',
  });
  const rendered = ctx.templater.renderFile(text, scope);
  return putOne(ctx, dest, Buffer.from(rendered), basename(local).replace(/\.j2$/, ''));
};
