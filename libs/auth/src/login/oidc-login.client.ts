// The OpenID Connect authorization-code flow for the dashboard's login (reference §4: scopes
// `openid email profile offline_access`), with state, nonce and PKCE (RFC 7636). Written on jose
// and the IssuerDirectory rather than passport-openidconnect 0.1: that strategy never checks the
// ID token's signature, always authenticates with client_secret_post and needs express-session;
// here the ID token is verified against the issuer's JWKS and the client authenticates the same
// way as for token exchange (HTTP Basic by default).
import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify, type JWTPayload } from 'jose';
import { authenticateClient, type ClientCredentials } from '../client-auth';
import { InvalidTokenError, TokenExchangeError } from '../errors';
import type { IssuerDirectory } from '../issuer.directory';

/** What must be remembered between the redirect to the issuer and the callback. */
export interface PendingLogin {
  issuer: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  createdAt: number;
}

/** The outcome of a login. */
export interface LoginResult {
  issuer: string;
  subject: string;
  idTokenClaims: JWTPayload & Record<string, unknown>;
  accessToken: string;
  refreshToken?: string;
  expiresAt: Date;
}

export interface OidcLoginOptions extends ClientCredentials {
  scopes?: readonly string[];
  timeoutMs: number;
  /** A pending login older than this is refused (ms). Default 10 min. */
  maxAgeMs?: number;
}

const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

export class OidcLoginClient {
  constructor(
    private readonly directory: IssuerDirectory,
    private readonly options: OidcLoginOptions,
  ) {}

  /** The URL to send the browser to, and what to keep (server-side) until the callback. */
  async begin(issuer: string, redirectUri: string): Promise<{ url: string; pending: PendingLogin }> {
    const meta = await this.directory.metadata(issuer);
    if (!meta.authorization_endpoint) throw new TokenExchangeError('unsupported', `${issuer} advertises no authorization endpoint`);
    const pending: PendingLogin = {
      issuer,
      state: random(),
      nonce: random(),
      codeVerifier: random(),
      redirectUri,
      createdAt: Date.now(),
    };
    const scopes = this.options.scopes ?? DEFAULT_SCOPES;
    const url = new URL(meta.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.options.clientId,
      redirect_uri: redirectUri,
      scope: scopes.join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: createHash('sha256').update(pending.codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
      // OpenID Connect Core §11: offline_access is granted only after consent, and providers
      // (oidc-provider among them) drop the scope silently without this prompt; the API then
      // refuses the user's writes, which need it.
      ...(scopes.includes('offline_access') ? { prompt: 'consent' } : {}),
    }).toString();
    return { url: url.href, pending };
  }

  /** Checks the callback against the pending login, redeems the code, verifies the ID token. */
  async finish(query: Record<string, unknown>, pending: PendingLogin): Promise<LoginResult> {
    if (Date.now() - pending.createdAt > (this.options.maxAgeMs ?? 600_000)) throw new InvalidTokenError('the login took too long, start again');
    if (typeof query.error === 'string') throw new TokenExchangeError(query.error.slice(0, 100), `The identity provider refused the login (${query.error.slice(0, 100)})`);
    if (query.state !== pending.state) throw new InvalidTokenError('login state does not match');
    if (typeof query.code !== 'string') throw new InvalidTokenError('no authorization code');
    const meta = await this.directory.metadata(pending.issuer);
    if (!meta.token_endpoint) throw new TokenExchangeError('unsupported', `${pending.issuer} advertises no token endpoint`);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    const form = new URLSearchParams({ grant_type: 'authorization_code', code: query.code, redirect_uri: pending.redirectUri, code_verifier: pending.codeVerifier });
    authenticateClient(this.options, headers, form);
    let body: Record<string, unknown>;
    let ok: boolean;
    try {
      const res = await fetch(meta.token_endpoint, {
        method: 'POST',
        headers,
        body: form,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      ok = res.ok;
      body = (await res.json()) as Record<string, unknown>;
    } catch (cause) {
      throw new TokenExchangeError('temporarily_unavailable', `The token endpoint of ${pending.issuer} cannot be reached`, { cause });
    }
    if (!ok || typeof body.access_token !== 'string' || typeof body.id_token !== 'string') {
      const error = typeof body.error === 'string' ? body.error.slice(0, 100) : 'invalid_response';
      throw new TokenExchangeError(error, `The token endpoint of ${pending.issuer} refused the code (${error})`);
    }
    const claims = await this.verifyIdToken(body.id_token, pending);
    const result: LoginResult = {
      issuer: pending.issuer,
      subject: String(claims.sub),
      idTokenClaims: claims,
      accessToken: body.access_token,
      expiresAt: new Date(Date.now() + (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000),
    };
    if (typeof body.refresh_token === 'string') result.refreshToken = body.refresh_token;
    return result;
  }

  private async verifyIdToken(idToken: string, pending: PendingLogin): Promise<JWTPayload & Record<string, unknown>> {
    try {
      const { payload } = await jwtVerify(idToken, await this.directory.keys(pending.issuer), {
        issuer: pending.issuer,
        audience: this.options.clientId,
        clockTolerance: 30,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      if (payload.nonce !== pending.nonce) throw new InvalidTokenError('ID token nonce does not match');
      return payload as JWTPayload & Record<string, unknown>;
    } catch (e) {
      if (e instanceof InvalidTokenError) throw e;
      throw new InvalidTokenError('ID token verification failed', { cause: e });
    }
  }
}

function random(): string {
  return randomBytes(32).toString('base64url');
}
