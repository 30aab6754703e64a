import { describe, expect, it } from 'vitest';
import { criticalPathLength, readySteps, workflowState, type StepState } from './scheduler';

const s = (stepId: string, dependsOn: string[], status: StepState['status'] = 'pending'): StepState => ({ stepId, dependsOn, status });

describe('readySteps', () => {
  it('starts a step as soon as its own dependencies are done, not its level', () => {
    // a → c, b(slow) → d: c is ready while b still runs, d is not.
    const steps = [s('a', [], 'done'), s('b', [], 'running'), s('c', ['a']), s('d', ['b']), s('e', ['a', 'b'])];
    expect(readySteps(steps)).toEqual(['c']);
  });
  it('never returns a step that is already queued, running or done', () => {
    expect(readySteps([s('a', [], 'queued'), s('b', [], 'done'), s('c', [])])).toEqual(['c']);
  });
});

describe('workflowState', () => {
  it('is failed at the first failed step, done when all are done', () => {
    expect(workflowState([s('a', [], 'done'), s('b', [], 'failed'), s('c', [])])).toBe('failed');
    expect(workflowState([s('a', [], 'done'), s('b', [], 'done')])).toBe('done');
    expect(workflowState([s('a', [], 'done'), s('b', [], 'running')])).toBe('running');
  });
});

describe('criticalPathLength', () => {
  it('counts the longest chain and refuses a cycle', () => {
    expect(criticalPathLength([s('a', []), s('b', ['a']), s('c', ['b']), s('d', ['a'])])).toBe(3);
    expect(() => criticalPathLength([s('a', ['b']), s('b', ['a'])])).toThrow(/cycle/);
  });
});
