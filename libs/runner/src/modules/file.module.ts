// file and stat.
import { shQuote } from '../ssh/shell-quote';
import { attrsOf, attrsScript, parseStatLine, STAT_LINE } from './remote-file';
import { bool, str, type ModuleFn } from './types';

export const fileModule: ModuleFn = async (ctx) => {
  const path = str(ctx.args.path ?? ctx.args.dest ?? ctx.args.name);
  if (!path) return { failed: true, msg: 'path is required' };
  const state = ctx.args.state === undefined ? '' : str(ctx.args.state);
  const src = ctx.args.src === undefined ? '' : str(ctx.args.src);
  const attrs = attrsOf(ctx.args);
  const recurse = bool(ctx.args.recurse);
  const force = bool(ctx.args.force);
  const chk = ctx.check ? 1 : 0;
  // As Ansible: every directory created on the way gets the mode and owner asked for.
  const parentAttrs = attrsScript(attrs).replace(/\n/g, '; ');
  const recurseScript = recurse
    ? `find "$p" -mindepth 1 | while IFS= read -r q; do p0="$p"; p="$q"; ${attrsScript({ ...attrs, mode: attrs.mode && /^[0-7]+$/.test(attrs.mode) ? attrs.mode : attrs.mode }).replace(/\n/g, '; ')}; p="$p0"; [ $changed = 1 ] && echo RCHANGED; done > /tmp/.baton.r.$$; grep -q RCHANGED /tmp/.baton.r.$$ && changed=1; rm -f /tmp/.baton.r.$$`
    : '';
  const script = `p=${shQuote(path)}; state=${shQuote(state)}; check=${chk}; changed=0
cur=absent; if [ -L "$p" ]; then cur=link; elif [ -d "$p" ]; then cur=directory; elif [ -e "$p" ]; then cur=file; fi
if [ -z "$state" ]; then if [ $cur = absent ]; then state=file; else state=$cur; fi; [ $cur = link ] && [ -z ${shQuote(src)} ] && state=file; fi
case "$state" in
absent) if [ $cur != absent ]; then changed=1; [ $check = 1 ] || rm -rf "$p" || exit 30; fi; echo "CHANGED=$changed STATE=absent"; exit 0 ;;
directory)
  if [ $cur = absent ]; then changed=1; [ $check = 1 ] && { echo "CHANGED=1 STATE=directory"; exit 0; }
    new=; d="$p"; while [ ! -e "$d" ]; do new="$d
$new"; d=$(dirname "$d"); done
    mkdir -p "$p" || exit 31
    p0="$p"; IFS='
'; for p in $new; do [ "$p" = "$p0" ] && continue; ${parentAttrs}; done; unset IFS; p="$p0"
  elif [ $cur != directory ]; then echo "$p already exists as a $cur" >&2; exit 32; fi ;;
file)
  if [ $cur = absent ]; then echo "file ($p) is absent, cannot continue" >&2; exit 33; fi ;;
touch)
  changed=1; [ $check = 1 ] && { echo "CHANGED=1 STATE=file"; exit 0; }; touch "$p" || exit 34 ;;
link|hard)
  s=${shQuote(src)}; [ -n "$s" ] || { echo "src is required for state=$state" >&2; exit 35; }
  if [ "$state" = link ]; then
    if [ $cur = link ] && [ "$(readlink "$p")" = "$s" ]; then :; else
      if [ $cur != absent ] && [ $cur != link ] && [ ${force ? 1 : 0} = 0 ]; then echo "refusing to convert from $cur to symlink for $p" >&2; exit 36; fi
      changed=1; [ $check = 1 ] && { echo "CHANGED=1 STATE=link"; exit 0; }; ln -sfn "$s" "$p" || exit 37; fi
  else
    if [ -e "$p" ] && [ "$(stat -c %i "$p")" = "$(stat -c %i "$s")" ]; then :; else changed=1; [ $check = 1 ] && { echo "CHANGED=1 STATE=hard"; exit 0; }; ln -f "$s" "$p" || exit 37; fi
  fi ;;
*) echo "unsupported state $state" >&2; exit 39 ;;
esac
if [ "$state" != link ]; then
${attrsScript(attrs)}
${recurseScript}
fi
echo "CHANGED=$changed STATE=$state"; ${STAT_LINE}; true`;
  const r = await ctx.exec(script);
  if (r.rc !== 0) return { failed: true, msg: r.stderr.trim() || `exit ${r.rc}`, path, rc: r.rc };
  const s = parseStatLine(r.stdout);
  const st = /STATE=(\w+)/.exec(r.stdout)?.[1] ?? state;
  return { changed: /CHANGED=1/.test(r.stdout), path, state: st, ...(s ? { mode: s.mode, owner: s.owner, group: s.group, uid: s.uid, gid: s.gid, size: s.size } : {}), ...(src ? { src } : {}) };
};

export const statModule: ModuleFn = async (ctx) => {
  const path = str(ctx.args.path);
  const follow = bool(ctx.args.follow);
  const checksum = bool(ctx.args.get_checksum, true);
  const f = follow ? '-L ' : '';
  const script = `p=${shQuote(path)}
if [ ! -e "$p" ] && [ ! -L "$p" ]; then echo ABSENT; exit 0; fi
stat ${f}-c '%F|%a|%U|%G|%s|%u|%g|%Y|%X|%Z|%i|%h|%d|%b' "$p"
[ -L "$p" ] && readlink "$p" || echo
[ -r "$p" ] && echo r || echo -; [ -w "$p" ] && echo w || echo -; [ -x "$p" ] && echo x || echo -
${checksum ? `if [ -f "$p" ] && [ -r "$p" ]; then sha1sum "$p" | cut -c1-40; else echo; fi` : 'echo'}`;
  const r = await ctx.exec(script);
  if (r.rc !== 0) return { failed: true, msg: r.stderr.trim() };
  if (r.stdout.startsWith('ABSENT')) return { changed: false, stat: { exists: false } };
  const [line, link, rd, wr, ex, sum] = r.stdout.split('\n');
  const [type, mode, owner, group, size, uid, gid, mtime, atime, ctime, inode, nlink, dev, blocks] = line.split('|');
  const m = parseInt(mode, 8);
  const stat: Record<string, unknown> = {
    exists: true,
    path,
    mode: mode.padStart(4, '0'),
    isdir: type === 'directory',
    isreg: type.startsWith('regular'),
    islnk: type === 'symbolic link',
    isblk: type === 'block special file',
    ischr: type === 'character special file',
    isfifo: type === 'fifo',
    issock: type === 'socket',
    uid: Number(uid),
    gid: Number(gid),
    pw_name: owner,
    gr_name: group,
    size: Number(size),
    mtime: Number(mtime),
    atime: Number(atime),
    ctime: Number(ctime),
    inode: Number(inode),
    nlink: Number(nlink),
    dev: Number(dev),
    blocks: Number(blocks),
    readable: rd === 'r',
    writeable: wr === 'w',
    executable: ex === 'x',
    isuid: Boolean(m & 0o4000),
    isgid: Boolean(m & 0o2000),
    rusr: Boolean(m & 0o400), wusr: Boolean(m & 0o200), xusr: Boolean(m & 0o100),
    rgrp: Boolean(m & 0o40), wgrp: Boolean(m & 0o20), xgrp: Boolean(m & 0o10),
    roth: Boolean(m & 0o4), woth: Boolean(m & 0o2), xoth: Boolean(m & 0o1),
  };
  if (link) stat.lnk_source = link;
  if (checksum && sum) stat.checksum = sum;
  return { changed: false, stat };
};
