// `delegate_to: localhost`: the same command interface, run with /bin/sh on the controller.
import { spawn } from 'node:child_process';
import { SshError } from '../errors';
import type { CommandTarget, ExecOptions, ExecResult } from './target';
import { takePid, wrapCommand } from './wrap-command';

export class LocalTarget implements CommandTarget {
  readonly name = 'localhost';

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', wrapCommand(command, options)], { detached: true, stdio: 'pipe' });
      const out: Buffer[] = [];
      const errs: Buffer[] = [];
      let timedOut = false;
      let aborted = false;
      const kill = () => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      const timer = options.timeoutMs ? setTimeout(() => ((timedOut = true), kill()), options.timeoutMs) : undefined;
      const onAbort = () => ((aborted = true), kill());
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => errs.push(d));
      child.on('error', (e) => reject(new SshError('ssh_connect_failed', `localhost: ${e.message}`, false, { cause: e })));
      child.on('close', (code) => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (aborted) return reject(new SshError('aborted', 'localhost: command aborted'));
        resolve({ rc: timedOut ? -1 : (code ?? -1), stdout: Buffer.concat(out).toString(), stderr: takePid(Buffer.concat(errs).toString()).rest, timedOut });
      });
      child.stdin.on('error', () => undefined);
      if (options.becomePassword !== undefined) child.stdin.write(`${options.becomePassword}\n`);
      child.stdin.end(options.stdin ?? '');
    });
  }

  async close(): Promise<void> {}
}
