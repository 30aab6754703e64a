// user and group: compare with getent, then useradd/usermod/userdel, groupadd/groupmod/groupdel.
import { shQuote } from '../ssh/shell-quote';
import { bool, str, type ModuleFn } from './types';

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String).filter(Boolean);
  if (v === undefined || v === null || v === '') return [];
  return String(v).split(',').map((s) => s.trim()).filter(Boolean);
}

export const userModule: ModuleFn = async (ctx) => {
  const a = ctx.args;
  const name = str(a.name);
  const n = shQuote(name);
  const state = str(a.state, 'present');
  const q = await ctx.exec(`getent passwd ${n} || true; echo @; id -gn ${n} 2>/dev/null; echo @; id -Gn ${n} 2>/dev/null`);
  const [pw, primary, allGroups] = q.stdout.split('@\n').map((s) => s.trim());
  const exists = pw !== '';
  if (state === 'absent') {
    if (!exists) return { changed: false, name, state: 'absent' };
    if (!ctx.check) {
      const r = await ctx.exec(`userdel ${bool(a.remove) ? '-r ' : ''}${bool(a.force) ? '-f ' : ''}${n}`);
      if (r.rc !== 0) return { failed: true, name, msg: r.stderr.trim(), rc: r.rc };
    }
    return { changed: true, name, state: 'absent', force: bool(a.force), remove: bool(a.remove) };
  }
  const groups = a.groups === undefined ? undefined : list(a.groups);
  const opts: string[] = [];
  if (!exists) {
    if (a.uid !== undefined) opts.push('-u', shQuote(str(a.uid)));
    if (a.group !== undefined) opts.push('-g', shQuote(str(a.group)));
    if (groups && groups.length) opts.push('-G', shQuote(groups.join(',')));
    if (a.shell !== undefined) opts.push('-s', shQuote(str(a.shell)));
    if (a.home !== undefined) opts.push('-d', shQuote(str(a.home)));
    if (a.comment !== undefined) opts.push('-c', shQuote(str(a.comment)));
    if (a.password !== undefined) opts.push('-p', shQuote(str(a.password)));
    if (bool(a.system)) opts.push('-r');
    opts.push(bool(a.create_home ?? a.createhome, true) ? '-m' : '-M');
    if (!ctx.check) {
      const r = await ctx.exec(`useradd ${opts.join(' ')} ${n}`);
      if (r.rc !== 0) return { failed: true, name, msg: r.stderr.trim(), rc: r.rc };
    }
    const after = ctx.check ? '' : (await ctx.exec(`getent passwd ${n}`)).stdout.trim();
    const f = after.split(':');
    return { changed: true, name, state: 'present', uid: Number(f[2] ?? 0), group: Number(f[3] ?? 0), home: f[5], shell: f[6], comment: f[4] ?? '', system: bool(a.system), create_home: bool(a.create_home, true) };
  }
  const [, , uid, , gecos, home, shell] = pw.split(':');
  if (a.uid !== undefined && str(a.uid) !== uid) opts.push('-u', shQuote(str(a.uid)));
  if (a.group !== undefined && str(a.group) !== primary && str(a.group) !== pw.split(':')[3]) opts.push('-g', shQuote(str(a.group)));
  if (groups !== undefined) {
    const current = allGroups.split(/\s+/).filter((g) => g && g !== primary);
    const append = bool(a.append);
    const missing = groups.filter((g) => !current.includes(g));
    const extra = current.filter((g) => !groups.includes(g));
    if (missing.length || (!append && extra.length)) opts.push(append ? '-a -G' : '-G', shQuote(groups.join(',')));
  }
  if (a.shell !== undefined && str(a.shell) !== shell) opts.push('-s', shQuote(str(a.shell)));
  if (a.home !== undefined && str(a.home) !== home) opts.push('-d', shQuote(str(a.home)));
  if (a.comment !== undefined && str(a.comment) !== gecos) opts.push('-c', shQuote(str(a.comment)));
  if (a.password !== undefined && str(a.update_password, 'always') === 'always') {
    const sh = await ctx.exec(`getent shadow ${n} | cut -d: -f2`);
    if (sh.stdout.trim() !== str(a.password)) opts.push('-p', shQuote(str(a.password)));
  }
  if (opts.length === 0) return { changed: false, name, state: 'present', uid: Number(uid), home, shell, comment: gecos, append: bool(a.append) };
  if (!ctx.check) {
    const r = await ctx.exec(`usermod ${opts.join(' ')} ${n}`);
    if (r.rc !== 0) return { failed: true, name, msg: r.stderr.trim(), rc: r.rc };
  }
  return { changed: true, name, state: 'present', uid: Number(uid), home, shell, comment: gecos, append: bool(a.append) };
};

export const groupModule: ModuleFn = async (ctx) => {
  const a = ctx.args;
  const name = str(a.name);
  const n = shQuote(name);
  const state = str(a.state, 'present');
  const cur = (await ctx.exec(`getent group ${n} || true`)).stdout.trim();
  if (state === 'absent') {
    if (!cur) return { changed: false, name, state: 'absent' };
    if (!ctx.check) {
      const r = await ctx.exec(`groupdel ${n}`);
      if (r.rc !== 0) return { failed: true, name, msg: r.stderr.trim() };
    }
    return { changed: true, name, state: 'absent' };
  }
  if (!cur) {
    if (!ctx.check) {
      const r = await ctx.exec(`groupadd ${a.gid !== undefined ? `-g ${shQuote(str(a.gid))} ` : ''}${bool(a.system) ? '-r ' : ''}${n}`);
      if (r.rc !== 0) return { failed: true, name, msg: r.stderr.trim() };
    }
    const gid = ctx.check ? undefined : Number((await ctx.exec(`getent group ${n} | cut -d: -f3`)).stdout.trim());
    return { changed: true, name, state: 'present', gid, system: bool(a.system) };
  }
  const gid = cur.split(':')[2];
  if (a.gid !== undefined && str(a.gid) !== gid) {
    if (!ctx.check) {
      const r = await ctx.exec(`groupmod -g ${shQuote(str(a.gid))} ${n}`);
      if (r.rc !== 0) return { failed: true, name, msg: r.stderr.trim() };
    }
    return { changed: true, name, state: 'present', gid: Number(a.gid), system: bool(a.system) };
  }
  return { changed: false, name, state: 'present', gid: Number(gid), system: bool(a.system) };
};
