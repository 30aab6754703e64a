// Builds the auth pieces from the validated configuration, so each app wires auth in one call.
import type { BatonConfig } from '@lib/config';
import { AccessTokenVerifier } from './access-token.verifier';
import { BearerAuthenticator } from './bearer.authenticator';
import { DelegatedTokensService, type RefreshTokenStore, type Sealer } from './delegated-tokens.service';
import { IssuerDirectory } from './issuer.directory';
import { LocalAuthenticator } from './local.authenticator';
import { OidcLoginClient } from './login/oidc-login.client';
import type { Authenticator } from './principal.types';
import { TokenExchangeClient } from './token-exchange.client';

/** Everything auth-related one process needs. */
export interface AuthKit {
  /** Bearer verification, or the local user when auth is off. */
  authenticator: Authenticator;
  /** Null when auth is off. */
  directory: IssuerDirectory | null;
  /** Null when auth is off, no client id is configured, or no store/sealer was given. */
  delegatedTokens: DelegatedTokensService | null;
  /** The dashboard's OpenID Connect login; null when auth is off or no client id is configured. */
  login: OidcLoginClient | null;
}

export interface AuthKitOptions {
  /** Where sealed refresh tokens are kept (needed for delegation). */
  store?: RefreshTokenStore;
  /** AES-256-GCM sealing with BATON_SECRET_KEY (`new SecretBox(config.secretKey)` of @lib/persistence). */
  sealer?: Sealer;
  /** Override of the JWKS refetch cooldown (ms); tests use 0. */
  jwksCooldownMs?: number;
}

export function createAuthKit(config: Pick<BatonConfig, 'oidc' | 'httpTimeoutMs'> & Partial<Pick<BatonConfig, 'readRule'>>, options: AuthKitOptions = {}): AuthKit {
  const oidc = config.oidc;
  if (oidc === null) return { authenticator: new LocalAuthenticator(), directory: null, delegatedTokens: null, login: null };
  const directory = new IssuerDirectory({
    issuers: oidc.issuers,
    cacheMs: oidc.jwksCacheMs,
    cooldownMs: options.jwksCooldownMs,
    timeoutMs: config.httpTimeoutMs,
  });
  const verifier = new AccessTokenVerifier(directory, { audience: oidc.audience, clockSkewSeconds: oidc.clockSkewSeconds });
  const delegatedTokens =
    oidc.clientId === null || !options.store || !options.sealer
      ? null
      : new DelegatedTokensService(
          new TokenExchangeClient(directory, { clientId: oidc.clientId, clientSecret: oidc.clientSecret, authMethod: oidc.clientAuthMethod, timeoutMs: config.httpTimeoutMs }),
          options.store,
          options.sealer,
          { clientId: oidc.clientId, scopes: oidc.exchangeScopes, audience: oidc.audience },
        );
  const login =
    oidc.clientId === null
      ? null
      : new OidcLoginClient(directory, { clientId: oidc.clientId, clientSecret: oidc.clientSecret, authMethod: oidc.clientAuthMethod, timeoutMs: config.httpTimeoutMs });
  return { authenticator: new BearerAuthenticator(verifier, oidc.adminGroups, config.readRule ?? 'issuer'), directory, delegatedTokens, login };
}
