// package, apt, yum/dnf: ask the package database first, install or remove only what differs.
import { shQuote } from '../ssh/shell-quote';
import { bool, lines, str, type ModuleContext, type ModuleFn, type ModuleResult } from './types';

function names(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String).filter(Boolean);
  if (v === undefined || v === null || v === '') return [];
  return String(v).split(',').map((s) => s.trim()).filter(Boolean);
}

const APT_ENV = 'DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true';

async function aptInstalled(ctx: ModuleContext, pkgs: string[]): Promise<Map<string, string | undefined>> {
  const bare = pkgs.map((p) => p.split('=')[0]);
  const r = await ctx.exec(`for p in ${bare.map(shQuote).join(' ')}; do printf '%s ' "$p"; dpkg-query -W -f='\${Status} \${Version}\\n' "$p" 2>/dev/null | grep '^install ok installed' || echo none; done`);
  const out = new Map<string, string | undefined>();
  for (const line of lines(r.stdout)) {
    const [name, ...rest] = line.split(' ');
    out.set(name, rest[0] === 'install' ? rest[rest.length - 1] : undefined);
  }
  return out;
}

async function aptUpdate(ctx: ModuleContext): Promise<{ updated: boolean; error?: string }> {
  const stamp = `s() { stat -c %Y /var/lib/apt/periodic/update-success-stamp 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null; }`;
  const cvt = Number(ctx.args.cache_valid_time ?? 0);
  const r = await ctx.exec(`${stamp}; b=$(s); now=$(date +%s); if [ ${cvt} -gt 0 ] && [ -n "$b" ] && [ $((now - b)) -lt ${cvt} ]; then echo FRESH; exit 0; fi; ${ctx.check ? 'echo UPDATED; exit 0' : `${APT_ENV} apt-get update -q >/dev/null || exit 1; touch /var/lib/apt/lists 2>/dev/null; a=$(s); [ "$a" != "$b" ] && echo UPDATED; exit 0`}`);
  if (r.rc !== 0) return { updated: false, error: `Failed to update apt cache: ${r.stderr.trim() || 'unknown reason'}` };
  return { updated: r.stdout.includes('UPDATED') };
}

export const aptModule: ModuleFn = async (ctx) => {
  const pkgs = names(ctx.args.name ?? ctx.args.pkg ?? ctx.args.package);
  const state = str(ctx.args.state, 'present');
  let cacheUpdated = false;
  if (bool(ctx.args.update_cache)) {
    const u = await aptUpdate(ctx);
    if (u.error) return { failed: true, msg: u.error };
    cacheUpdated = u.updated;
    if (pkgs.length === 0 && !ctx.args.upgrade) return { changed: cacheUpdated, cache_updated: cacheUpdated };
  }
  if (pkgs.length === 0) return { failed: true, msg: 'no package name given' };
  const installed = await aptInstalled(ctx, pkgs);
  const recommends = ctx.args.install_recommends === undefined ? '' : bool(ctx.args.install_recommends) ? ' --install-recommends' : ' --no-install-recommends';
  let todo: string[];
  let cmd: string;
  if (state === 'absent' || state === 'removed') {
    todo = pkgs.filter((p) => installed.get(p.split('=')[0]) !== undefined);
    cmd = `${APT_ENV} apt-get remove -y -q${bool(ctx.args.purge) ? ' --purge' : ''}${bool(ctx.args.autoremove) ? ' --auto-remove' : ''} ${todo.map(shQuote).join(' ')}`;
  } else if (state === 'latest') {
    const sim = await ctx.exec(`${APT_ENV} apt-get install -s -q ${pkgs.map(shQuote).join(' ')}`);
    todo = pkgs.filter((p) => installed.get(p) === undefined || new RegExp(`^Inst ${p.replace(/[.+]/g, '\\$&')} `, 'm').test(sim.stdout));
    cmd = `${APT_ENV} apt-get install -y -q${recommends} ${todo.map(shQuote).join(' ')}`;
  } else {
    todo = pkgs.filter((p) => {
      const [n, v] = p.split('=');
      const cur = installed.get(n);
      return cur === undefined || (v !== undefined && !cur.startsWith(v.replace(/\*$/, '')));
    });
    cmd = `${APT_ENV} apt-get install -y -q${recommends} ${todo.map(shQuote).join(' ')}`;
  }
  if (todo.length === 0) return { changed: false, cache_updated: cacheUpdated };
  if (ctx.check) return { changed: true, cache_updated: cacheUpdated };
  const r = await ctx.exec(cmd);
  const res: ModuleResult = { changed: r.rc === 0, cache_updated: cacheUpdated, stdout: r.stdout, stderr: r.stderr, stdout_lines: lines(r.stdout), stderr_lines: lines(r.stderr) };
  if (r.rc !== 0) return { ...res, failed: true, rc: r.rc, msg: `'${cmd.replace(APT_ENV + ' ', '')}' failed: ${r.stderr.trim()}` };
  return res;
};

