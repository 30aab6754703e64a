// service and systemd: systemctl where systemd runs, else the sysv `service` command and
// update-rc.d (what Ansible's service module falls back to).
import { shQuote } from '../ssh/shell-quote';
import { bool, str, type ModuleContext, type ModuleFn, type ModuleResult } from './types';

export const serviceModule: ModuleFn = (ctx) => manage(ctx, false);

/** systemd: as Ansible's, it needs systemctl and fails where there is none (no sysv fallback). */
export const systemdModule: ModuleFn = (ctx) => manage(ctx, true);

async function manage(ctx: ModuleContext, systemdOnly: boolean): Promise<ModuleResult> {
  const name = str(ctx.args.name ?? ctx.args.unit);
  const state = ctx.args.state === undefined ? undefined : str(ctx.args.state);
  const enabled = ctx.args.enabled === undefined ? undefined : bool(ctx.args.enabled);
  const reload = bool(ctx.args.daemon_reload) || bool(ctx.args.daemon_reexec);
  if (!name && !reload) return { failed: true, msg: 'name is required' };
  const n = shQuote(name);
  const probe = await ctx.exec(`${systemdOnly ? 'command -v systemctl >/dev/null || { echo NOSYSTEMCTL; exit 0; }; ' : ''}if [ -d /run/systemd/system ]; then echo SYSTEMD; ${reload && !ctx.check ? 'systemctl daemon-reload >/dev/null 2>&1;' : ''} ${name ? `systemctl is-active ${n} 2>/dev/null; systemctl is-enabled ${n} 2>/dev/null || echo unknown` : ''}; else echo SYSV; ${name ? `service ${n} status >/dev/null 2>&1 && echo active || echo inactive; ls /etc/rc[2345].d/S??${name} >/dev/null 2>&1 && echo enabled || echo disabled` : ''}; fi`);
  const [mgr, active, en] = probe.stdout.trim().split('\n').map((s) => s.trim());
  if (mgr === 'NOSYSTEMCTL') return { failed: true, changed: false, msg: 'Failed to find required executable "systemctl"' };
  if (systemdOnly && mgr !== 'SYSTEMD') return { failed: true, changed: false, msg: 'System has not been booted with systemd as init system (PID 1). Can\'t operate.' };
  if (!name) return { changed: false, name };
  const systemd = mgr === 'SYSTEMD';
  const running = active === 'active';
  const isEnabled = en === 'enabled' || en === 'static' || en === 'alias';
  const cmds: string[] = [];
  let changed = false;
  const verb = (v: string) => (systemd ? `systemctl ${v} ${n}` : `service ${n} ${v}`);
  if (state === 'started' && !running) cmds.push(verb('start'));
  if (state === 'stopped' && running) cmds.push(verb('stop'));
  if (state === 'restarted') cmds.push(verb(systemd || running ? 'restart' : 'start'));
  if (state === 'reloaded') cmds.push(verb(running ? 'reload' : 'start'));
  if (enabled !== undefined && enabled !== isEnabled) {
    cmds.push(systemd ? `systemctl ${enabled ? 'enable' : 'disable'} ${n}` : enabled ? `update-rc.d ${n} defaults && update-rc.d ${n} enable` : `update-rc.d ${n} disable`);
  }
  changed = cmds.length > 0;
  const finalState = state === 'stopped' ? 'stopped' : state ? 'started' : running ? 'started' : 'stopped';
  const res = { changed, name, state: finalState, ...(enabled !== undefined ? { enabled } : {}) };
  if (!changed || ctx.check) return res;
  const r = await ctx.exec(cmds.join(' && '));
  if (r.rc !== 0) return { failed: true, changed: false, name, msg: `Unable to ${state ?? 'change'} service ${name}: ${(r.stderr || r.stdout).trim()}` };
  return res;
}
