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
    if (pkgs.length === 0 && !ctx.args.upgrade && !ctx.args.deb) return { changed: cacheUpdated, cache_updated: cacheUpdated };
  }
  if (ctx.args.deb !== undefined && ctx.args.deb !== null) {
    if (pkgs.length) return { failed: true, msg: 'parameters are mutually exclusive: deb|package|upgrade' };
    if (state !== 'present') return { failed: true, msg: 'deb only supports state=present' };
    return aptDeb(ctx, str(ctx.args.deb));
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

/**
 * apt `deb=` (apt.py install_deb): each .deb (downloaded on the host first when a URL) whose
 * version is not the installed one; its missing dependencies installed with apt-get, then
 * `dpkg -i` with the module's default dpkg options.
 */
async function aptDeb(ctx: ModuleContext, debs: string): Promise<ModuleResult> {
  const files: string[] = [];
  for (const d of debs.split(',')) {
    if (!d.includes('://')) {
      files.push(d);
      continue;
    }
    const r = await ctx.exec(`t=$(mktemp -d) && f="$t/$(basename ${shQuote(d.replace(/[?#].*$/, ''))})" && { curl -fsSL -o "$f" ${shQuote(d)} 2>&1 || wget -q -O "$f" ${shQuote(d)} 2>&1; } && echo "$f"`);
    if (r.rc !== 0) return { failed: true, msg: `Failure downloading ${d}, ${r.stdout.trim() || r.stderr.trim()}` };
    files.push(lines(r.stdout).pop() ?? '');
  }
  const force = bool(ctx.args.force);
  const downgrade = bool(ctx.args.allow_downgrade);
  // Per file: "name|version|installed version|missing dependencies (first alternative each)".
  const probe = await ctx.exec(
    `for f in ${files.map(shQuote).join(' ')}; do [ -f "$f" ] || { echo "MISSING|$f"; continue; }
n=$(dpkg-deb -f "$f" Package) || { echo "BAD|$f"; continue; }; v=$(dpkg-deb -f "$f" Version); i=$(dpkg-query -W -f='\${Status} \${Version}' "$n" 2>/dev/null | grep '^install ok installed' | cut -d' ' -f4)
m=; for dep in $(dpkg-deb -f "$f" Depends Pre-Depends | sed 's/^[A-Za-z-]*: *//' | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/:any//' | tr -d ' '); do dpkg-query -W -f='\${Status}' "$dep" 2>/dev/null | grep -q 'install ok installed' || m="$m $dep"; done
later=0; [ -n "$i" ] && dpkg --compare-versions "$v" lt "$i" && later=1
echo "DEB|$f|$n|$v|$i|$later|$m"; done`,
  );
  const install: string[] = [];
  const deps: string[] = [];
  for (const line of lines(probe.stdout)) {
    const [tag, f, , version, installed, later, missing] = line.split('|');
    if (tag === 'MISSING' || tag === 'BAD') return { failed: true, msg: `Unable to install package: E:Could not open file ${f} - open (2: No such file or directory)` };
    if (installed && installed === version) continue;
    if (later === '1' && !force && !downgrade) return { failed: true, msg: 'A later version is already installed' };
    deps.push(...missing.trim().split(/\s+/).filter(Boolean));
    install.push(f);
  }
  let changed = false;
  let stdout = '';
  let stderr = '';
  if (deps.length) {
    const cmd = `${APT_ENV} apt-get install -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ${[...new Set(deps)].map(shQuote).join(' ')}`;
    if (!ctx.check) {
      const r = await ctx.exec(cmd);
      if (r.rc !== 0) return { failed: true, msg: `'${cmd.replace(APT_ENV + ' ', '')}' failed: ${r.stderr.trim()}`, stdout: r.stdout, stderr: r.stderr };
      stdout = r.stdout;
      stderr = r.stderr;
    }
    changed = true;
  }
  if (install.length === 0) return { changed, stdout, stderr };
  const cmd = `dpkg --force-confdef --force-confold${ctx.check ? ' --simulate' : ''}${force ? ' --force-all' : ''} -i ${install.map(shQuote).join(' ')}`;
  const r = await ctx.exec(`${APT_ENV} ${cmd}`);
  if (r.rc !== 0) return { failed: true, msg: `${cmd} failed`, stdout: stdout + r.stdout, stderr: stderr + r.stderr };
  return { changed: true, stdout: stdout + r.stdout, stderr: stderr + r.stderr };
}

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
