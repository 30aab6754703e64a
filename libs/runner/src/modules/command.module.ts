// command, shell, raw, script: run a command; always `changed` unless creates/removes say not.
import { readFileSync } from 'node:fs';
import { shQuote, shSplit } from '../ssh/shell-quote';
import type { ExecResult } from '../ssh/target';
import { bool, lines, str, type ModuleContext, type ModuleFn, type ModuleResult } from './types';

function commandResult(cmd: unknown, r: ExecResult, start: Date, strip = true): ModuleResult {
  const end = new Date();
  const stdout = strip ? r.stdout.replace(/\n+$/, '') : r.stdout;
  const stderr = strip ? r.stderr.replace(/\n+$/, '') : r.stderr;
  const delta = end.getTime() - start.getTime();
  const res: ModuleResult = {
    changed: true,
    cmd,
    rc: r.rc,
    stdout,
    stderr,
    stdout_lines: lines(stdout),
    stderr_lines: lines(stderr),
    start: fmtDate(start),
    end: fmtDate(end),
    delta: `0:00:${(delta / 1000).toFixed(6).padStart(9, '0')}`,
    msg: '',
  };
  if (r.timedOut) {
    res.failed = true;
    res.msg = 'command timed out';
  } else if (r.rc !== 0) {
    res.failed = true;
    res.msg = 'non-zero return code';
  }
  return res;
}

function fmtDate(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '000');
}

