// Public door of libs/auth (STYLE.md rule 2). Named exports only. Imports leaf libs only
// (@lib/config); the Nest pieces are thin wrappers over plain classes.

/**
 * Builds the authenticator (bearer JWT, or the local user when auth is off) and the delegated
 * token service (RFC 8693) from the validated configuration.
 *
 * @example
 * ```ts
 * import { loadConfig } from '@lib/config';
 * import { SecretBox } from '@lib/persistence';
 * import { createAuthKit, InMemoryRefreshTokenStore } from '@lib/auth';
 * const config = loadConfig();
 * const auth = createAuthKit(config, { store: new InMemoryRefreshTokenStore(), sealer: new SecretBox(config.secretKey) });
 * const caller = await auth.authenticator.authenticate(req.headers.authorization, { write: false });
 * ```
 */
export { createAuthKit } from './auth.factory';
export type { AuthKit, AuthKitOptions } from './auth.factory';

/**
 * Who is calling: identity (issuer, subject), groups, admin flag, scopes; and the
 * `Authenticator` interface every authenticator implements.
 *
 * @example
 * ```ts
 * import type { Caller } from '@lib/auth';
 * const owner = (c: Caller) => ({ issuer: c.principal.issuer, subject: c.principal.subject });
 * ```
 */
export type { Authenticator, Caller, GroupClaims, Principal } from './principal.types';

/**
 * Verifies bearer access tokens: signed JWTs of an allow-listed issuer, checked against the
 * issuer's JWKS (discovery, cached, one refetch on an unknown `kid`), `exp`/`nbf` with skew,
 * audience where configured.
 *
 * @example
 * ```ts
 * import { AccessTokenVerifier, IssuerDirectory } from '@lib/auth';
 * const directory = new IssuerDirectory({ issuers: ['https://iam.example.org/'], cacheMs: 600_000, timeoutMs: 10_000 });
 * const verifier = new AccessTokenVerifier(directory, { audience: 'baton', clockSkewSeconds: 30 });
 * const { issuer, subject, claims } = await verifier.verify(token);
 * ```
 */
export { AccessTokenVerifier } from './access-token.verifier';
export type { AccessTokenVerifierOptions, VerifiedToken } from './access-token.verifier';

/**
 * Discovery documents and JWKS of the allow-listed issuers, fetched lazily and cached; nothing
 * outside the allow-list is ever fetched.
 *
 * @example
 * ```ts
 * import { IssuerDirectory } from '@lib/auth';
 * const directory = new IssuerDirectory({ issuers: ['https://iam.example.org/'], cacheMs: 600_000, timeoutMs: 10_000 });
 * const { token_endpoint } = await directory.metadata('https://iam.example.org/');
 * ```
 */
export { IssuerDirectory } from './issuer.directory';
export type { IssuerDirectoryOptions, IssuerMetadata } from './issuer.directory';

/**
 * Authenticates an `Authorization` header (`Bearer`, any case) with the reference's scope rules:
 * `openid` and `profile` always, plus `offline_access` or `fts:submit-transfer` for writes.
 *
 * @example
 * ```ts
 * import { BearerAuthenticator } from '@lib/auth';
 * const auth = new BearerAuthenticator(verifier, [{ issuer: null, group: 'orchestrator-admins' }]);
 * const caller = await auth.authenticate('bearer eyJ...', { write: true });
 * ```
 */
export { BearerAuthenticator, bearerToken } from './bearer.authenticator';

/**
 * The no-auth mode: every caller is one local user (admin, owner of everything).
 *
 * @example
 * ```ts
 * import { LocalAuthenticator, LOCAL_ISSUER } from '@lib/auth';
 * const caller = await new LocalAuthenticator().authenticate(undefined, { write: true });
 * caller.principal.issuer === LOCAL_ISSUER; // true
 * ```
 */
export { LOCAL_ISSUER, LOCAL_SUBJECT, LocalAuthenticator } from './local.authenticator';

/**
 * The pure authorization rules: scopes, group claims, admin, the userGroup rule (reference §3.2)
 * and owner-only writes. They throw `ForbiddenError` / `InsufficientScopeError`.
 *
 * @example
 * ```ts
 * import { checkOwner, checkUserGroup } from '@lib/auth';
 * if (body.userGroup) checkUserGroup(caller.groupClaims, body.userGroup); // 403 unless a member
 * checkOwner(caller, deployment.createdBy); // 403 unless the owner
 * if (!canRead(caller, deployment)) throw notFound; // BATON_READ_RULE: issuer (default) or owner
 * ```
 */
export {
  canRead,
  checkOwner,
  checkUserGroup,
  isAdmin,
  principalOf,
  readGroupClaims,
  readScopes,
  READ_SCOPES,
  requireScopes,
  WRITE_SCOPES,
} from './access-rules';

