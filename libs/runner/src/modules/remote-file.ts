// File work on the host in one shell round trip each: read a file, write one atomically (only
// when its SHA-1 differs), and bring mode/owner/group to what the task asks.
import { createHash } from 'node:crypto';
import { shQuote } from '../ssh/shell-quote';
import { str, type ModuleContext } from './types';

export interface Attrs {
  mode?: string;
  owner?: string;
  group?: string;
}

/** Ansible mode argument → chmod operand: ints are octal values, strings pass as written. */
export function modeArg(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return v.toString(8).padStart(4, '0');
  return String(v);
}

export function attrsOf(args: Record<string, unknown>): Attrs {
  return { mode: modeArg(args.mode), owner: args.owner === undefined ? undefined : str(args.owner), group: args.group === undefined ? undefined : str(args.group) };
}

/** Shell that applies attrs to "$p", setting changed=1 when something differs; honours $check. */
export function attrsScript(a: Attrs): string {
  const parts: string[] = [];
  if (a.mode) {
    const m = shQuote(a.mode);
    if (/^[0-7]+$/.test(a.mode)) {
      const want = parseInt(a.mode, 8).toString(8);
      parts.push(`[ "$(stat -c %a "$p")" = ${want} ] || { changed=1; [ $check = 1 ] || chmod ${m} "$p" || exit 21; }`);
    } else {
      parts.push(`b=$(stat -c %a "$p"); if [ $check = 0 ]; then chmod ${m} "$p" || exit 21; [ "$(stat -c %a "$p")" = "$b" ] || changed=1; fi`);
    }
  }
  if (a.owner) {
    const o = shQuote(a.owner);
    parts.push(`{ [ "$(stat -c %U "$p")" = ${o} ] || [ "$(stat -c %u "$p")" = ${o} ]; } || { changed=1; [ $check = 1 ] || chown ${o} "$p" || exit 22; }`);
  }
  if (a.group) {
    const g = shQuote(a.group);
    parts.push(`{ [ "$(stat -c %G "$p")" = ${g} ] || [ "$(stat -c %g "$p")" = ${g} ]; } || { changed=1; [ $check = 1 ] || chgrp ${g} "$p" || exit 23; }`);
  }
  return parts.length ? parts.join('\n') : ':';
}

export const STAT_LINE = `stat -c 'STAT=%a|%U|%G|%s|%u|%g|%F' "$p" 2>/dev/null`;

export interface StatLine {
  mode: string;
  owner: string;
  group: string;
  size: number;
  uid: number;
  gid: number;
  type: string;
}

export function parseStatLine(out: string): StatLine | undefined {
  const m = /^STAT=(\d+)\|([^|]*)\|([^|]*)\|(\d+)\|(\d+)\|(\d+)\|(.*)$/m.exec(out);
  if (!m) return undefined;
  return { mode: m[1].padStart(4, '0'), owner: m[2], group: m[3], size: Number(m[4]), uid: Number(m[5]), gid: Number(m[6]), type: m[7] };
}

export async function readRemote(ctx: ModuleContext, path: string): Promise<{ state: 'file' | 'directory' | 'absent'; content: string }> {
  const p = shQuote(path);
  const r = await ctx.exec(`if [ -d ${p} ]; then echo D; elif [ -e ${p} ]; then echo F && cat ${p}; else echo N; fi`);
  if (r.rc !== 0) throw new Error(r.stderr.trim() || `cannot read ${path}`);
  const nl = r.stdout.indexOf('\n');
  const tag = r.stdout.slice(0, nl);
  return { state: tag === 'D' ? 'directory' : tag === 'F' ? 'file' : 'absent', content: r.stdout.slice(nl + 1) };
}

export interface PutResult {
  changed: boolean;
  created: boolean;
  stat?: StatLine;
  rc: number;
  error?: string;
}

/**
 * Writes `content` to `dest` when its SHA-1 differs (or when absent), atomically through a
 * temporary file in the same folder, then applies attrs. `force: false` never overwrites.
 */
export async function putFile(ctx: ModuleContext, dest: string, content: Buffer, attrs: Attrs, options: { force?: boolean; check: boolean; makeDirs?: boolean }): Promise<PutResult> {
  const sha = createHash('sha1').update(content).digest('hex');
  const script = `p=${shQuote(dest)}; check=${options.check ? 1 : 0}; changed=0; created=0
if [ -d "$p" ]; then cat >/dev/null; echo "is a directory" >&2; exit 10; fi
cur=; [ -e "$p" ] && cur=$(sha1sum "$p" | cut -c1-40)
if [ "$cur" != ${sha} ] && { [ -z "$cur" ] || [ ${options.force === false ? 0 : 1} = 1 ]; }; then
  changed=1; [ -z "$cur" ] && created=1
  if [ $check = 0 ]; then
    d=$(dirname "$p"); ${options.makeDirs ? 'mkdir -p "$d" || exit 12;' : ''} [ -d "$d" ] || { cat >/dev/null; echo "Destination directory $d does not exist" >&2; exit 11; }
    t=$(mktemp "$d/.baton.XXXXXX") || exit 12
    cat > "$t" || { rm -f "$t"; exit 12; }
    if [ -n "$cur" ]; then chmod "$(stat -c %a "$p")" "$t"; chown "$(stat -c %u:%g "$p")" "$t" 2>/dev/null; else chmod "$(printf %o $(( 0666 & ~$(umask) )))" "$t"; fi
    mv -f "$t" "$p" || exit 13
  else cat >/dev/null; fi
else cat >/dev/null; fi
if [ -e "$p" ]; then
${attrsScript(attrs)}
fi
echo "CHANGED=$changed CREATED=$created"; ${STAT_LINE}; true`;
  const r = await ctx.exec(script, content);
  if (r.rc !== 0) return { changed: false, created: false, rc: r.rc, error: r.stderr.trim() || `exit ${r.rc}` };
  return { changed: /CHANGED=1/.test(r.stdout), created: /CREATED=1/.test(r.stdout), stat: parseStatLine(r.stdout), rc: 0 };
}

export function sha1(content: Buffer | string): string {
  return createHash('sha1').update(content).digest('hex');
}