/** creates/removes: returns a result when the command must not run ("Would not" under --check, as Ansible words it). */
async function guard(ctx: ModuleContext): Promise<ModuleResult | undefined> {
  const { creates, removes } = ctx.args;
  const exists = async (p: string) => (await ctx.exec(`for f in ${p.replace(/[;&|`$()<>]/g, '')}; do [ -e "$f" ] && exit 0; done; exit 1`)).rc === 0;
  const verb = ctx.check ? 'Would' : 'Did';
  if (creates !== undefined && (await exists(str(creates)))) {
    return { changed: false, rc: 0, stdout: `skipped, since ${str(creates)} exists`, stdout_lines: [`skipped, since ${str(creates)} exists`], stderr: '', stderr_lines: [], cmd: ctx.args._raw_params ?? ctx.args.cmd, msg: `${verb} not run command since '${str(creates)}' exists` };
  }
  if (removes !== undefined && !(await exists(str(removes)))) {
    return { changed: false, rc: 0, stdout: `skipped, since ${str(removes)} does not exist`, stdout_lines: [`skipped, since ${str(removes)} does not exist`], stderr: '', stderr_lines: [], cmd: ctx.args._raw_params ?? ctx.args.cmd, msg: `${verb} not run command since '${str(removes)}' does not exist` };
  }
  return undefined;
}

function withChdir(ctx: ModuleContext, cmd: string): string {
  return ctx.args.chdir ? `cd ${shQuote(str(ctx.args.chdir))} && ${cmd}` : cmd;
}

function stdinOf(ctx: ModuleContext): string | undefined {
  if (ctx.args.stdin === undefined) return undefined;
  return str(ctx.args.stdin) + (bool(ctx.args.stdin_add_newline, true) ? '\n' : '');
}

const CHECK_SKIP: ModuleResult = { changed: false, skipped: true, msg: 'Command would have run if not in check mode' };

/**
 * command/shell under --check: with creates/removes the guard above has decided, so the command
 * would run and the task reports `changed`; without them Ansible cannot tell and skips the task.
 */
function checkResult(ctx: ModuleContext, cmd: unknown): ModuleResult {
  if (ctx.args.creates === undefined && ctx.args.removes === undefined) return { ...CHECK_SKIP };
  return { changed: true, cmd, rc: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], start: null, end: null, delta: null, msg: 'Command would have run if not in check mode' };
}

export const commandModule: ModuleFn = async (ctx) => {
  let argv: string[];
  if (Array.isArray(ctx.args.argv)) argv = ctx.args.argv.map((a) => str(a));
  else argv = shSplit(str(ctx.args.cmd ?? ctx.args._raw_params));
  if (argv.length === 0) return { failed: true, msg: 'no command given', rc: 256 };
  const skip = await guard(ctx);
  if (skip) return skip;
  if (ctx.check) return checkResult(ctx, argv);
  const start = new Date();
  const r = await ctx.exec(withChdir(ctx, argv.map(shQuote).join(' ')), stdinOf(ctx));
  return commandResult(ctx.args.argv ? argv : argv, r, start, bool(ctx.args.strip_empty_ends, true));
};

export const shellModule: ModuleFn = async (ctx) => {
  const cmd = str(ctx.args.cmd ?? ctx.args._raw_params);
  if (!cmd.trim()) return { failed: true, msg: 'no command given', rc: 256 };
  const skip = await guard(ctx);
  if (skip) return skip;
  if (ctx.check) return checkResult(ctx, cmd);
  const start = new Date();
  const exe = ctx.args.executable ? str(ctx.args.executable) : '/bin/sh';
  const r = await ctx.exec(withChdir(ctx, `${shQuote(exe)} -c ${shQuote(cmd)}`), stdinOf(ctx));
  return commandResult(cmd, r, start, bool(ctx.args.strip_empty_ends, true));
};

export const rawModule: ModuleFn = async (ctx) => {
  if (ctx.check) return { ...CHECK_SKIP };
  const cmd = str(ctx.args._raw_params ?? ctx.args.cmd);
  const start = new Date();
  const r = await ctx.exec(ctx.args.executable ? `${shQuote(str(ctx.args.executable))} -c ${shQuote(cmd)}` : cmd, undefined, { pty: true });
  const res = commandResult(cmd, r, start, false);
  delete res.cmd;
  delete res.start;
  delete res.end;
  delete res.delta;
  delete res.msg;
  if (res.failed) res.msg = 'non-zero return code';
  return res;
};

export const scriptModule: ModuleFn = async (ctx) => {
  const raw = str(ctx.args.cmd ?? ctx.args._raw_params);
  const [script, ...params] = shSplit(raw);
  if (!script) return { failed: true, msg: 'script: no script given' };
  // Unlike command/shell (an ok result), the script action skips the task on creates/removes.
  const skip = await guard(ctx);
  if (skip) {
    const msg = String(skip.msg).endsWith("' exists") ? `${str(ctx.args.creates)} exists, matching creates option` : `${str(ctx.args.removes)} does not exist, matching removes option`;
    return { changed: false, skipped: true, msg };
  }
  // Ansible's script action: with creates/removes it reports the change it would make.
  if (ctx.check) return ctx.args.creates || ctx.args.removes ? { changed: true } : { changed: false, skipped: true, msg: 'Check mode is not supported for this task.' };
  const local = ctx.findFile('files', script);
  const body = readFileSync(local);
  const exe = ctx.args.executable ? `${shQuote(str(ctx.args.executable))} ` : '';
  // Uploaded first, then run under a terminal as Ansible runs it (its output ends lines in CRLF).
  const up = await ctx.exec('t=$(mktemp) || exit 1; cat > "$t" && chmod 700 "$t" && echo "$t"', body);
  if (up.rc !== 0) return { failed: true, changed: false, msg: `script: cannot upload ${script}: ${up.stderr.trim()}` };
  const remote = shQuote(up.stdout.trim());
  const cmd = `${withChdir(ctx, `${exe}${remote} ${params.map(shQuote).join(' ')}`)}; rc=$?; rm -f ${remote}; exit $rc`;
  const start = new Date();
  const r = await ctx.exec(cmd, undefined, { pty: true });
  const res = commandResult(raw, r, start, false);
  delete res.cmd;
  delete res.start;
  delete res.end;
  delete res.delta;
  return res;
};
