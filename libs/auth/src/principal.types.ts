// Who is calling, as the rest of baton needs it. Identity is (issuer, subject) (reference §3.1);
// the `Principal` here is structurally the `Principal` of libs/orchestrator plus `email`.
import type { ReadRule } from '@lib/config';

/** An authenticated user. */
export interface Principal {
  issuer: string;
  subject: string;
  name?: string;
  email?: string;
  /** Union of `groups` and `wlcg.groups`, the latter without its leading `/`. */
  groups: string[];
}

/** The raw group claims of the access token, for the userGroup rule (reference §3.2). */
export interface GroupClaims {
  /** `groups`, when the claim is present. */
  groups?: string[];
  /** `wlcg.groups` (values like `/cms`), when the claim is present. */
  wlcgGroups?: string[];
}

/** The result of authenticating one request. */
export interface Caller {
  principal: Principal;
  /** Member of an admin group of its issuer (BATON_OIDC_ADMIN_GROUPS). */
  admin: boolean;
  groupClaims: GroupClaims;
  /** Scopes of the access token. */
  scopes: string[];
  /** The verified access token itself (for token exchange); absent in the local no-auth mode. */
  accessToken?: string;
  /** When the access token expires; absent in the local no-auth mode. */
  expiresAt?: Date;
  /** True for the one local user of the no-auth mode. */
  local: boolean;
  /** Which deployments this caller may read (BATON_READ_RULE; absent = `issuer`): see `canRead`. */
  readRule?: ReadRule;
}

/** What authenticates a request: the bearer verifier, or the local user when auth is off. */
export interface Authenticator {
  /**
   * Resolves the caller of a request from its `Authorization` header or throws an AuthError.
   * `write` also asks for a write scope (`offline_access` or `fts:submit-transfer`).
   */
  authenticate(authorization: string | undefined, options: { write: boolean }): Promise<Caller>;
}
