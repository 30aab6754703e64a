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
  it('hides a password with `"` and `\\` in every form a log line carries it: JSON, JSON in JSON, repr, URL-encoded, base64', () => {
    const pw = 'p"a\\ss wörd:1';
    const r = Redactor.forDeployment({ parameters: { db_password: pw }, secretInputs: ['db_password'] });
    const leaks = [
      pw,
      `ok: [vm] => ${JSON.stringify({ msg: pw })}`,
      JSON.stringify({ body: JSON.stringify({ pw }) }),
      `{"msg": "${'p\\"a\\\\ss w\\u00f6rd:1'}"}`,
      `['p"a\\\\ss wörd:1']`,
      `GET /x?pw=${encodeURIComponent(pw)}&y=1`,
      `body pw=${encodeURIComponent(pw).replace(/%20/g, '+')}`,
      `Authorization: Basic ${Buffer.from(`admin:${pw}`).toString('base64')}`,
      `b64 ${Buffer.from(pw).toString('base64')} ${Buffer.from(`xy${pw}`).toString('base64url')}`,
    ];
    for (const line of leaks) {
      const out = r.redact(line);
      expect(out, line).toContain('****');
      expect(out).not.toContain(pw);
      expect(out).not.toContain(JSON.stringify(pw).slice(1, -1));
      expect(out).not.toContain(encodeURIComponent(pw));
      expect(out).not.toContain(Buffer.from(pw).toString('base64').slice(2, 12));
    }
    expect(r.redact('nothing secret here: {"msg": "ok"}')).toBe('nothing secret here: {"msg": "ok"}');
  });
  it('hides each leaf of a secret list or map, not only its JSON', () => {
    const r = Redactor.forDeployment({ parameters: { tokens: ['first-token-1', 'second-token-2'] }, secretInputs: ['tokens'] });
    expect(r.redact('using second-token-2 now')).toBe('using **** now');
  });
});
