// Fresh access tokens of a deployment's owner, for clouds that take the user's own IAM token
// (Keystone federation, reference §3.3). The orchestrator must not know libs/auth (rule 3): the
// composition passes its RFC 8693 delegation (`DelegatedTokensService`), which fits this port.

/** Whose token: the deployment's owner, (issuer, subject) as in `createdBy`. */
export interface TokenOwnerRef {
  issuer: string;
  subject: string;
}

export interface AccessTokenSource {
  /**
   * A valid access token of `owner`; `force` skips any cache (after a cloud 401). Rejects when
   * none can be had; a rejection whose error has `permanent: true` (nothing delegated, grant
   * revoked) fails the step at once, any other is retried with backoff.
   */
  accessToken(owner: TokenOwnerRef, options?: { force?: boolean }): Promise<string>;
  /** Drops what was delegated for `owner` (their last deployment is gone). */
  forget(owner: TokenOwnerRef): Promise<void>;
}