export const dnfModule: ModuleFn = async (ctx) => {
  const pkgs = names(ctx.args.name ?? ctx.args.pkg);
  const state = str(ctx.args.state, 'present');
  const tool = '$(command -v dnf || command -v yum)';
  if (pkgs.length === 0) {
    if (bool(ctx.args.update_cache)) {
      if (!ctx.check) await ctx.exec(`${tool} -q makecache`);
      return { changed: false };
    }
    return { failed: true, msg: 'no package name given' };
  }
  const q = await ctx.exec(`for p in ${pkgs.map(shQuote).join(' ')}; do rpm -q --whatprovides "$p" >/dev/null 2>&1 && echo "$p yes" || echo "$p no"; done`);
  const have = new Set(lines(q.stdout).filter((l) => l.endsWith(' yes')).map((l) => l.slice(0, -4)));
  let todo: string[];
  let cmd: string;
  if (state === 'absent' || state === 'removed') {
    todo = pkgs.filter((p) => have.has(p));
    cmd = `${tool} -y -q remove ${todo.map(shQuote).join(' ')}`;
  } else if (state === 'latest') {
    const u = await ctx.exec(`${tool} -q check-update ${pkgs.map(shQuote).join(' ')}`);
    todo = pkgs.filter((p) => !have.has(p) || u.rc === 100);
    cmd = `${tool} -y -q install ${todo.map(shQuote).join(' ')} && ${tool} -y -q upgrade ${todo.map(shQuote).join(' ')}`;
  } else {
    todo = pkgs.filter((p) => !have.has(p));
    cmd = `${tool} -y -q install ${todo.map(shQuote).join(' ')}`;
  }
  if (todo.length === 0) return { changed: false, msg: 'Nothing to do', rc: 0, results: [] };
  if (ctx.check) return { changed: true };
  const r = await ctx.exec(cmd);
  if (r.rc !== 0) return { failed: true, changed: false, rc: r.rc, msg: r.stderr.trim(), results: [] };
  return { changed: true, rc: 0, msg: '', results: todo.map((p) => `Installed: ${p}`) };
};

export const packageModule: ModuleFn = async (ctx) => {
  let mgr = str(ctx.args.use, 'auto');
  if (mgr === 'auto') mgr = str(ctx.facts.pkg_mgr, '');
  if (!mgr || mgr === 'unknown') {
    const r = await ctx.exec('command -v apt-get >/dev/null && echo apt || { command -v dnf >/dev/null && echo dnf; } || { command -v yum >/dev/null && echo yum; }');
    mgr = r.stdout.trim();
  }
  if (mgr === 'apt') return aptModule(ctx);
  if (mgr === 'dnf' || mgr === 'yum') return dnfModule(ctx);
  return { failed: true, msg: `package: unsupported package manager '${mgr || 'none found'}'` };
};
