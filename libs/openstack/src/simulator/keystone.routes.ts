// Keystone v3 (identity) of the simulator: password, application-credential, token and federated
// OIDC logins, token validation, and version discovery. Bodies follow Keystone 22 (Zed).
import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { OidcProviderConfig, SimContext } from './sim-context';
import { json, obj, SimHttpError, type SimRequest, SimRouter, type SimResponse, str } from './sim-http';
import { hexId, type SimToken, type SimUser } from './sim-state';

const UNAUTHORIZED = 'The request you have made requires authentication.';
const ROLE_IDS: Record<string, string> = { admin: 'f849090e118a47f486d1c7fd7c77c7cb', member: '06d9ca7845594883bac460c1a58d0911', reader: '5ea172c4b87a41b58e2d14d4fa2bdb11' };

export interface KeystoneSettings {
  tokenLifetimeSeconds: number;
}

export function keystoneRoutes(ctx: SimContext, settings: KeystoneSettings): SimRouter {
  const keySets = new Map<string, JWTVerifyGetKey>();
  const keySet = (p: OidcProviderConfig): JWTVerifyGetKey => {
    let ks = keySets.get(p.id);
    if (!ks) {
      ks = typeof p.jwks === 'string' ? createRemoteJWKSet(new URL(p.jwks)) : createLocalJWKSet(p.jwks as Parameters<typeof createLocalJWKSet>[0]);
      keySets.set(p.id, ks);
    }
    return ks;
  };

  const issue = (req: SimRequest, user: SimUser, projectId: string | undefined, methods: string[], extra: Partial<SimToken> = {}): SimResponse => {
    const now = Date.now();
    const token: SimToken = {
      value: 'gAAAAA' + randomBytes(96).toString('base64url'),
      userId: user.id,
      projectId,
      methods,
      issuedAt: now,
      expiresAt: now + settings.tokenLifetimeSeconds * 1000,
      auditId: randomBytes(16).toString('base64url').slice(0, 22),
      ...extra,
    };
    ctx.state.tokens.set(token.value, token);
    return json(201, tokenBody(req, token), { 'X-Subject-Token': token.value });
  };

  const tokenBody = (req: SimRequest, token: SimToken): Record<string, unknown> => {
    const user = ctx.state.users.get(token.userId)!;
    const userDomain = domainRef(user.domainId);
    const body: Record<string, unknown> = {
      methods: token.methods,
      user: user.federated
        ? {
            domain: { id: 'Federated', name: 'Federated' },
            id: user.id,
            name: user.name,
            'OS-FEDERATION': { identity_provider: { id: user.federated.idp }, protocol: { id: user.federated.protocol }, groups: [] },
          }
        : { domain: userDomain, id: user.id, name: user.name, password_expires_at: null },
      audit_ids: [token.auditId],
      expires_at: keystoneTime(token.expiresAt),
      issued_at: keystoneTime(token.issuedAt),
    };
    if (token.projectId) {
      const project = ctx.state.projects.get(token.projectId)!;
      body['project'] = { domain: domainRef(project.domainId), id: project.id, name: project.name };
      body['is_domain'] = false;
      body['roles'] = (user.roles.get(project.id) ?? []).map((name) => ({ id: ROLE_IDS[name] ?? hexId(), name }));
      body['catalog'] = ctx.catalog(req.origin, project.id);
      if (token.appCredentialId) {
        const cred = ctx.state.appCredentials.get(token.appCredentialId)!;
        body['application_credential'] = { id: cred.id, name: cred.name, restricted: true };
      }
    }
    return { token: body };
  };

  const resolveProject = (scope: Record<string, unknown> | undefined, user: SimUser): string | undefined => {
    const project = obj(scope, 'project');
    if (!project) return undefined;
    const id = str(project, 'id');
    const found = id
      ? ctx.state.projects.get(id)
      : ctx.state.projectByName(str(project, 'name') ?? '', domainIdOf(obj(project, 'domain')) ?? '');
    if (!found) throw new SimHttpError(401, UNAUTHORIZED);
    if (!user.roles.has(found.id)) throw new SimHttpError(401, UNAUTHORIZED);
    return found.id;
  };

  const findUser = (userRef: Record<string, unknown> | undefined): SimUser | undefined => {
    if (!userRef) return undefined;
    const id = str(userRef, 'id');
    if (id) return ctx.state.users.get(id);
    return ctx.state.userByName(str(userRef, 'name') ?? '', domainIdOf(obj(userRef, 'domain')) ?? '');
  };

  const federatedAuth = async (req: SimRequest): Promise<SimResponse> => {
    const provider = ctx.oidcProviders.find((p) => p.id === req.params['idp'] && p.protocol === req.params['protocol']);
    if (!provider) throw new SimHttpError(404, `Could not find Identity Provider: ${req.params['idp']}.`);
    const header = req.headers['authorization'] ?? '';
    const bearer = /^Bearer (.+)$/i.exec(header)?.[1];
    if (!bearer) throw new SimHttpError(401, UNAUTHORIZED);
    let subject: string;
    let name: string;
    try {
      const { payload } = await jwtVerify(bearer, keySet(provider), { issuer: provider.issuer, audience: provider.audience });
      subject = String(payload.sub);
      name = typeof payload['preferred_username'] === 'string' ? payload['preferred_username'] : subject;
    } catch {
      // Keystone does not say why a federated assertion was refused.
      throw new SimHttpError(401, UNAUTHORIZED);
    }
    const userId = federatedUserId(provider.id, subject);
    let user = ctx.state.users.get(userId);
    if (!user) {
      user = { id: userId, name, domainId: 'Federated', roles: new Map(), federated: { idp: provider.id, protocol: provider.protocol, subject } };
      ctx.state.users.set(userId, user);
    }
    for (const projectName of provider.projects ?? []) {
      const project = ctx.state.projectByName(projectName, 'default');
      if (project) user.roles.set(project.id, ['member', 'reader']);
    }
    return issue(req, user, undefined, ['mapped']);
  };

  return new SimRouter()
    .on('GET', '', (req) => json(200, { version: versionDoc(req.origin) }))
    .on('POST', '/auth/tokens', (req) => {
      const auth = obj(req.body, 'auth');
      const identity = obj(auth, 'identity');
      const methods = (identity?.['methods'] as string[] | undefined) ?? [];
      const scope = obj(auth, 'scope');
      if (methods.includes('password')) {
        const userRef = obj(obj(identity, 'password'), 'user');
        const user = findUser(userRef);
        if (!user || user.password === undefined || user.password !== str(userRef, 'password')) throw new SimHttpError(401, UNAUTHORIZED);
        return issue(req, user, resolveProject(scope, user), ['password']);
      }
      if (methods.includes('application_credential')) {
        const ref = obj(identity, 'application_credential');
        const id = str(ref, 'id');
        let cred = id ? ctx.state.appCredentials.get(id) : undefined;
        if (!id) {
          const owner = findUser(obj(ref, 'user'));
          cred = [...ctx.state.appCredentials.values()].find((c) => c.name === str(ref, 'name') && c.userId === owner?.id);
        }
        if (!cred || cred.secret !== str(ref, 'secret')) throw new SimHttpError(401, UNAUTHORIZED);
        const user = ctx.state.users.get(cred.userId)!;
        return issue(req, user, cred.projectId, ['application_credential'], { appCredentialId: cred.id });
      }
      if (methods.includes('token')) {
        const old = ctx.state.tokens.get(str(obj(identity, 'token'), 'id') ?? '');
        if (!old || old.expiresAt <= Date.now()) throw new SimHttpError(401, UNAUTHORIZED);
        const user = ctx.state.users.get(old.userId)!;
        // A rescoped token keeps the original methods and never outlives the original.
        return issue(req, user, resolveProject(scope, user) ?? old.projectId, [...new Set([...old.methods, 'token'])], {
          expiresAt: old.expiresAt,
          auditId: old.auditId,
        });
      }
      throw new SimHttpError(400, 'Invalid input for field \'identity\': the methods are not supported.');
    })
    .on('GET', '/auth/tokens', (req) => {
      ctx.authenticateAny(req);
      const subject = req.headers['x-subject-token'];
      const token = typeof subject === 'string' ? ctx.state.tokens.get(subject) : undefined;
      if (!token || token.expiresAt <= Date.now()) throw new SimHttpError(404, `Could not find token: ${typeof subject === 'string' ? subject.slice(0, 8) : ''}.`);
      return json(200, tokenBody(req, token), { 'X-Subject-Token': token.value });
    })
    .on('DELETE', '/auth/tokens', (req) => {
      ctx.authenticateAny(req);
      const subject = req.headers['x-subject-token'];
      if (typeof subject === 'string') ctx.state.tokens.delete(subject);
      return json(204);
    })
    .on('GET', '/auth/projects', (req) => {
      const token = ctx.authenticateAny(req);
      const user = ctx.state.users.get(token.userId)!;
      const projects = [...user.roles.keys()].map((id) => projectJson(req, ctx, id));
      return json(200, { links: { self: `${req.origin}/identity/v3/auth/projects`, previous: null, next: null }, projects });
    })
    .on('GET', '/auth/catalog', (req) => {
      const token = ctx.authenticateAny(req);
      if (!token.projectId) throw new SimHttpError(403, 'A project-scoped token is required to produce a service catalog.');
      return json(200, { catalog: ctx.catalog(req.origin, token.projectId), links: { self: `${req.origin}/identity/v3/auth/catalog`, previous: null, next: null } });
    })
    .on('GET', '/projects/:id', (req) => {
      ctx.authenticateAny(req);
      if (!ctx.state.projects.has(req.params['id'])) throw new SimHttpError(404, `Could not find project: ${req.params['id']}.`);
      return json(200, { project: projectJson(req, ctx, req.params['id']) });
    })
    .on('GET', '/projects', (req) => {
      ctx.authenticateAny(req);
      const name = req.query.get('name');
      const projects = [...ctx.state.projects.values()].filter((p) => !name || p.name === name).map((p) => projectJson(req, ctx, p.id));
      return json(200, { links: { self: `${req.origin}/identity/v3/projects`, previous: null, next: null }, projects });
    })
    .on('POST', '/users/:id/application_credentials', (req) => {
      const token = ctx.authenticateAny(req);
      if (token.userId !== req.params['id'] || !token.projectId) throw new SimHttpError(403, 'You are not authorized to perform the requested action: identity:create_application_credential.');
      const ref = obj(req.body, 'application_credential');
      const name = str(ref, 'name');
      if (!name) throw new SimHttpError(400, "Invalid input for field 'application_credential': 'name' is a required property");
      const cred = { id: hexId(), name, secret: str(ref, 'secret') ?? randomBytes(48).toString('base64url'), userId: token.userId, projectId: token.projectId };
      ctx.state.appCredentials.set(cred.id, cred);
      return json(201, {
        application_credential: {
          id: cred.id,
          name: cred.name,
          secret: cred.secret,
          project_id: cred.projectId,
          user_id: cred.userId,
          description: str(ref, 'description') ?? null,
          expires_at: null,
          unrestricted: false,
          roles: (ctx.state.users.get(cred.userId)!.roles.get(cred.projectId) ?? []).map((n) => ({ id: ROLE_IDS[n], name: n, domain_id: null })),
          access_rules: [],
          links: { self: `${req.origin}/identity/v3/users/${cred.userId}/application_credentials/${cred.id}` },
        },
      });
    })
    .on('POST', '/OS-FEDERATION/identity_providers/:idp/protocols/:protocol/auth', federatedAuth)
    .on('GET', '/OS-FEDERATION/identity_providers/:idp/protocols/:protocol/auth', federatedAuth);
}

function projectJson(req: SimRequest, ctx: SimContext, id: string): Record<string, unknown> {
  const p = ctx.state.projects.get(id)!;
  return {
    id: p.id,
    name: p.name,
    domain_id: p.domainId,
    description: '',
    enabled: true,
    parent_id: p.domainId,
    is_domain: false,
    tags: [],
    options: {},
    links: { self: `${req.origin}/identity/v3/projects/${p.id}` },
  };
}

function domainIdOf(domain: Record<string, unknown> | undefined): string | undefined {
  if (!domain) return undefined;
  const id = str(domain, 'id');
  if (id) return id;
  const name = str(domain, 'name');
  return name === 'Default' ? 'default' : name;
}

function domainRef(domainId: string): { id: string; name: string } {
  return domainId === 'default' ? { id: 'default', name: 'Default' } : { id: domainId, name: domainId };
}

function federatedUserId(idp: string, subject: string): string {
  return Buffer.from(`${idp}:${subject}`).toString('hex').slice(0, 32).padEnd(32, '0');
}

/** Keystone prints microseconds: 2026-11-23T15:48:59.000000Z. */
export function keystoneTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '.000000Z');
}

export function versionDoc(origin: string): Record<string, unknown> {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${origin}/identity/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}
