// Verifies a bearer access token (reference §3.1): a signed JWT from an allow-listed issuer,
// checked against that issuer's JWKS, unexpired within a small clock skew, with the configured
// audience. Only asymmetric algorithms: an `alg: none` or HMAC token signed with a public key
// must never pass.
import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors as jose, jwtVerify, type JWTPayload } from 'jose';
import { AuthError, ExpiredTokenError, InvalidTokenError, IssuerUnavailableError, UnknownIssuerError } from './errors';
import type { IssuerDirectory } from './issuer.directory';

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** A token that passed every check, with its claims. */
export interface VerifiedToken {
  issuer: string;
  subject: string;
  claims: JWTPayload & Record<string, unknown>;
  expiresAt: Date;
}

export interface AccessTokenVerifierOptions {
  /** Required `aud` (one of the token's audiences); null = not checked. */
  audience: string | null;
  /** Tolerance on `exp` and `nbf`, seconds. */
  clockSkewSeconds: number;
  /**
   * How long a verified token is remembered (ms; 0 = never). Default 60 s. A client sends the
   * same token many times; a hit skips the signature check but still checks `exp`. It also bounds
   * how long a token signed by a key the issuer withdrew keeps working.
   */
  cacheMs?: number;
}

const CACHE_MAX = 10_000;

export class AccessTokenVerifier {
  /** sha256(token) → result and when the entry stops being trusted. Insertion order = age. */
  private readonly cache = new Map<string, { token: VerifiedToken; until: number }>();

  constructor(
    private readonly directory: IssuerDirectory,
    private readonly options: AccessTokenVerifierOptions,
  ) {}

  /** Verifies `token` or throws an AuthError (`invalid_token`, `unknown_issuer`, `expired_token`...). */
  async verify(token: string): Promise<VerifiedToken> {
    const cacheMs = this.options.cacheMs ?? 60_000;
    if (cacheMs <= 0) return this.verifyNow(token);
    const key = createHash('sha256').update(token).digest('base64url');
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) {
      if (hit.token.expiresAt.getTime() + this.options.clockSkewSeconds * 1000 <= now) throw new ExpiredTokenError();
      return hit.token;
    }
    if (hit) this.cache.delete(key);
    const verified = await this.verifyNow(token);
    if (this.cache.size >= CACHE_MAX) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, { token: verified, until: now + cacheMs });
    return verified;
  }

  private async verifyNow(token: string): Promise<VerifiedToken> {
    let unverified: JWTPayload;
    try {
      const header = decodeProtectedHeader(token);
      if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg)) {
        throw new InvalidTokenError(`signature algorithm ${String(header.alg).slice(0, 20)} is not accepted`);
      }
      unverified = decodeJwt(token);
    } catch (e) {
      if (e instanceof AuthError) throw e;
      throw new InvalidTokenError('not a signed JWT', { cause: e });
    }
    const issuer = unverified.iss;
    if (typeof issuer !== 'string') throw new InvalidTokenError('no issuer claim');
    if (!this.directory.isTrusted(issuer)) throw new UnknownIssuerError(issuer);

    const keys = await this.directory.keys(issuer);
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience: this.options.audience ?? undefined,
        clockTolerance: this.options.clockSkewSeconds,
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'exp'],
      });
      return { issuer, subject: payload.sub!, claims: payload as VerifiedToken['claims'], expiresAt: new Date(payload.exp! * 1000) };
    } catch (e) {
      throw mapJoseError(e, issuer);
    }
  }
}

function mapJoseError(e: unknown, issuer: string): AuthError {
  if (e instanceof AuthError) return e;
  if (e instanceof jose.JWTExpired) return new ExpiredTokenError({ cause: e });
  if (e instanceof jose.JWTClaimValidationFailed) {
    const what = e.claim === 'aud' ? 'audience does not match' : e.claim === 'nbf' ? 'not valid yet' : `claim ${e.claim} is invalid`;
    return new InvalidTokenError(what, { cause: e });
  }
  if (e instanceof jose.JWKSNoMatchingKey) return new InvalidTokenError('signed by an unknown key', { cause: e });
  if (e instanceof jose.JWSSignatureVerificationFailed) return new InvalidTokenError('signature verification failed', { cause: e });
  if (e instanceof jose.JWKSTimeout || e instanceof jose.JWKSInvalid || isFetchFailure(e)) return new IssuerUnavailableError(issuer, { cause: e });
  // A bare JOSEError comes from fetching the key set (non-200 answer), not from the token.
  if (e instanceof jose.JOSEError && e.code === 'ERR_JOSE_GENERIC') return new IssuerUnavailableError(issuer, { cause: e });
  if (e instanceof jose.JOSEError) return new InvalidTokenError('malformed token', { cause: e });
  return new IssuerUnavailableError(issuer, { cause: e });
}

function isFetchFailure(e: unknown): boolean {
  return e instanceof TypeError || (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError'));
}
