// Bearer verification against a real OpenID provider (oidc-provider on loopback): real keys,
// discovery, JWKS, signatures. Each refusal is asserted by its AuthError code.
import { loadConfig } from '@lib/config';
import { AccessTokenVerifier, AuthError, createAuthKit, InMemoryRefreshTokenStore, type AuthKit, type Caller } from '@lib/auth';
import { SecretBox } from '@lib/persistence';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from './support/oidc-provider';

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AuthError) return e.code;
    throw e;
  }
  return 'accepted';
}

describe('bearer access tokens from a real OpenID provider', () => {
  let idp: TestIssuer;
  let stranger: TestIssuer;
  let kit: AuthKit;

  beforeAll(async () => {
    [idp, stranger] = await Promise.all([startTestIssuer(), startTestIssuer()]);
    const config = loadConfig({
      BATON_DATA_DIR: 'memory://',
      BATON_OIDC_ISSUERS: idp.issuer,
      BATON_OIDC_AUDIENCE: idp.audience,
      BATON_OIDC_ADMIN_GROUPS: `${idp.issuer}|admins`,
      BATON_HTTP_TIMEOUT_MS: '5000',
    });
    kit = createAuthKit(config, { store: new InMemoryRefreshTokenStore(), sealer: new SecretBox(config.secretKey), jwksCooldownMs: 0 });
  });
  afterAll(async () => {
    await Promise.all([idp?.close(), stranger?.close()]);
  });

  const auth = (token: string, write = false): Promise<Caller> => kit.authenticator.authenticate(`Bearer ${token}`, { write });

  it('accepts a valid token with its identity, groups and admin flag', async () => {
    const token = await idp.mintToken({ sub: 'alice', name: 'Alice', email: 'alice@example.org', groups: ['cms', 'admins'], wlcgGroups: ['/cms'] });
    const caller = await auth(token, true);
    expect(caller.principal).toEqual({ issuer: idp.issuer, subject: 'alice', name: 'Alice', email: 'alice@example.org', groups: ['cms', 'admins'] });
    expect(caller.groupClaims).toEqual({ groups: ['cms', 'admins'], wlcgGroups: ['/cms'] });
    expect(caller.admin).toBe(true);
    expect(caller.local).toBe(false);
    expect(caller.scopes).toEqual(['openid', 'profile', 'offline_access']);
    expect(caller.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    // orchent and the dashboard send the scheme in lower case.
    expect((await kit.authenticator.authenticate(`bearer ${token}`, { write: false })).principal.subject).toBe('alice');
  });

  it('a user outside the admin group is not admin', async () => {
    const caller = await auth(await idp.mintToken({ sub: 'bob', groups: ['cms'] }));
    expect(caller.admin).toBe(false);
    expect(caller.groupClaims).toEqual({ groups: ['cms'] });
  });

  it('refuses a missing header and a non-JWT token', async () => {
    expect(await refusal(kit.authenticator.authenticate(undefined, { write: false }))).toBe('missing_token');
    expect(await refusal(auth('opaque-token-value'))).toBe('invalid_token');
  });

  it('refuses a token from an issuer that is not allow-listed, without contacting it', async () => {
    const before = stranger.jwksFetches();
    expect(await refusal(auth(await stranger.mintToken({ sub: 'mallory' })))).toBe('unknown_issuer');
    expect(stranger.jwksFetches()).toBe(before);
  });

  it('refuses a forged signature (another key, same kid)', async () => {
    await auth(await idp.mintToken({ sub: 'alice' })); // the real key is cached now
    expect(await refusal(auth(await idp.forgeToken({ sub: 'alice', groups: ['admins'] })))).toBe('invalid_token');
  });

  it('refuses an expired token, beyond the clock skew', async () => {
    expect(await refusal(auth(await idp.mintToken({ sub: 'alice', expiresIn: -120 })))).toBe('expired_token');
  });

  it('tolerates the clock skew on exp, and refuses a token not valid yet', async () => {
    expect(await refusal(auth(await idp.mintToken({ sub: 'alice', expiresIn: -10 })))).toBe('accepted');
    const future = Math.floor(Date.now() / 1000) + 600;
    expect(await refusal(auth(await idp.mintToken({ sub: 'alice', claims: { nbf: future } })))).toBe('invalid_token');
  });

  it('refuses a client-credentials token: no user behind it', async () => {
    const basic = Buffer.from(`${idp.client.id}:${idp.client.secret}`).toString('base64');
    const res = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'openid profile', resource: 'urn:baton:api' }),
    });
    const body = (await res.json()) as { access_token?: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(await refusal(auth(body.access_token!))).toBe('forbidden');
  });

  it('remembers a verified token, but still refuses it once expired', async () => {
    const directory = kit.directory!;
    const strict = new AccessTokenVerifier(directory, { audience: idp.audience, clockSkewSeconds: 0 });
    const token = await idp.mintToken({ sub: 'alice', expiresIn: 2 });
    expect((await strict.verify(token)).subject).toBe('alice');
    expect((await strict.verify(token)).subject).toBe('alice'); // from the cache
    await new Promise((r) => setTimeout(r, 2100));
    expect(await refusal(strict.verify(token))).toBe('expired_token');
  });

  it('refuses a token for another audience', async () => {
    expect(await refusal(auth(await idp.mintToken({ sub: 'alice', audience: 'someone-else' })))).toBe('invalid_token');
  });

  it('refuses missing scopes: openid+profile to read, offline_access to write', async () => {
    expect(await refusal(auth(await idp.mintToken({ sub: 'alice', scope: 'openid' })))).toBe('insufficient_scope');
    const readOnly = await idp.mintToken({ sub: 'alice', scope: 'openid profile' });
    expect(await refusal(auth(readOnly))).toBe('accepted');
    expect(await refusal(auth(readOnly, true))).toBe('insufficient_scope');
    expect(await refusal(auth(await idp.mintToken({ sub: 'alice', scope: 'openid profile fts:submit-transfer' }), true))).toBe('accepted');
  });

  it('follows a key rotation: an unknown kid triggers one JWKS refetch', async () => {
    await auth(await idp.mintToken({ sub: 'alice' }));
    const oldKid = idp.currentKid();
    await idp.rotateKeys();
    expect(idp.currentKid()).not.toBe(oldKid);
    const before = idp.jwksFetches();
    const caller = await auth(await idp.mintToken({ sub: 'carol' }));
    expect(caller.principal.subject).toBe('carol');
    expect(idp.jwksFetches()).toBe(before + 1);
    // Known kid now: no further fetch.
    await auth(await idp.mintToken({ sub: 'carol' }));
    expect(idp.jwksFetches()).toBe(before + 1);
  });

  it('refuses tokens of a key the issuer stopped publishing', async () => {
    const old = await idp.mintToken({ sub: 'dave' });
    await idp.rotateKeys({ dropOld: true });
    await auth(await idp.mintToken({ sub: 'dave' })); // learns the new key set
    expect(await refusal(auth(old))).toBe('invalid_token');
  });

  it('answers issuer_unavailable, not invalid_token, when the issuer is down', async () => {
    const down = await startTestIssuer();
    const token = await down.mintToken({ sub: 'erin' });
    await down.close();
    const config = loadConfig({ BATON_DATA_DIR: 'memory://', BATON_OIDC_ISSUERS: down.issuer, BATON_HTTP_TIMEOUT_MS: '2000' });
    const other = createAuthKit(config, { store: new InMemoryRefreshTokenStore(), sealer: new SecretBox(config.secretKey) });
    expect(await refusal(other.authenticator.authenticate(`Bearer ${token}`, { write: false }))).toBe('issuer_unavailable');
  });
});
