import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '@lib/orchestrator';
import { formatInstant } from './common.dto';
import { parseBooleanish, parseDeploymentRequest, parseExcludedStatus, parseResetRequest, toDeploymentDto } from './deployment.dto';

describe('formatInstant', () => {
  it("renders yyyy-MM-dd'T'HH:mmZ in UTC, as orchent slices it by position", () => {
    const text = formatInstant(new Date('2024-03-01T09:56:59.999+02:00'));
    expect(text).toBe('2024-03-01T07:56+0000');
    expect([text.slice(0, 4), text.slice(5, 7), text.slice(8, 10), text.slice(11, 13), text.slice(14, 16)]).toEqual(['2024', '03', '01', '07', '56']);
  });
});

describe('parseDeploymentRequest', () => {
  it('accepts the strings orchent and the dashboard send', () => {
    const parsed = parseDeploymentRequest({
      template: 't',
      parameters: { num_cpus: '2' },
      keepLastAttempt: 'true',
      maxProvidersRetry: '2',
      timeoutMins: '720',
      providerTimeoutMins: 360,
      callback: 'https://dash/callback',
      userGroup: 'g',
      unknownField: 'ignored',
    });
    expect(parsed).toEqual({
      template: 't',
      parameters: { num_cpus: '2' },
      keepLastAttempt: true,
      maxProvidersRetry: 2,
      timeoutMins: 720,
      providerTimeoutMins: 360,
      callback: 'https://dash/callback',
      userGroup: 'g',
    });
  });

  it('refuses what the reference refuses, with its wording', () => {
    expect(() => parseDeploymentRequest({ parameters: {} })).toThrow('A TOSCA template must be provided');
    expect(() => parseDeploymentRequest({ template: 't', timeoutMins: 10, providerTimeoutMins: 11 })).toThrow('ProviderTimeout must be <= Timeout');
    expect(() => parseDeploymentRequest({ template: 't', callback: 'ftp://x' })).toThrow(/http or https/);
    expect(() => parseDeploymentRequest({ template: 't', maxProvidersRetry: 0 })).toThrow(/greater than or equal to 1/);
    expect(() => parseDeploymentRequest({ template: 't', keepLastAttempt: 'yes' })).toThrow(/keepLastAttempt/);
  });

  it('reads booleans in any case (Python sends True)', () => {
    expect(parseBooleanish('force', 'True')).toBe(true);
    expect(parseBooleanish('force', 'FALSE')).toBe(false);
    expect(parseBooleanish('force', '')).toBeUndefined();
  });
});

describe('parseResetRequest / parseExcludedStatus', () => {
  it('accepts only DELETE_FAILED', () => {
    expect(parseResetRequest({ status: 'DELETE_FAILED' })).toBe('DELETE_FAILED');
    expect(() => parseResetRequest({ status: 'CREATE_FAILED' })).toThrow('Cannot reset deployment: illegal status CREATE_FAILED.');
  });

  it('splits the CSV and refuses unknown names', () => {
    expect(parseExcludedStatus('CREATE_COMPLETE, DELETE_COMPLETE')).toEqual(['CREATE_COMPLETE', 'DELETE_COMPLETE']);
    expect(parseExcludedStatus(undefined)).toBeUndefined();
    expect(() => parseExcludedStatus('DONE')).toThrow('Value DONE for param excludedStatus is illegal');
  });
});

describe('toDeploymentDto', () => {
  const record: DeploymentRecord = {
    uuid: 'u1',
    creationTime: new Date('2024-03-01T09:56:00Z'),
    updateTime: new Date('2024-03-01T10:00:00Z'),
    status: 'CREATE_IN_PROGRESS',
    task: 'NONE',
    outputs: {},
    createdBy: { issuer: 'https://iam/', subject: 's' },
    keepLastAttempt: false,
    links: [],
  };

  it('omits null members, keeps outputs and updateTime, builds absolute links in order', () => {
    const dto = toDeploymentDto({ ...record, statusReason: undefined, callback: undefined }, 'https://h/orchestrator');
    expect(Object.keys(dto)).toEqual(['uuid', 'creationTime', 'updateTime', 'status', 'outputs', 'task', 'createdBy', 'links']);
    expect(dto.links).toEqual([
      { rel: 'self', href: 'https://h/orchestrator/deployments/u1' },
      { rel: 'resources', href: 'https://h/orchestrator/deployments/u1/resources?type={type}' },
      { rel: 'template', href: 'https://h/orchestrator/deployments/u1/template' },
    ]);
  });

  it('renders provider members without empty ones, with iaasType beside deploymentType', () => {
    const dto = toDeploymentDto(
      { ...record, cloudProviderName: 'sim', cloudProviderEndpoint: { cpEndpoint: 'http://k:5000/v3', deploymentType: 'OPENSTACK', iaasType: 'OPENSTACK' } },
      'http://h',
    );
    expect(dto.cloudProviderEndpoint).toEqual({ cpEndpoint: 'http://k:5000/v3', deploymentType: 'OPENSTACK', iaasType: 'OPENSTACK' });
  });
});
