// RFC 8693 token exchange and RFC 6749 §6 refresh at one issuer's token endpoint, authenticated
// as our client (HTTP Basic by default, or form fields: client-auth.ts). The issuer's
// `error`/`error_description` are kept; tokens never appear in an error message.
import { authenticateClient, type ClientCredentials } from './client-auth';
import { TokenExchangeError } from './errors';
import type { IssuerDirectory } from './issuer.directory';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** What the token endpoint gave back. */
export interface TokenSet {
  accessToken: string;
  /** Absent when the issuer issued none (the exchange then cannot outlive the access token). */
  refreshToken?: string;
  expiresAt: Date;
  scopes: string[];
}

export interface TokenExchangeClientOptions extends ClientCredentials {
  timeoutMs: number;
}

export class TokenExchangeClient {
  constructor(
    private readonly directory: IssuerDirectory,
    private readonly options: TokenExchangeClientOptions,
  ) {}

  /**
   * Exchanges a user's access token for tokens of our client, a refresh token included when
   * `offline_access` is asked for. Sent as the reference sends it (§3.3): no requested_token_type,
   * so issuers that read it strictly (RFC 8693 §2.1) answer with their default, an access token
   * plus a refresh token.
   */
  async exchange(issuer: string, subjectToken: string, request: { scopes: readonly string[]; audience?: string | null }): Promise<TokenSet> {
    const form = new URLSearchParams({
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: subjectToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      scope: request.scopes.join(' '),
    });
    if (request.audience) form.set('audience', request.audience);
    const set = await this.post(issuer, form);
    // Reference §3.3: the granted scopes must include every requested one.
    const missing = request.scopes.filter((s) => !set.scopes.includes(s));
    if (set.scopes.length > 0 && missing.length > 0) {
      throw new TokenExchangeError('invalid_scope', `Token exchange at ${issuer} did not grant ${missing.join(' ')}`);
    }
    return set;
  }

  /** A fresh access token (and possibly a rotated refresh token) from a refresh token. */
  async refresh(issuer: string, refreshToken: string): Promise<TokenSet> {
    return this.post(issuer, new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }));
  }

  private async post(issuer: string, form: URLSearchParams): Promise<TokenSet> {
    const meta = await this.directory.metadata(issuer);
    if (!meta.token_endpoint) throw new TokenExchangeError('unsupported', `${issuer} advertises no token endpoint`);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    authenticateClient(this.options, headers, form);
    let res: Response;
    let body: Record<string, unknown>;
    try {
      res = await fetch(meta.token_endpoint, {
        method: 'POST',
        headers,
        body: form,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      body = (await res.json()) as Record<string, unknown>;
    } catch (cause) {
      throw new TokenExchangeError('temporarily_unavailable', `The token endpoint of ${issuer} cannot be reached`, { cause });
    }
    if (!res.ok || typeof body.access_token !== 'string') {
      const error = typeof body.error === 'string' ? body.error.slice(0, 100) : `http_${res.status}`;
      const description = typeof body.error_description === 'string' ? `: ${body.error_description.slice(0, 300)}` : '';
      throw new TokenExchangeError(error, `The token endpoint of ${issuer} refused the request (${error}${description})`);
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    const set: TokenSet = {
      accessToken: body.access_token,
      expiresAt: new Date(Date.now() + expiresIn * 1000),
      scopes: typeof body.scope === 'string' ? body.scope.split(' ').filter((s) => s !== '') : [],
    };
    if (typeof body.refresh_token === 'string') set.refreshToken = body.refresh_token;
    return set;
  }
}
