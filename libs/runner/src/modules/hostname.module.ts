// hostname (ansible/modules/hostname.py): where systemd runs, hostnamectl sets the static then the
// transient name; on Debian-family hosts without systemd only /etc/hostname is written (its
// FileStrategy, whose current name is the permanent one). Other strategies are not implemented.
import { shQuote } from '../ssh/shell-quote';
import { str, type ModuleFn } from './types';

// Distributions whose Hostname class uses FileStrategy (Debian family).
const FILE_STRATEGY = new Set(['debian', 'ubuntu', 'kali', 'parrot', 'linuxmint', 'linaro', 'devuan', 'raspbian', 'uos', 'deepin', 'neon', 'pop', 'kylin', 'cumulus-linux']);

export const hostnameModule: ModuleFn = async (ctx) => {
  const name = str(ctx.args.name);
  if (!name) return { failed: true, msg: 'missing required arguments: name' };
  const use = ctx.args.use === undefined ? undefined : str(ctx.args.use);
  if (use !== undefined && use !== 'systemd' && use !== 'debian') return { failed: true, msg: `hostname: strategy '${use}' is not supported by this runner` };
  const probe = await ctx.exec(
    `if command -v systemctl >/dev/null && { [ -e /run/systemd/system/ ] || [ -e /dev/.run/systemd/ ] || [ -e /dev/.systemd/ ]; }; then echo systemd; else . /etc/os-release 2>/dev/null; echo "file $ID"; fi
if command -v hostnamectl >/dev/null && [ -e /run/systemd/system/ ]; then hostnamectl --transient status 2>/dev/null || hostname; hostnamectl --static status 2>/dev/null || echo; else hostname; cat /etc/hostname 2>/dev/null || echo; fi`,
  );
  const [strategyLine, transient = '', permanentRaw = ''] = probe.stdout.split('\n');
  const systemd = use !== undefined ? true : strategyLine.trim() === 'systemd';
  const distro = strategyLine.trim().split(' ')[1] ?? '';
  if (!systemd && !FILE_STRATEGY.has(distro)) return { failed: true, msg: `hostname module cannot be used on platform Linux (${distro || 'unknown'})` };
  const permanent = permanentRaw.trim();
  // FileStrategy: the current name is read from /etc/hostname too.
  const current = systemd ? transient.trim() : permanent;
  const changed = current !== name || permanent !== name;
  if (changed && !ctx.check) {
    const n = shQuote(name);
    const cmd = systemd
      ? `${permanent !== name ? `hostnamectl --pretty --static set-hostname ${n} || exit 1; ` : ''}${current !== name ? `hostnamectl --transient set-hostname ${n}` : 'true'}`
      : `printf '%s\\n' ${n} > /etc/hostname`;
    const r = await ctx.exec(cmd);
    if (r.rc !== 0) return { failed: true, changed: false, msg: `Command failed rc=${r.rc}, out=${r.stdout}, err=${r.stderr}` };
  }
  const fqdn = (await ctx.exec('hostname -f 2>/dev/null || hostname')).stdout.trim();
  return {
    changed,
    name,
    ansible_facts: { ansible_hostname: name.split('.')[0], ansible_nodename: name, ansible_fqdn: fqdn, ansible_domain: fqdn.split('.').slice(1).join('.') },
    ...(changed ? { diff: { before: `hostname = ${current !== name ? current : permanent}\n`, after: `hostname = ${name}\n` } } : {}),
  };
};
