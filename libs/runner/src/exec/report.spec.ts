import { describe, expect, it } from 'vitest';
import { emptyStats } from './events';
import { exitCode, formatEvent, formatRecap } from './report';

describe('recap', () => {
  it('prints the PLAY RECAP as ansible-playbook does', () => {
    const recap = { web1: { ...emptyStats(), ok: 12, changed: 3, skipped: 1 }, db: { ...emptyStats(), unreachable: 1 } };
    expect(formatRecap(recap)).toBe(
      [
        'PLAY RECAP *********************************************************************',
        'db                         : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0   ',
        'web1                       : ok=12   changed=3    unreachable=0    failed=0    skipped=1    rescued=0    ignored=0   ',
        '',
      ].join('\n'),
    );
  });

  it('exits 4 for unreachable hosts before 2 for failed ones', () => {
    expect(exitCode({ a: emptyStats() })).toBe(0);
    expect(exitCode({ a: { ...emptyStats(), failed: 1 } })).toBe(2);
    expect(exitCode({ a: { ...emptyStats(), failed: 1 }, b: { ...emptyStats(), unreachable: 1 } })).toBe(4);
    expect(exitCode({ a: { ...emptyStats(), ignored: 1, rescued: 1 } })).toBe(0);
  });

  it('prints task banners once and per-host lines', () => {
    const last = {};
    const base = { play: 'p', task: 'install', host: 'h1', module: 'apt', handler: false };
    expect(formatEvent({ ...base, type: 'task_start', at: 0 }, last)).toBe(`\nTASK [install] ${'*'.repeat(65)}\n`);
    expect(formatEvent({ ...base, host: 'h2', type: 'task_start', at: 0 }, last)).toBe('');
    const end = { ...base, type: 'task_end' as const, changed: false, ignored: true, rescued: false, durationMs: 1, result: { failed: true, msg: 'x' } };
    expect(formatEvent({ ...end, status: 'failed' }, last)).toBe('fatal: [h1]: FAILED! => {"failed":true,"msg":"x"}\n...ignoring\n');
    expect(formatEvent({ ...end, ignored: false, status: 'skipped' }, last)).toBe('skipping: [h1]\n');
  });
});
