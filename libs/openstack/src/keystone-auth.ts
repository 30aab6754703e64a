// Keystone v3 authentication: builds the POST /v3/auth/tokens body for each method, runs the
// federated OIDC exchange, and reads the token (from X-Subject-Token) with its catalog.
import type { OpenStackAuth, ProjectScope } from './auth.types';
import type { CatalogEntry } from './catalog';
import { toHttpError } from './error-mapping';
import { OpenStackInvalidResponseError } from './errors';
import type { HttpResponse, HttpTransport } from './http.transport';

/** A scoped token with what the client needs from it. The `value` is a secret. */
export interface KeystoneToken {
  value: string;
  expiresAt: number;
  issuedAt: number;
  projectId: string;
  projectName?: string;
  userId: string;
  catalog: CatalogEntry[];
}

export interface KeystoneCallContext {
  transport: HttpTransport;
  authUrl: string;
  signal?: AbortSignal;
  timeoutMs: number;
}

/** Authenticates and returns a project-scoped (or credential-scoped) token with its catalog. */
export async function authenticate(ctx: KeystoneCallContext, auth: OpenStackAuth): Promise<KeystoneToken> {
  switch (auth.type) {
    case 'password':
      return issue(ctx, { methods: ['password'], password: { user: user(auth, auth.password) } }, scope(auth));
    case 'application_credential': {
      const credential: Record<string, unknown> = { secret: auth.secret };
      if (auth.applicationCredentialId) credential['id'] = auth.applicationCredentialId;
      else {
        credential['name'] = auth.applicationCredentialName;
        credential['user'] = user(auth);
      }
      return issue(ctx, { methods: ['application_credential'], application_credential: credential }, undefined);
    }
    case 'token':
      return issue(ctx, { methods: ['token'], token: { id: auth.token } }, scope(auth));
    case 'oidc_access_token': {
      const accessToken = typeof auth.accessToken === 'string' ? auth.accessToken : await auth.accessToken();
      const unscoped = await federatedUnscopedToken(ctx, auth.identityProvider, auth.protocol, accessToken);
      const projectScope = scope(auth) ?? { project: { id: await firstProjectId(ctx, unscoped) } };
      return issue(ctx, { methods: ['token'], token: { id: unscoped } }, projectScope);
    }
  }
}

function user(
  who: { userId?: string; username?: string; userDomainName?: string; userDomainId?: string },
  password?: string,
): Record<string, unknown> {
  const result: Record<string, unknown> = who.userId
    ? { id: who.userId }
    : { name: who.username, domain: who.userDomainId ? { id: who.userDomainId } : { name: who.userDomainName ?? 'Default' } };
  if (password !== undefined) result['password'] = password;
  return result;
}

function scope(project: ProjectScope): Record<string, unknown> | undefined {
  if (project.projectId) return { project: { id: project.projectId } };
  if (!project.projectName) return undefined;
  const domain = project.projectDomainId ? { id: project.projectDomainId } : { name: project.projectDomainName ?? 'Default' };
  return { project: { name: project.projectName, domain } };
}

async function post(ctx: KeystoneCallContext, path: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
  const response = await ctx.transport.send({
    method: 'POST',
    url: new URL(ctx.authUrl.replace(/\/+$/, '') + path),
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: ctx.signal,
    timeoutMs: ctx.timeoutMs,
    label: { service: 'identity', path: path.replace(/\/identity_providers\/[^/]+\/protocols\/[^/]+/, '/identity_providers/{idp}/protocols/{protocol}') },
  });
  if (response.status >= 400) throw failed(response, 'POST', path);
  return response;
}

function failed(response: HttpResponse, method: string, path: string): Error {
  return toHttpError(
    { status: response.status, method, service: 'identity', path, requestId: requestIdOf(response) },
    response.body,
    header(response, 'content-type'),
  );
}

async function issue(ctx: KeystoneCallContext, identity: Record<string, unknown>, scoped: Record<string, unknown> | undefined): Promise<KeystoneToken> {
  const auth: Record<string, unknown> = { identity };
  if (scoped) auth['scope'] = scoped;
  const response = await post(ctx, '/auth/tokens', { auth });
  return readToken(response);
}

async function federatedUnscopedToken(ctx: KeystoneCallContext, idp: string, protocol: string, accessToken: string): Promise<string> {
  const path = `/OS-FEDERATION/identity_providers/${encodeURIComponent(idp)}/protocols/${encodeURIComponent(protocol)}/auth`;
  const response = await post(ctx, path, undefined, { authorization: `Bearer ${accessToken}` });
  const token = header(response, 'x-subject-token');
  if (!token) throw new OpenStackInvalidResponseError('identity federated auth', 'no X-Subject-Token header');
  return token;
}

async function firstProjectId(ctx: KeystoneCallContext, unscopedToken: string): Promise<string> {
  const response = await ctx.transport.send({
    method: 'GET',
    url: new URL(`${ctx.authUrl.replace(/\/+$/, '')}/auth/projects`),
    headers: { accept: 'application/json', 'x-auth-token': unscopedToken },
    signal: ctx.signal,
    timeoutMs: ctx.timeoutMs,
    label: { service: 'identity', path: '/auth/projects' },
  });
  if (response.status >= 400) throw failed(response, 'GET', '/auth/projects');
  const projects = (JSON.parse(response.body) as { projects?: { id: string; enabled?: boolean }[] }).projects ?? [];
  const usable = projects.find((p) => p.enabled !== false);
  if (!usable) throw new OpenStackInvalidResponseError('identity federated auth', 'the user may use no project');
  return usable.id;
}

interface TokenBody {
  token?: {
    expires_at?: string;
    issued_at?: string;
    project?: { id: string; name?: string };
    application_credential?: { id: string };
    user?: { id: string };
    catalog?: CatalogEntry[];
  };
}

function readToken(response: HttpResponse): KeystoneToken {
  const value = header(response, 'x-subject-token');
  if (!value) throw new OpenStackInvalidResponseError('identity POST /auth/tokens', 'no X-Subject-Token header');
  let body: TokenBody;
  try {
    body = JSON.parse(response.body) as TokenBody;
  } catch {
    throw new OpenStackInvalidResponseError('identity POST /auth/tokens', 'body is not JSON');
  }
  const token = body.token;
  if (!token?.expires_at || !token.project || !token.user) {
    throw new OpenStackInvalidResponseError('identity POST /auth/tokens', 'token without expiry, project or user');
  }
  return {
    value,
    expiresAt: Date.parse(token.expires_at),
    issuedAt: token.issued_at ? Date.parse(token.issued_at) : Date.now(),
    projectId: token.project.id,
    projectName: token.project.name,
    userId: token.user.id,
    catalog: token.catalog ?? [],
  };
}

export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function requestIdOf(response: HttpResponse): string | undefined {
  return header(response, 'x-openstack-request-id') ?? header(response, 'x-compute-request-id');
}
