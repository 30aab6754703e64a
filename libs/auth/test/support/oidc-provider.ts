// A real OpenID provider for tests: the `oidc-provider` package on a loopback port, real RSA keys,
// real discovery and JWKS, JWT access tokens (resource indicators, RFC 9068 format) and RFC 8693
// token exchange registered as a custom grant. Used by libs/auth's int specs and, by relative
// path, by the API's end-to-end tests: keep this interface stable.
//
//   const idp = await startTestIssuer();
//   const token = await idp.mintToken({ sub: 'alice', groups: ['cms'] });
//   // ... BATON_OIDC_ISSUERS=idp.issuer, BATON_OIDC_AUDIENCE=idp.audience,
//   //     BATON_OIDC_CLIENT_ID=idp.client.id, BATON_OIDC_CLIENT_SECRET=idp.client.secret
//   await idp.rotateKeys();   // new signing key; old one still published
//   await idp.close();
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** What a minted token says about its user. */
export interface MintOptions {
  sub: string;
  /** The `groups` claim; omitted when undefined. */
  groups?: string[];
  /** The `wlcg.groups` claim (values like `/cms`); omitted when undefined. */
  wlcgGroups?: string[];
  /** Space-separated; default `openid profile offline_access`. */
  scope?: string;
  /** Seconds from now; negative mints an already expired token. Default 3600. */
  expiresIn?: number;
  /** The `aud` claim; default the issuer's audience. */
  audience?: string;
  name?: string;
  email?: string;
  /** Extra claims merged into the payload. */
  claims?: Record<string, unknown>;
}

export interface TestIssuer {
  /** The issuer URL (http://127.0.0.1:<port>), exactly the tokens' `iss`. */
  issuer: string;
  /** The `aud` of access tokens by default. */
  audience: string;
  /** A confidential client allowed token exchange, refresh, client credentials and code flow (HTTP Basic). */
  client: { id: string; secret: string };
  /** The same grants, registered for `client_secret_post` (form fields). */
  postClient: { id: string; secret: string };
  /** The `kid` currently signing. */
  currentKid(): string;
  /** A real access token (JWT, RS256) minted by the provider. */
  mintToken(options: MintOptions): Promise<string>;
  /** A token with the current `kid` and this issuer, signed by another key: must be refused. */
  forgeToken(options: MintOptions): Promise<string>;
  /** Starts signing with a new key; the old public key stays in the JWKS (a real rollover). */
  rotateKeys(options?: { dropOld?: boolean }): Promise<void>;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  /** Registers one more redirect URI of the client (e.g. a dashboard started on port 0). */
  allowRedirectUri(uri: string): void;
  /** Users the code flow (dashboard login) logs in as: `setLoginUser('alice')`. */
  setLoginUser(sub: string, profile?: Omit<MintOptions, 'sub'>): void;
  close(): Promise<void>;
}

// Minimal shapes of the oidc-provider objects used here (the package ships no types).
interface TokenModel {
  save(): Promise<string>;
  expiration: number;
  resourceServer: unknown;
}
interface ProviderInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  registerGrantType(name: string, handler: (ctx: OidcContext) => Promise<void>, params: string[]): void;
  Client: { find(id: string): Promise<unknown> };
  AccessToken: new (init: Record<string, unknown>) => TokenModel;
  RefreshToken: new (init: Record<string, unknown>) => TokenModel;
  Grant: new (init: Record<string, unknown>) => { addOIDCScope(s: string): void; addResourceScope(r: string, s: string): void; save(): Promise<string> };
  ResourceServer: new (identifier: string, info: Record<string, unknown>) => unknown;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ uid: string; prompt: { name: string }; params: Record<string, unknown> }>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, opts?: Record<string, unknown>): Promise<void>;
}
interface OidcContext {
  oidc: { params: Record<string, string | undefined>; client: { clientId: string } };
  body: unknown;
  status: number;
}
type ProviderClass = new (issuer: string, config: Record<string, unknown>) => ProviderInstance;
interface ProviderModule {
  default: ProviderClass;
  errors: { InvalidGrant: new (description: string) => Error; InvalidRequest: new (description: string) => Error };
}

interface SigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

async function newKey(kid: string = randomUUID()): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateJwk, publicJwk };
}

