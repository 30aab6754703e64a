import { OpenStackConnectionError, OpenStackHttpError } from '@lib/openstack';
import { PlaybookError, SshError } from '@lib/runner';
import { describe, expect, it } from 'vitest';
import { CloudOperationError } from '../errors';
import { classifyFailure, permanent } from './failure';

const http = (status: number, code: 'quota_exceeded' | 'server_error') =>
  new OpenStackHttpError(code, { status, providerMessage: 'm', method: 'POST', service: 'compute', path: '/servers' });

describe('classifyFailure', () => {
  it('keeps the OpenStack client decision, through the adapter wrapper too', () => {
    expect(classifyFailure(http(403, 'quota_exceeded'))).toMatchObject({ code: 'openstack_quota_exceeded', retryable: false });
    expect(classifyFailure(http(503, 'server_error'))).toMatchObject({ code: 'openstack_server_error', retryable: true });
    const wrapped = new CloudOperationError('create server: quota', true, 403, { cause: http(403, 'quota_exceeded') });
    expect(classifyFailure(wrapped)).toEqual({ code: 'openstack_quota_exceeded', retryable: false, message: 'create server: quota' });
    expect(classifyFailure(new OpenStackConnectionError('compute', 'GET', '/servers', 'ECONNRESET'))).toMatchObject({ retryable: true });
  });

  it("keeps the runner's decision: a refused connection retries, a refused key or a bad playbook does not", () => {
    expect(classifyFailure(new SshError('ssh_connect_failed', 'cannot connect', true))).toMatchObject({ code: 'runner_ssh_connect_failed', retryable: true });
    expect(classifyFailure(new SshError('ssh_auth_failed', 'authentication failed'))).toMatchObject({ code: 'runner_ssh_auth_failed', retryable: false });
    expect(classifyFailure(new PlaybookError('no such file'))).toMatchObject({ code: 'runner_playbook_invalid', retryable: false });
  });

  it('treats a stop on purpose as work to resume, the engine own failures as raised, the unknown as retryable', () => {
    expect(classifyFailure(new SshError('aborted', 'aborted'))).toMatchObject({ code: 'aborted', retryable: true });
    expect(classifyFailure(permanent('no_fitting_flavor', 'none fits'))).toEqual({ code: 'no_fitting_flavor', retryable: false, message: 'none fits' });
    expect(classifyFailure(new Error('connection terminated'))).toEqual({ code: 'internal', retryable: true, message: 'connection terminated' });
  });
});
