// The no-auth mode (BATON_OIDC_ISSUERS unset): every caller is the one local user, who is admin
// and owns everything. libs/config refuses a non-loopback listen address in this mode, so only
// processes on this machine can reach it.
import type { Authenticator, Caller } from './principal.types';

/** The issuer recorded as `createdBy.issuer` for the local user. */
export const LOCAL_ISSUER = 'urn:baton:local';
/** The subject recorded as `createdBy.subject` for the local user. */
export const LOCAL_SUBJECT = 'local';

const LOCAL_CALLER: Caller = Object.freeze({
  principal: Object.freeze({ issuer: LOCAL_ISSUER, subject: LOCAL_SUBJECT, name: 'Local user', groups: [] }),
  admin: true,
  groupClaims: Object.freeze({}),
  scopes: ['openid', 'profile', 'offline_access'],
  local: true,
}) as Caller;

export class LocalAuthenticator implements Authenticator {
  /** Ignores the header: no token is needed, and none is verified. */
  async authenticate(_authorization: string | undefined, _options: { write: boolean }): Promise<Caller> {
    return LOCAL_CALLER;
  }
}