/**
 * RFC 8693 token exchange and refresh at an issuer's token endpoint.
 *
 * @example
 * ```ts
 * import { TokenExchangeClient } from '@lib/auth';
 * const client = new TokenExchangeClient(directory, { clientId: 'baton', clientSecret: 's', timeoutMs: 10_000 });
 * const set = await client.exchange(issuer, userAccessToken, { scopes: ['openid', 'profile', 'offline_access'] });
 * const fresh = await client.refresh(issuer, set.refreshToken!);
 * ```
 */
export { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT, TokenExchangeClient } from './token-exchange.client';
export type { TokenExchangeClientOptions, TokenSet } from './token-exchange.client';
export type { ClientCredentials } from './client-auth';

/**
 * Delegation to clouds: exchange the caller's token once, keep the refresh token sealed
 * (AES-256-GCM through a `Sealer`), hand out fresh access tokens later.
 *
 * @example
 * ```ts
 * import { DelegatedTokensService, InMemoryRefreshTokenStore } from '@lib/auth';
 * await delegated.delegate(caller.principal, caller.accessToken!); // on POST/PUT/DELETE
 * const at = await delegated.accessToken({ issuer, subject });    // later, in a worker
 * const retry = await delegated.accessToken({ issuer, subject }, { force: true }); // after a cloud 401
 * ```
 */
export { DelegatedTokensService, InMemoryRefreshTokenStore } from './delegated-tokens.service';
export type { DelegatedTokensOptions, RefreshTokenStore, Sealer, TokenOwner } from './delegated-tokens.service';

/**
 * OpenID Connect login (authorization code + PKCE + nonce) for the dashboard; the ID token is
 * verified against the issuer's JWKS.
 *
 * @example
 * ```ts
 * import { OidcLoginClient } from '@lib/auth';
 * const login = new OidcLoginClient(directory, { clientId: 'baton', clientSecret: 's', timeoutMs: 10_000 });
 * const { url, pending } = await login.begin(issuer, 'http://127.0.0.1:8081/auth/callback'); // redirect to url
 * const result = await login.finish(req.query, pending); // result.accessToken calls the API
 * ```
 */
export { OidcLoginClient } from './login/oidc-login.client';
export type { LoginResult, OidcLoginOptions, PendingLogin } from './login/oidc-login.client';

/**
 * The error family of libs/auth; map `code` at the edge (README.md has the status table).
 *
 * @example
 * ```ts
 * import { AuthError } from '@lib/auth';
 * if (e instanceof AuthError) return e.code === 'insufficient_scope' || e.code === 'forbidden' ? 403 : 401;
 * ```
 */
export {
  AuthError,
  ExpiredTokenError,
  ForbiddenError,
  InsufficientScopeError,
  InvalidTokenError,
  IssuerUnavailableError,
  MissingTokenError,
  TokenExchangeError,
  UnknownIssuerError,
} from './errors';
export type { AuthErrorCode } from './errors';

/**
 * Nest pieces: a global guard over an `Authenticator`, route decorators, `@CurrentUser()`.
 *
 * @example
 * ```ts
 * import { AuthModule, CurrentUser, Public, RequiresWriteScope, type Caller } from '@lib/auth';
 * @Module({ imports: [AuthModule.register(auth.authenticator)] }) class AppModule {}
 * class C { @Post() @RequiresWriteScope() create(@CurrentUser() caller: Caller) {} }
 * ```
 */
export { AuthModule } from './nest/auth.module';

/**
 * The global guard `AuthModule` installs: public routes pass, others are authenticated, with
 * the write scope on `@RequiresWriteScope()` routes. AuthErrors go to the app's filter.
 *
 * @example
 * ```ts
 * import { AUTHENTICATOR, BearerAuthGuard } from '@lib/auth';
 * providers: [{ provide: AUTHENTICATOR, useValue: authenticator }, { provide: APP_GUARD, useClass: BearerAuthGuard }];
 * ```
 */
export { BearerAuthGuard } from './nest/bearer-auth.guard';

/**
 * Route decorators (`@Public()`, `@RequiresWriteScope()`) and the `@CurrentUser()` parameter.
 *
 * @example
 * ```ts
 * import { CurrentUser, Public, RequiresWriteScope, type Caller } from '@lib/auth';
 * class C { @Get() @Public() root() { return 'INDIGO-Orchestrator'; } @Delete(':id') @RequiresWriteScope() del(@CurrentUser() c: Caller) {} }
 * ```
 */
export { CurrentUser, Public, RequiresWriteScope } from './nest/auth.decorators';

/**
 * The guard's injection token and metadata keys, and where it leaves the caller (`req.caller`).
 *
 * @example
 * ```ts
 * import { CALLER_KEY, type Caller } from '@lib/auth';
 * const caller = (req as Record<string, unknown>)[CALLER_KEY] as Caller | undefined;
 * ```
 */
export { AUTHENTICATOR, CALLER_KEY, PUBLIC_ROUTE, WRITE_ROUTE } from './nest/auth.tokens';
