import { describe, expect, it } from 'vitest';
import { JOB_NAMES } from '../jobs';
import { jobIds, jobOptions } from './job-policy';

describe('jobOptions', () => {
  const timings = { stepAttempts: 5, backoffMs: 1000 };
  it('retries every workflow job with the engine timings, and runs an action once', () => {
    for (const name of JOB_NAMES.filter((n) => n !== 'resource.action')) {
      expect(jobOptions(name, 'id', timings)).toEqual({ jobId: 'id', attempts: 5, backoffMs: 1000 });
    }
    expect(jobOptions('resource.action', jobIds.action('d', 'r', 'n'), timings)).toEqual({ jobId: 'action:d:r:n', attempts: 1 });
  });
  it('asks for a finished job to run again only when told (the reconciler)', () => {
    expect(jobOptions('deployment.start', jobIds.start('d', 2), timings, true)).toMatchObject({ jobId: 'start:d:2', replaceFinished: true });
  });
});
