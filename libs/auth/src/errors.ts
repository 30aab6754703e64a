// The one error family of libs/auth (STYLE.md rule 13). Messages are safe to send to the caller:
// they never contain a token, a secret or a key. The API maps `code` to a status at the edge
// (rule 14): see README.md for the table.

/** Codes of libs/auth errors. */
export type AuthErrorCode =
  | 'missing_token'
  | 'invalid_token'
  | 'unknown_issuer'
  | 'expired_token'
  | 'insufficient_scope'
  | 'forbidden'
  | 'issuer_unavailable'
  | 'token_exchange_failed';

/** Base class of every error thrown by libs/auth (`cause` kept, never rendered). */
export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No `Authorization: Bearer` header (401). */
export class MissingTokenError extends AuthError {
  constructor() {
    super('missing_token', 'Full authentication is required to access this resource');
  }
}

/** Not a JWT, bad signature, wrong audience, not yet valid... (401). */
export class InvalidTokenError extends AuthError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('invalid_token', `Invalid access token: ${reason}`, options);
  }
}

/** The token's `iss` is not on the allow-list (401). */
export class UnknownIssuerError extends AuthError {
  constructor(readonly issuer: string) {
    super('unknown_issuer', `Invalid access token: issuer ${JSON.stringify(issuer.slice(0, 200))} is not trusted`);
  }
}

/** `exp` is past, beyond the clock skew (401). */
export class ExpiredTokenError extends AuthError {
  constructor(options?: { cause?: unknown }) {
    super('expired_token', 'Invalid access token: the token has expired', options);
  }
}

/** The token lacks a scope the operation needs (403). */
export class InsufficientScopeError extends AuthError {
  constructor(readonly required: readonly string[]) {
    super('insufficient_scope', `Insufficient scope for this resource: requires ${required.join(' and ')}`);
  }
}

/** Authenticated but not allowed: the userGroup rule, not the owner, client-credentials tokens (403). */
export class ForbiddenError extends AuthError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** The issuer's discovery document or JWKS could not be fetched (503: not the caller's fault). */
export class IssuerUnavailableError extends AuthError {
  constructor(issuer: string, options?: { cause?: unknown }) {
    super('issuer_unavailable', `The identity provider ${issuer} cannot be reached`, options);
  }
}

/** RFC 8693 exchange or refresh refused by the issuer (the issuer's `error` code is kept). */
export class TokenExchangeError extends AuthError {
  constructor(
    readonly oauthError: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('token_exchange_failed', message, options);
  }

  /** False when trying again later may succeed (issuer down or overloaded); true otherwise. */
  get permanent(): boolean {
    return !(this.oauthError === 'temporarily_unavailable' || this.oauthError === 'server_error' || /^http_5\d\d$/.test(this.oauthError));
  }
}
