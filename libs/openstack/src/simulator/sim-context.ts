// What every service of the simulator shares: the state, the controls, and token checking.
import type { SimControls } from './sim-controls';
import { SimHttpError, type SimRequest } from './sim-http';
import type { SimState, SimToken, SimUser } from './sim-state';

export interface SimAuth {
  token: SimToken;
  user: SimUser;
  projectId: string;
  roles: string[];
  isAdmin: boolean;
}

export interface OidcProviderConfig {
  /** Keystone identity provider id, as in the federation URL. */
  id: string;
  /** Federation protocol id (usually `openid`). */
  protocol: string;
  /** Expected `iss` of the access token. */
  issuer: string;
  /** The provider's keys: a JWKS object or its URL. */
  jwks: { keys: Record<string, unknown>[] } | string;
  /** Expected `aud`, if checked. */
  audience?: string;
  /** Projects (by name, in the Default domain) that a federated user gets the member role on. */
  projects?: string[];
}

export class SimContext {
  constructor(
    readonly state: SimState,
    readonly controls: SimControls,
    readonly region: string,
    readonly oidcProviders: OidcProviderConfig[],
  ) {}

  private readonly authCache = new WeakMap<SimRequest, SimAuth>();

  /** The token of a request (X-Auth-Token), checked like keystonemiddleware does; memoised per request. */
  authenticate(req: SimRequest): SimAuth {
    let auth = this.authCache.get(req);
    if (!auth) {
      auth = this.checkToken(req);
      this.authCache.set(req, auth);
    }
    return auth;
  }

  private checkToken(req: SimRequest): SimAuth {
    const header = req.headers['x-auth-token'];
    const value = Array.isArray(header) ? header[0] : header;
    const token = value ? this.state.tokens.get(value) : undefined;
    if (!token || token.expiresAt <= Date.now() || !token.projectId) {
      throw new SimHttpError(401, 'The request you have made requires authentication.', undefined, {
        'WWW-Authenticate': `Keystone uri="${req.origin}/identity"`,
      });
    }
    const user = this.state.users.get(token.userId);
    if (!user) throw new SimHttpError(401, 'The request you have made requires authentication.');
    const roles = user.roles.get(token.projectId) ?? [];
    return { token, user, projectId: token.projectId, roles, isAdmin: roles.includes('admin') };
  }

  /** Any valid token, scoped or not (Keystone's own API accepts unscoped tokens). */
  authenticateAny(req: SimRequest): SimToken {
    const header = req.headers['x-auth-token'];
    const value = Array.isArray(header) ? header[0] : header;
    const token = value ? this.state.tokens.get(value) : undefined;
    if (!token || token.expiresAt <= Date.now()) throw new SimHttpError(401, 'The request you have made requires authentication.');
    return token;
  }

  /** The Keystone v3 catalog, with URLs on the origin the client used. */
  catalog(origin: string, projectId: string): Record<string, unknown>[] {
    const services: [string, string, string][] = [
      ['identity', 'keystone', `${origin}/identity/v3/`],
      ['compute', 'nova', `${origin}/compute/v2.1`],
      ['network', 'neutron', `${origin}/network`],
      ['image', 'glance', `${origin}/image`],
      ['volumev3', 'cinderv3', `${origin}/volume/v3/${projectId}`],
      ['block-storage', 'cinder', `${origin}/volume/v3/${projectId}`],
    ];
    return services.map(([type, name, url], i) => ({
      endpoints: ['public', 'internal', 'admin'].map((iface, j) => ({
        id: stableId(i * 3 + j),
        interface: iface,
        region_id: this.region,
        url,
        region: this.region,
      })),
      id: stableId(100 + i),
      type,
      name,
    }));
  }
}

function stableId(n: number): string {
  return n.toString(16).padStart(32, '0');
}
