// mount (ansible.posix.mount, the `mount` of ansible-core 2.14 installs), on Linux: the fstab
// line is edited here exactly as _set_mount_save_old/unset_mount do, written back only when it
// changed, and the mount state brought in line with mount/umount on the host.
import { shQuote } from '../ssh/shell-quote';
import { putFile, readRemote } from './remote-file';
import { bool, str, type ModuleContext, type ModuleFn, type ModuleResult } from './types';

type Args = { name: string; src?: string; fstype?: string; opts: string; dump: string; passno: string; fstab: string; boot: string; warnings: string[]; backup_file: string };

const STATES = ['absent', 'absent_from_fstab', 'mounted', 'present', 'unmounted', 'remounted', 'ephemeral'];

function escapeFstab(v: string): string {
  return v.replace(/\\/g, '\\134').replace(/ /g, '\\040').replace(/&/g, '\\046');
}

function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** _set_mount_save_old: the fstab with the entry added or updated, and whether it changed. */
export function setMount(text: string, args: Args): { text: string; changed: boolean } {
  const esc = { src: escapeFstab(args.src ?? ''), name: escapeFstab(args.name), fstype: escapeFstab(args.fstype ?? ''), opts: escapeFstab(args.opts), dump: escapeFstab(args.dump), passno: escapeFstab(args.passno) };
  const out: string[] = [];
  let exists = false;
  let changed = false;
  for (let line of splitLines(text)) {
    if (!line.endsWith('\n')) line += '\n';
    if (!line.trim() || line.trim().startsWith('#')) {
      out.push(line);
      continue;
    }
    const fields = line.trim().split(/\s+/);
    if (![4, 5, 6].includes(fields.length)) {
      out.push(line);
      continue;
    }
    const labels = ['src', 'name', 'fstype', 'opts', 'dump', 'passno'] as const;
    const ld: Record<string, string> = { dump: '0', passno: '0' };
    fields.forEach((f, i) => (ld[labels[i]] = f));
    if (ld.name !== esc.name || (args.src !== undefined && ld.name === 'none' && ld.fstype === 'swap' && ld.src !== args.src)) {
      out.push(line);
      continue;
    }
    exists = true;
    // `changed` is not reset per line, as in the module: a later duplicate line is rewritten too.
    for (const t of ['src', 'fstype', 'opts', 'dump', 'passno'] as const) {
      if (ld[t] !== esc[t]) {
        ld[t] = esc[t];
        changed = true;
      }
    }
    out.push(changed ? `${ld.src} ${ld.name} ${ld.fstype} ${ld.opts} ${ld.dump} ${ld.passno}\n` : line);
  }
  if (!exists) {
    out.push(`${esc.src} ${esc.name} ${esc.fstype} ${esc.opts} ${esc.dump} ${esc.passno}\n`);
    changed = true;
  }
  return { text: out.join(''), changed };
}

/** unset_mount: the fstab without the entry. */
export function unsetMount(text: string, args: Args): { text: string; changed: boolean } {
  const name = escapeFstab(args.name);
  const out: string[] = [];
  let changed = false;
  for (const line of splitLines(text)) {
    const fields = line.trim().split(/\s+/);
    if (!line.trim() || line.trim().startsWith('#') || fields.length !== 6) {
      out.push(line);
      continue;
    }
    const [src, n, fstype] = fields;
    if (n !== name || (args.src !== undefined && n === 'none' && fstype === 'swap' && src !== args.src)) {
      out.push(line);
      continue;
    }
    changed = true;
  }
  return { text: out.join(''), changed };
}

/** ismount() or is_bind_mounted(): the path is a mount point (a bind mount included). */
async function mounted(ctx: ModuleContext, name: string): Promise<boolean> {
  const q = shQuote(name);
  return (await ctx.exec(`mountpoint -q ${q} || findmnt -rn --mountpoint ${q} >/dev/null`)).rc === 0;
}

function fstabArgs(args: Args): string {
  return args.fstab !== '/etc/fstab' ? ` -T ${shQuote(args.fstab)}` : '';
}

async function run(ctx: ModuleContext, cmd: string): Promise<{ rc: number; msg: string }> {
  const r = await ctx.exec(cmd);
  return { rc: r.rc, msg: r.rc === 0 ? '' : r.stdout + r.stderr };
}

function mountCmd(args: Args, ephemeral: boolean): string {
  const eph = ephemeral ? ` -t ${shQuote(args.fstype ?? '')}${args.opts !== 'defaults' ? ` -o ${shQuote(args.opts)}` : ''} ${shQuote(args.src ?? '')}` : fstabArgs(args);
  return `mount${eph} ${shQuote(args.name)}`;
}

async function remount(ctx: ModuleContext, args: Args, state: string): Promise<{ rc: number; msg: string; failed?: string }> {
  const opts = state === 'remounted' && args.opts !== 'defaults' ? `remount,${args.opts}` : 'remount';
  const ephemeral = state === 'ephemeral';
  const eph = ephemeral ? ` -t ${shQuote(args.fstype ?? '')}${args.opts !== 'defaults' ? ` -o ${shQuote(args.opts)}` : ''} ${shQuote(args.src ?? '')}` : fstabArgs(args);
  const r = await run(ctx, `mount -o ${shQuote(opts)}${eph} ${shQuote(args.name)}`);
  if (r.rc === 0) return r;
  if (state === 'remounted' && args.opts !== 'defaults') {
    return { ...r, failed: 'Options were specified with remounted, but the remount command failed. Failing in order to prevent an unexpected mount result. Try replacing this command with a "state: unmounted" followed by a "state: mounted" using the full desired mount options instead.' };
  }
  const u = await run(ctx, `umount ${shQuote(args.name)}`);
  return u.rc === 0 ? run(ctx, mountCmd(args, ephemeral)) : u;
}

