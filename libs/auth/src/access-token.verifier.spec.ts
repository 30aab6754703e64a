// The checks the verifier makes before it contacts anyone: token shape, algorithm, issuer.
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AccessTokenVerifier } from './access-token.verifier';
import { AuthError } from './errors';
import { IssuerDirectory } from './issuer.directory';

// The allow-listed issuer does not exist: each case here is refused before any fetch (a fetch
// would fail with issuer_unavailable instead of the expected code). The int specs cover the rest.
const ISSUER = 'http://127.0.0.1:9/';
const verifier = new AccessTokenVerifier(new IssuerDirectory({ issuers: [ISSUER], cacheMs: 60_000, timeoutMs: 500 }), { audience: null, clockSkewSeconds: 30 });

async function refusal(token: string): Promise<string> {
  try {
    await verifier.verify(token);
  } catch (e) {
    if (e instanceof AuthError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'accepted';
}

describe('AccessTokenVerifier, before any fetch', () => {
  it('refuses what is not a JWT', async () => {
    expect(await refusal('not-a-jwt')).toBe('invalid_token: Invalid access token: not a signed JWT');
    expect(await refusal('a.b.c')).toBe('invalid_token: Invalid access token: not a signed JWT');
  });

  it('refuses alg none and HMAC (algorithm confusion with a public key)', async () => {
    const none = new UnsecuredJWT({ sub: 'alice' }).setIssuer(ISSUER).setExpirationTime('1h').encode();
    expect(await refusal(none)).toBe('invalid_token: Invalid access token: signature algorithm none is not accepted');
    const hs = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setExpirationTime('1h').sign(new Uint8Array(32));
    expect(await refusal(hs)).toBe('invalid_token: Invalid access token: signature algorithm HS256 is not accepted');
  });

  it('refuses an issuer off the allow-list, and a token without one', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const sign = (iss?: string) => {
      const jwt = new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setExpirationTime('1h');
      return (iss ? jwt.setIssuer(iss) : jwt).sign(privateKey);
    };
    expect(await refusal(await sign('https://evil.example.org/'))).toBe(
      'unknown_issuer: Invalid access token: issuer "https://evil.example.org/" is not trusted',
    );
    // Exact match: the allow-listed issuer without its trailing slash is another issuer.
    expect(await refusal(await sign('http://127.0.0.1:9'))).toMatch(/^unknown_issuer/);
    expect(await refusal(await sign())).toBe('invalid_token: Invalid access token: no issuer claim');
  });
});
