// RFC 8693 delegation against a real OpenID provider: the caller's access token is exchanged for
// a refresh token of our client, kept sealed with AES-256-GCM, and turned into fresh access
// tokens later, which our own verifier accepts as the same user.
import { loadConfig } from '@lib/config';
import {
  AuthError,
  createAuthKit,
  InMemoryRefreshTokenStore,
  TokenExchangeClient,
  type AuthKit,
  type DelegatedTokensService,
} from '@lib/auth';
import { SecretBox } from '@lib/persistence';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from './support/oidc-provider';

describe('token exchange and delegated access tokens', () => {
  let idp: TestIssuer;
  let kit: AuthKit;
  let delegated: DelegatedTokensService;
  const store = new InMemoryRefreshTokenStore();
  let secretKey: string;

  beforeAll(async () => {
    idp = await startTestIssuer();
    const config = loadConfig({
      BATON_DATA_DIR: 'memory://',
      BATON_OIDC_ISSUERS: idp.issuer,
      BATON_OIDC_AUDIENCE: idp.audience,
      BATON_OIDC_CLIENT_ID: idp.client.id,
      BATON_OIDC_CLIENT_SECRET: idp.client.secret,
    });
    secretKey = config.secretKey;
    kit = createAuthKit(config, { store, sealer: new SecretBox(config.secretKey), jwksCooldownMs: 0 });
    delegated = kit.delegatedTokens!;
  });
  afterAll(async () => {
    await idp?.close();
  });

  it('exchanges the caller token for a refresh token that yields fresh access tokens', async () => {
    const userToken = await idp.mintToken({ sub: 'alice', groups: ['cms'] });
    const caller = await kit.authenticator.authenticate(`Bearer ${userToken}`, { write: true });
    await delegated.delegate(caller.principal, caller.accessToken!);

    const first = await delegated.accessToken(caller.principal);
    expect(first).not.toBe(userToken);
    // The delegated token is a real token of the same user, accepted by our own verifier.
    const again = await kit.authenticator.authenticate(`Bearer ${first}`, { write: true });
    expect(again.principal).toMatchObject({ issuer: idp.issuer, subject: 'alice', groups: ['cms'] });
    expect(decodeJwt(first).client_id).toBe(idp.client.id);

    // Cached while it has more than five minutes left.
    expect(await delegated.accessToken(caller.principal)).toBe(first);

    // A forced refresh (after a cloud 401) uses the refresh token: a new access token, and the
    // provider rotates the refresh token, which is stored again.
    const sealedBefore = store.entries.get(delegated.keyOf(caller.principal));
    const second = await delegated.accessToken(caller.principal, { force: true });
    expect(second).not.toBe(first);
    expect(decodeJwt(second).sub).toBe('alice');
    const sealedAfter = store.entries.get(delegated.keyOf(caller.principal));
    expect(sealedAfter).toBeDefined();
    expect(sealedAfter).not.toBe(sealedBefore);
    const third = await delegated.accessToken(caller.principal, { force: true });
    expect(decodeJwt(third).sub).toBe('alice');
  });

  it('runs one refresh at a time per owner: concurrent callers share it (a rotated token is single-use)', async () => {
    const owner = { issuer: idp.issuer, subject: 'dora' };
    await delegated.delegate(owner, await idp.mintToken({ sub: 'dora' }));
    const [a, b, c] = await Promise.all([
      delegated.accessToken(owner, { force: true }),
      delegated.accessToken(owner, { force: true }),
      delegated.accessToken(owner, { force: true }),
    ]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    // The stored (rotated) refresh token still works afterwards.
    expect(decodeJwt(await delegated.accessToken(owner, { force: true })).sub).toBe('dora');
  });

  it('stores the refresh token only sealed: the plain token never appears, the key opens it', async () => {
    // Ask the provider directly to learn what a refresh token looks like, then check the store.
    const client = new TokenExchangeClient(kit.directory!, { clientId: idp.client.id, clientSecret: idp.client.secret, timeoutMs: 5000 });
    const owner = { issuer: idp.issuer, subject: 'bob' };
    const userToken = await idp.mintToken({ sub: 'bob' });
    await delegated.delegate(owner, userToken);
    const sealed = store.entries.get(delegated.keyOf(owner))!;
    expect(sealed).toMatch(/^v1:/);
    const plain = new SecretBox(secretKey).open(sealed);
    expect(plain.length).toBeGreaterThan(20);
    expect(sealed).not.toContain(plain);
    for (const value of store.entries.values()) expect(value).not.toContain(plain);
    expect(JSON.stringify([...store.entries])).not.toContain(plain);
    // What was sealed is a live refresh token of bob.
    const set = await client.refresh(idp.issuer, plain);
    expect(decodeJwt(set.accessToken).sub).toBe('bob');
    // A wrong key cannot open it.
    expect(() => new SecretBox(Buffer.alloc(32, 1).toString('base64')).open(sealed)).toThrow();
  });

  it('authenticates with form fields (client_secret_post) when configured so', async () => {
    const post = new TokenExchangeClient(kit.directory!, { clientId: idp.postClient.id, clientSecret: idp.postClient.secret, authMethod: 'client_secret_post', timeoutMs: 5000 });
    const set = await post.exchange(idp.issuer, await idp.mintToken({ sub: 'erin' }), { scopes: ['openid', 'profile', 'offline_access'] });
    expect(decodeJwt(set.accessToken)).toMatchObject({ sub: 'erin', client_id: idp.postClient.id });
    expect(set.refreshToken).toBeDefined();
    // The form fields are what authenticated us: a wrong secret in them is refused.
    const wrong = new TokenExchangeClient(kit.directory!, { clientId: idp.postClient.id, clientSecret: 'wrong', authMethod: 'client_secret_post', timeoutMs: 5000 });
    await expect(wrong.exchange(idp.issuer, await idp.mintToken({ sub: 'erin' }), { scopes: ['openid'] })).rejects.toMatchObject({
      code: 'token_exchange_failed',
      oauthError: 'invalid_client',
    });
  });

  it('refuses to exchange a token the provider did not issue, with the provider error kept', async () => {
    const stranger = await startTestIssuer();
    try {
      const foreign = await stranger.mintToken({ sub: 'mallory' });
      const err = await delegated.delegate({ issuer: idp.issuer, subject: 'mallory' }, foreign).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AuthError);
      expect(err).toMatchObject({ code: 'token_exchange_failed', oauthError: 'invalid_grant' });
      expect((err as Error).message).not.toContain(foreign);
    } finally {
      await stranger.close();
    }
  });

  it('refuses an exchange asking for scopes the user token lacks', async () => {
    const narrow = await idp.mintToken({ sub: 'carol', scope: 'openid profile' });
    await expect(delegated.delegate({ issuer: idp.issuer, subject: 'carol' }, narrow)).rejects.toMatchObject({ code: 'token_exchange_failed' });
  });

  it('says plainly when nothing was delegated for an owner', async () => {
    await expect(delegated.accessToken({ issuer: idp.issuer, subject: 'nobody' })).rejects.toMatchObject({
      code: 'token_exchange_failed',
      oauthError: 'no_refresh_token',
    });
  });
});
