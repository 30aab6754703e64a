// Ansible's default stdout format: task banners, per-host status lines and the PLAY RECAP.
import type { HostStats, RunnerEvent } from './events';

function banner(title: string): string {
  return `${title} ${'*'.repeat(Math.max(3, 79 - title.length))}`;
}

/** The PLAY RECAP block, byte for byte as ansible-playbook prints it without colour. */
export function formatRecap(recap: Record<string, HostStats>): string {
  const cell = (k: string, n: number) => `${k}=${String(n).padEnd(4)}`;
  const rows = Object.keys(recap)
    .sort()
    .map((h) => {
      const s = recap[h];
      return `${h.padEnd(26)} : ${[cell('ok', s.ok), cell('changed', s.changed), cell('unreachable', s.unreachable), cell('failed', s.failed), cell('skipped', s.skipped), cell('rescued', s.rescued), cell('ignored', s.ignored)].join(' ')}`;
    });
  return [banner('PLAY RECAP'), ...rows, ''].join('\n');
}

/** ansible-playbook's exit code: 4 when a host was unreachable, 2 when one failed, else 0. */
export function exitCode(recap: Record<string, HostStats>): 0 | 2 | 4 {
  const all = Object.values(recap);
  if (all.some((s) => s.unreachable > 0)) return 4;
  if (all.some((s) => s.failed > 0)) return 2;
  return 0;
}

/** One event as ansible-playbook's default callback would print it ('' for none). */
export function formatEvent(e: RunnerEvent, lastTask: { title?: string }): string {
  switch (e.type) {
    case 'play_start':
      return `\n${banner(`PLAY [${e.play}]`)}\n`;
    case 'task_start': {
      const title = `${e.handler ? 'RUNNING HANDLER' : 'TASK'} [${e.task}]`;
      if (lastTask.title === title) return '';
      lastTask.title = title;
      return `\n${banner(title)}\n`;
    }
    case 'task_end': {
      const item = '';
      if (e.status === 'failed' || e.status === 'unreachable') {
        const word = e.status === 'unreachable' ? 'UNREACHABLE!' : 'FAILED!';
        const line = `fatal: [${e.host}]: ${word} => ${JSON.stringify(e.result)}`;
        return e.ignored ? `${line}\n...ignoring\n` : `${line}\n`;
      }
      const word = e.status === 'skipped' ? 'skipping' : e.status;
      const msg = e.module === 'debug' ? ` => ${JSON.stringify(Object.fromEntries(Object.entries(e.result).filter(([k]) => k !== 'changed' && k !== 'failed')), null, 4)}` : '';
      return `${word}: [${e.host}]${item}${msg}\n`;
    }
    case 'play_end':
      return '';
    case 'recap':
      return `\n${formatRecap(e.recap)}`;
  }
}