/** Starts a provider on 127.0.0.1 with a free port. */
export async function startTestIssuer(options: { audience?: string; redirectUris?: string[] } = {}): Promise<TestIssuer> {
  // ESM-only package, typed here by hand. Imported by absolute file URL so it loads the same
  // under vitest, tsx (the bench) and compiled CommonJS (which would rewrite a bare import()).
  const url = pathToFileURL(require.resolve('oidc-provider')).href;
  const { default: Provider, errors } = (await import(url)) as ProviderModule;
  const audience = options.audience ?? 'baton-api';
  // RFC 8707 resource indicator (an absolute URI); the tokens' `aud` is `audience`.
  const resource = 'urn:baton:api';
  const client = { id: 'baton', secret: `secret-${randomUUID()}` };
  const postClient = { id: 'baton-post', secret: `secret-${randomUUID()}` };
  const profiles = new Map<string, Omit<MintOptions, 'sub'>>();
  let loginUser = 'alice';
  const redirectUris = [...(options.redirectUris ?? ['http://127.0.0.1/callback'])];
  let keys: SigningKey[] = [await newKey()];
  let jwksCount = 0;
  let handler: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
  let provider: ProviderInstance;

  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/jwks')) jwksCount += 1;
    if (req.url?.startsWith('/interaction/')) {
      void finishInteraction(req, res);
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const resourceServerInfo = {
    scope: 'openid profile email offline_access fts:submit-transfer',
    audience,
    accessTokenFormat: 'jwt',
    accessTokenTTL: 3600,
  };

  // Per-token overrides (expiry in the past, another audience, the minted profile) applied when the JWT is formatted.
  const overrides = new WeakMap<object, { exp?: number; aud?: string; profile?: Omit<MintOptions, 'sub'> }>();

  // Groups and profile put into access tokens (RFC 9068 extras): a minted token carries exactly
  // what mintToken() was given; tokens from exchange or refresh carry the user's last profile.
  const extraClaims = (token: object & { accountId?: string }): Record<string, unknown> => {
    const p = overrides.get(token)?.profile ?? (token.accountId ? profiles.get(token.accountId) : undefined) ?? {};
    const out: Record<string, unknown> = { ...(p.claims ?? {}) };
    if (p.groups) out.groups = p.groups;
    if (p.wlcgGroups) out['wlcg.groups'] = p.wlcgGroups;
    if (p.name) out.name = p.name;
    if (p.email) out.email = p.email;
    return out;
  };


  function build(): ProviderInstance {
    const p = new Provider(issuer, {
      clients: [client, postClient].map((c) => ({
        client_id: c.id,
        client_secret: c.secret,
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials', TOKEN_EXCHANGE_GRANT],
        response_types: ['code'],
        redirect_uris: redirectUris,
        token_endpoint_auth_method: c === client ? 'client_secret_basic' : 'client_secret_post',
        scope: resourceServerInfo.scope,
      })),
      jwks: { keys: keys.map((k) => k.privateJwk) },
      scopes: ['openid', 'profile', 'email', 'offline_access', 'fts:submit-transfer'],
      claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'groups'], email: ['email'] },
      findAccount: (_ctx: unknown, sub: string) => ({
        accountId: sub,
        claims: () => ({ sub, name: profiles.get(sub)?.name ?? sub, email: profiles.get(sub)?.email, groups: profiles.get(sub)?.groups }),
      }),
      extraTokenClaims: (_ctx: unknown, token: { accountId?: string }) => extraClaims(token),
      formats: {
        customizers: {
          jwt: (_ctx: unknown, token: object, jwt: { payload: Record<string, unknown> }) => {
            const o = overrides.get(token);
            if (o?.exp !== undefined) {
              jwt.payload.exp = o.exp;
              jwt.payload.iat = Math.min(Number(jwt.payload.iat), o.exp - 60);
            }
            if (o?.aud !== undefined) jwt.payload.aud = o.aud;
          },
        },
      },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => resource,
          useGrantedResource: () => true,
          getResourceServerInfo: () => resourceServerInfo,
        },
      },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      rotateRefreshToken: true,
      issueRefreshToken: () => true,
      pkce: { required: () => false },
      ttl: { AccessToken: 3600, RefreshToken: 86_400, Grant: 86_400, Session: 86_400, Interaction: 600, AuthorizationCode: 60, IdToken: 1800, ClientCredentials: 600 },
    });
    p.registerGrantType(TOKEN_EXCHANGE_GRANT, (ctx) => tokenExchange(p, ctx), ['subject_token', 'subject_token_type', 'audience', 'scope', 'requested_token_type']);
    return p;
  }

  // RFC 8693 §2: verify the subject token (one of ours), then issue an access token and a refresh
  // token of the calling client for the same user, bound to a grant the refresh flow can load.
  async function tokenExchange(p: ProviderInstance, ctx: OidcContext): Promise<void> {
    const { params, client: caller } = ctx.oidc;
    if (params.subject_token_type !== ACCESS_TOKEN_TYPE) throw new errors.InvalidRequest('unsupported subject_token_type');
    let sub: string;
    let granted: string[];
    try {
      const { payload } = await jwtVerify(params.subject_token ?? '', createLocalJWKSet({ keys: keys.map((k) => k.publicJwk) }), { issuer });
      sub = String(payload.sub);
      granted = String(payload.scope ?? '').split(' ');
    } catch {
      throw new errors.InvalidGrant('subject_token is invalid or expired');
    }
    const requested = (params.scope ?? granted.join(' ')).split(' ').filter((s) => s !== '');
    const notGranted = requested.filter((s) => !granted.includes(s));
    if (notGranted.length > 0) throw new errors.InvalidGrant(`subject_token lacks ${notGranted.join(' ')}`);
    const scope = requested.join(' ');
    const clientModel = await p.Client.find(caller.clientId);
    const grant = new p.Grant({ accountId: sub, clientId: caller.clientId });
    grant.addOIDCScope(requested.filter((s) => ['openid', 'profile', 'email', 'offline_access'].includes(s)).join(' '));
    grant.addResourceScope(resource, scope);
    const grantId = await grant.save();
    const at = new p.AccessToken({ accountId: sub, client: clientModel, grantId, gty: 'token-exchange', scope });
    at.resourceServer = new p.ResourceServer(resource, resourceServerInfo);
    const accessToken = await at.save();
    const body: Record<string, unknown> = {
      access_token: accessToken,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: at.expiration,
      scope,
    };
    if (requested.includes('offline_access')) {
      const rt = new p.RefreshToken({ accountId: sub, client: clientModel, grantId, gty: 'token-exchange', scope, resource });
      body.refresh_token = await rt.save();
    }
    ctx.body = body;
  }

  async function finishInteraction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const details = await provider.interactionDetails(req, res);
      const result =
        details.prompt.name === 'login'
          ? { login: { accountId: loginUser } }
          : { consent: { grantId: await consentGrant(details.params) } };
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
    } catch (e) {
      res.statusCode = 500;
      res.end(String(e));
    }
  }

  // The code flow's consent step: grant what the client asked for, to the default resource.
  async function consentGrant(params: Record<string, unknown>): Promise<string> {
    const grant = new provider.Grant({ accountId: loginUser, clientId: String(params.client_id) });
    grant.addOIDCScope(String(params.scope ?? 'openid'));
    grant.addResourceScope(resource, String(params.scope ?? 'openid'));
    return grant.save();
  }

  function install(): void {
    provider = build();
    handler = provider.callback();
  }
  install();

  async function mint(opts: MintOptions): Promise<string> {
    profiles.set(opts.sub, opts);
    const clientModel = await provider.Client.find(client.id);
    const at = new provider.AccessToken({
      accountId: opts.sub,
      client: clientModel,
      gty: 'test',
      scope: opts.scope ?? 'openid profile offline_access',
      expiresIn: opts.expiresIn !== undefined && opts.expiresIn > 0 ? opts.expiresIn : 3600,
    });
    at.resourceServer = new provider.ResourceServer(resource, resourceServerInfo);
    const o: { exp?: number; aud?: string; profile?: Omit<MintOptions, 'sub'> } = { profile: opts };
    if (opts.expiresIn !== undefined && opts.expiresIn <= 0) o.exp = Math.floor(Date.now() / 1000) + opts.expiresIn;
    if (opts.audience !== undefined) o.aud = opts.audience;
    overrides.set(at, o);
    return at.save();
  }

  return {
    issuer,
    audience,
    client,
    postClient,
    currentKid: () => keys[0].kid,
    mintToken: mint,
    async forgeToken(opts) {
      const evil = await newKey(keys[0].kid);
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ scope: opts.scope ?? 'openid profile offline_access', groups: opts.groups, client_id: client.id, ...opts.claims })
        .setProtectedHeader({ alg: 'RS256', kid: evil.kid, typ: 'at+jwt' })
        .setIssuer(issuer)
        .setSubject(opts.sub)
        .setAudience(opts.audience ?? audience)
        .setIssuedAt(now)
        .setExpirationTime(now + (opts.expiresIn ?? 3600))
        .setJti(randomUUID())
        .sign(await importPrivate(evil.privateJwk));
    },
    async rotateKeys(opts = {}) {
      const fresh = await newKey();
      keys = opts.dropOld ? [fresh] : [fresh, ...keys];
      install();
    },
    jwksFetches: () => jwksCount,
    allowRedirectUri(uri) {
      if (!redirectUris.includes(uri)) redirectUris.push(uri);
      install();
    },
    setLoginUser(sub, profile = {}) {
      loginUser = sub;
      profiles.set(sub, profile);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function importPrivate(jwk: JWK): Promise<Parameters<SignJWT['sign']>[0]> {
  return importJWK(jwk, 'RS256');
}
