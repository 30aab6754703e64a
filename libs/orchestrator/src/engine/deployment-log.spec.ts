import { describe, expect, it } from 'vitest';
import { Redactor } from './deployment-log';

describe('Redactor', () => {
  it('hides secret input values and private key blocks, whatever carries them', () => {
    const r = Redactor.forDeployment({ parameters: { db_password: 'hunter2-secret', cpus: 2, token: { a: 'x' } }, secretInputs: ['db_password', 'token'] });
    const line = 'connecting with hunter2-secret and {"a":"x"} -----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY----- done';
    const out = r.redact(line);
    expect(out).not.toContain('hunter2-secret');
    expect(out).not.toContain('{"a":"x"}');
    expect(out).not.toContain('abc');
    expect(out).toContain('[private key redacted]');
    expect(out).toContain('done');
  });
  it('leaves very short values alone rather than blanking ordinary words', () => {
    expect(new Redactor(['ab']).redact('abc')).toBe('abc');
  });
});