async function writeFstab(ctx: ModuleContext, args: Args, text: string): Promise<string | undefined> {
  if (ctx.check) return undefined;
  const r = await putFile(ctx, args.fstab, Buffer.from(text), {}, { check: false, force: true, makeDirs: true });
  return r.error;
}

export const mountModule: ModuleFn = async (ctx) => {
  const a = ctx.args;
  const state = str(a.state);
  if (!STATES.includes(state)) return { failed: true, msg: `value of state must be one of: ${STATES.join(', ')}, got: ${state}` };
  const name = str(a.path ?? a.name);
  if (!name) return { failed: true, msg: 'missing required arguments: path' };
  if (['mounted', 'present', 'ephemeral'].includes(state)) {
    const missing = ['src', 'fstype'].filter((k) => a[k] === undefined);
    if (missing.length) return { failed: true, msg: `state is ${state} but all of the following are missing: ${missing.join(', ')}` };
  }
  const args: Args = { name, opts: 'defaults', dump: '0', passno: '0', fstab: '/etc/fstab', boot: 'yes', warnings: [], backup_file: '' };
  for (const k of ['src', 'fstype', 'passno', 'opts', 'dump', 'fstab'] as const) if (a[k] !== undefined && a[k] !== null) (args as Record<string, unknown>)[k] = str(a[k]);
  const opts = args.opts.split(',');
  if (opts.includes('noauto')) args.warnings.push("Ignore the 'boot' due to 'opts' contains 'noauto'.");
  else if (a.boot !== undefined && !bool(a.boot)) {
    args.boot = 'no';
    if (opts.includes('defaults')) args.warnings.push("Ignore the 'boot' due to 'opts' contains 'defaults'.");
    else args.opts = [...opts, 'noauto'].join(',');
  }
  const done = (changed: boolean): ModuleResult => ({ changed, ...args });
  const fail = (msg: string): ModuleResult => ({ failed: true, changed: false, msg });
  let fstab = '';
  if (state !== 'ephemeral') {
    const f = await readRemote(ctx, args.fstab);
    if (f.state === 'directory') return fail(`Failed to open ${args.fstab} due to [Errno 21] Is a directory: '${args.fstab}'`);
    if (f.state === 'absent' && !ctx.check) {
      const e = await writeFstab(ctx, args, '');
      if (e) return fail(`Failed to open ${args.fstab} due to ${e}`);
    }
    fstab = f.content;
  }
  switch (state) {
    case 'absent_from_fstab':
    case 'absent': {
      const u = unsetMount(fstab, args);
      if (u.changed) {
        const e = await writeFstab(ctx, args, u.text);
        if (e) return fail(e);
      }
      if (state === 'absent' && u.changed && !ctx.check) {
        if (await mounted(ctx, name)) {
          const r = await run(ctx, `umount ${shQuote(name)}`);
          if (r.rc) return fail(`Error unmounting ${name}: ${r.msg}`);
        }
        const r = await ctx.exec(`[ -e ${shQuote(name)} ] || exit 0; rmdir ${shQuote(name)}`);
        if (r.rc) return fail(`Error rmdir ${name}: ${r.stderr.trim()}`);
      }
      return done(u.changed);
    }
    case 'unmounted': {
      if (!(await mounted(ctx, name))) return done(false);
      if (!ctx.check) {
        const r = await run(ctx, `umount ${shQuote(name)}`);
        if (r.rc) return fail(`Error unmounting ${name}: ${r.msg}`);
      }
      return done(true);
    }
    case 'present': {
      const s = setMount(fstab, args);
      if (s.changed) {
        const e = await writeFstab(ctx, args, s.text);
        if (e) return fail(e);
      }
      return done(s.changed);
    }
    case 'remounted': {
      if (!ctx.check) {
        const r = await remount(ctx, args, state);
        if (r.failed) return fail(r.failed);
        if (r.rc) return fail(`Error remounting ${name}: ${r.msg}`);
      }
      return done(true);
    }
    default: {
      // mounted, ephemeral
      const q = shQuote(name);
      let created = '';
      if (!ctx.check) {
        const r = await ctx.exec(`[ -e ${q} ] && exit 0; d=${q}; new=; while [ ! -e "$d" ]; do new="$d\n$new"; d=$(dirname "$d"); done; mkdir -p ${q} || exit 1; printf "$new"`);
        if (r.rc) return fail(`Error making dir ${name}: ${r.stderr.trim()}`);
        created = r.stdout;
      }
      let changed = false;
      if (state !== 'ephemeral') {
        const s = setMount(fstab, args);
        changed = s.changed;
        if (s.changed) {
          const e = await writeFstab(ctx, args, s.text);
          if (e) return fail(e);
        }
      }
      let res = { rc: 0, msg: '' };
      if (await mounted(ctx, name)) {
        if (changed && !ctx.check) res = await remount(ctx, args, state);
        if (state === 'ephemeral') {
          changed = true;
          if (!ctx.check) res = await remount(ctx, args, state);
        }
      } else {
        changed = true;
        if (!ctx.check) res = await run(ctx, mountCmd(args, state === 'ephemeral'));
      }
      if (res.rc) {
        // As the module: a failed mount puts the old fstab back and removes the folders it made.
        if (state !== 'ephemeral') await writeFstab(ctx, args, fstab);
        const dirs = created.split('\n').filter(Boolean).reverse();
        if (dirs.length) await ctx.exec(`rmdir ${dirs.map(shQuote).join(' ')} 2>/dev/null; true`);
        return fail(`Error mounting ${name}: ${res.msg}`);
      }
      return done(changed);
    }
  }
};
