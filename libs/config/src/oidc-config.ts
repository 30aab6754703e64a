// The BATON_OIDC_* variables. Issuers are kept exactly as written: a token's `iss` must equal one
// of them byte for byte (IAM issuers end with `/`, and `https://iam/` ≠ `https://iam`).
import { CLIENT_AUTH_METHODS, type AdminGroupRule, type OidcConfig } from './config.types';
import { isLoopbackHost, type EnvReader } from './env-reader';

const ISSUER_SHAPE = 'comma-separated https issuer URLs (http only on loopback), e.g. https://iam.example.org/';
const ADMIN_SHAPE = 'comma-separated `group` or `issuer|group` entries, e.g. https://iam.example.org/|orchestrator-admins';

export function readOidcConfig(env: EnvReader): OidcConfig | null {
  const issuers = env.list('BATON_OIDC_ISSUERS');
  const clientId = env.raw('BATON_OIDC_CLIENT_ID') ?? null;
  const clientSecret = env.raw('BATON_OIDC_CLIENT_SECRET') ?? null;
  if (issuers.length === 0) {
    // Settings that only make sense with an issuer are a mistake, not something to ignore.
    for (const name of ['BATON_OIDC_AUDIENCE', 'BATON_OIDC_ADMIN_GROUPS', 'BATON_OIDC_CLIENT_ID', 'BATON_OIDC_CLIENT_SECRET', 'BATON_OIDC_CLIENT_AUTH_METHOD']) {
      if (env.raw(name) !== undefined) env.fail(name, 'unset, or BATON_OIDC_ISSUERS set too', 'has no effect without BATON_OIDC_ISSUERS');
    }
    return null;
  }
  for (const issuer of issuers) checkIssuer(env, issuer);
  if (new Set(issuers).size !== issuers.length) env.fail('BATON_OIDC_ISSUERS', ISSUER_SHAPE, 'lists an issuer twice');
  if (clientSecret !== null && clientId === null) {
    env.fail('BATON_OIDC_CLIENT_SECRET', 'set together with BATON_OIDC_CLIENT_ID', 'a client secret without a client id');
  }
  const scopes = env.list('BATON_OIDC_SCOPES').flatMap((s) => s.split(/\s+/));
  return {
    issuers,
    audience: env.raw('BATON_OIDC_AUDIENCE') ?? null,
    adminGroups: readAdminGroups(env, issuers),
    clientId,
    clientSecret,
    clientAuthMethod: env.oneOf('BATON_OIDC_CLIENT_AUTH_METHOD', CLIENT_AUTH_METHODS, 'client_secret_basic'),
    exchangeScopes: scopes.length > 0 ? scopes : ['openid', 'profile', 'offline_access'],
    clockSkewSeconds: env.integer('BATON_OIDC_CLOCK_SKEW_S', 30, 0, 300),
    jwksCacheMs: env.integer('BATON_OIDC_JWKS_CACHE_MS', 600_000, 1_000, 86_400_000),
  };
}

function checkIssuer(env: EnvReader, issuer: string): void {
  const url = env.parseUrl('BATON_OIDC_ISSUERS', issuer, ['https', 'http'], ISSUER_SHAPE);
  if (!url) return;
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    env.fail('BATON_OIDC_ISSUERS', ISSUER_SHAPE, `${issuer} uses http on a non-loopback host (keys would travel unprotected)`);
  } else if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    env.fail('BATON_OIDC_ISSUERS', ISSUER_SHAPE, `${issuer} carries a query, fragment or credentials`);
  }
}

function readAdminGroups(env: EnvReader, issuers: readonly string[]): AdminGroupRule[] {
  const rules: AdminGroupRule[] = [];
  for (const entry of env.list('BATON_OIDC_ADMIN_GROUPS')) {
    const bar = entry.lastIndexOf('|');
    const issuer = bar < 0 ? null : entry.slice(0, bar).trim();
    const group = (bar < 0 ? entry : entry.slice(bar + 1)).trim();
    if (group === '') {
      env.fail('BATON_OIDC_ADMIN_GROUPS', ADMIN_SHAPE, `entry "${entry}" names no group`);
    } else if (issuer !== null && !issuers.includes(issuer)) {
      env.fail('BATON_OIDC_ADMIN_GROUPS', ADMIN_SHAPE, `issuer ${issuer} is not in BATON_OIDC_ISSUERS`);
    } else {
      rules.push({ issuer, group });
    }
  }
  return rules;
}
