// Builds the one-line remote command: environment, privilege escalation, and a first stderr
// line with the process id so that an abort or a time-out can kill the whole process group
// (sshd makes the session's shell a process-group leader with setsid()).
import { shQuote } from './shell-quote';
import type { ExecOptions } from './target';

export const PID_MARK = '@@BATON_PID=';

export function wrapCommand(command: string, options: ExecOptions): string {
  let inner = command;
  const env = Object.entries(options.env ?? {});
  if (env.length > 0) {
    inner = env.map(([k, v]) => `export ${k}=${shQuote(String(v))}; `).join('') + inner;
  }
  if (options.become) {
    const user = options.becomeUser ?? 'root';
    const sudo = options.becomePassword !== undefined ? "sudo -S -p ''" : 'sudo -n';
    inner = `${sudo} -H -u ${shQuote(user)} /bin/sh -c ${shQuote(inner)}`;
  }
  return `printf '${PID_MARK}%s\\n' $$ >&2; exec /bin/sh -c ${shQuote(inner)}`;
}

/** Splits the pid line off the start of stderr. */
export function takePid(stderr: string): { pid?: number; rest: string } {
  // Login scripts may print to stderr before the mark.
  const at = stderr.indexOf(PID_MARK);
  if (at < 0) return { rest: stderr };
  const nl = stderr.indexOf('\n', at);
  if (nl < 0) return { rest: stderr };
  return { pid: parseInt(stderr.slice(at + PID_MARK.length, nl), 10), rest: stderr.slice(0, at) + stderr.slice(nl + 1) };
}
