// Authenticates a request from its `Authorization` header: the scheme is matched
// case-insensitively (the INFN dashboard sends `bearer`), the token verified, the reference's
// scope rules applied, and the caller assembled (identity, groups, admin).
import type { AdminGroupRule, ReadRule } from '@lib/config';
import { isAdmin, principalOf, readGroupClaims, readScopes, requireScopes } from './access-rules';
import type { AccessTokenVerifier } from './access-token.verifier';
import { ForbiddenError, InvalidTokenError, MissingTokenError } from './errors';
import type { Authenticator, Caller } from './principal.types';

export class BearerAuthenticator implements Authenticator {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly adminGroups: readonly AdminGroupRule[],
    private readonly readRule: ReadRule = 'issuer',
  ) {}

  async authenticate(authorization: string | undefined, options: { write: boolean }): Promise<Caller> {
    const token = bearerToken(authorization);
    const verified = await this.verifier.verify(token);
    const { claims } = verified;
    // A token without a user behind it (client credentials: sub is the client) cannot own
    // deployments; the reference refuses it the same way.
    const clientId = typeof claims.client_id === 'string' ? claims.client_id : typeof claims.azp === 'string' ? claims.azp : undefined;
    if (clientId !== undefined && clientId === verified.subject) {
      throw new ForbiddenError('Client credentials grant not supported');
    }
    const scopes = readScopes(claims);
    requireScopes(scopes, options.write);
    const groupClaims = readGroupClaims(claims);
    const principal = principalOf(claims, groupClaims);
    return {
      principal,
      admin: isAdmin(principal, this.adminGroups),
      groupClaims,
      scopes,
      accessToken: token,
      expiresAt: verified.expiresAt,
      local: false,
      readRule: this.readRule,
    };
  }
}

/** The token of `Bearer <token>` (scheme in any case), or a MissingTokenError / InvalidTokenError. */
export function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === '') throw new MissingTokenError();
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new InvalidTokenError('the Authorization header is not "Bearer <token>"');
  return match[1];
}
