// How a client proves who it is to Keystone v3. Secrets live only in these objects and in the
// request body sent to Keystone; they are never logged or copied into an error.

/** A project to scope the token to: by id, or by name within a domain (name or id). */
export interface ProjectScope {
  projectId?: string;
  projectName?: string;
  projectDomainName?: string;
  projectDomainId?: string;
}

/** Keystone password auth; user by id, or by name within a domain. */
export interface PasswordAuth extends ProjectScope {
  type: 'password';
  userId?: string;
  username?: string;
  userDomainName?: string;
  userDomainId?: string;
  password: string;
}

/** Keystone application credential (scoped by the credential itself). */
export interface ApplicationCredentialAuth {
  type: 'application_credential';
  applicationCredentialId?: string;
  applicationCredentialName?: string;
  /** Needed with a credential name: the owner, by id or by name within a domain. */
  userId?: string;
  username?: string;
  userDomainName?: string;
  userDomainId?: string;
  secret: string;
}

/** An existing Keystone token, re-scoped to a project. */
export interface TokenAuth extends ProjectScope {
  type: 'token';
  token: string;
}

/**
 * An OIDC access token (e.g. from INDIGO IAM) exchanged through Keystone federation:
 * `POST /v3/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol}/auth` with a Bearer
 * header gives an unscoped token, then a token-method auth scopes it to the project (the first
 * project the user may use when none is named).
 */
export interface OidcAccessTokenAuth extends ProjectScope {
  type: 'oidc_access_token';
  identityProvider: string;
  protocol: string;
  /** The token itself, or a function that returns a fresh one (tokens from IAM expire). */
  accessToken: string | (() => Promise<string>);
}

export type OpenStackAuth = PasswordAuth | ApplicationCredentialAuth | TokenAuth | OidcAccessTokenAuth;
