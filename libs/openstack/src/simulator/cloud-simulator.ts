// The OpenStack simulator: Keystone, Nova, Neutron, Glance and Cinder on one loopback HTTP port,
// each under its own path prefix, with in-memory state and an admin API for tests.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminRoutes } from './admin.routes';
import { cinderRoutes } from './cinder.routes';
import {
  CINDER_MAX_MICROVERSION,
  computeVersion,
  computeVersions,
  identityVersions,
  imageVersions,
  networkResources,
  networkVersions,
  volumeVersion,
  volumeVersions,
} from './discovery.routes';
import { glanceRoutes } from './glance.routes';
import { keystoneRoutes } from './keystone.routes';
import { neutronL3Routes } from './neutron-l3.routes';
import { neutronSecurityRoutes } from './neutron-security.routes';
import { neutronRoutes } from './neutron.routes';
import { novaMiscRoutes } from './nova-misc.routes';
import { microversion, requestedMicroversion } from './nova-render';
import { novaServerGroupRoutes } from './nova-server-groups.routes';
import { novaServerRoutes } from './nova-servers.routes';
import { SimControls } from './sim-controls';
import { type OidcProviderConfig, SimContext } from './sim-context';
import { errorResponse, newRequestId, readJsonBody, SimHttpError, type SimRequest, type SimResponse, type SimRouter, type SimService, writeResponse } from './sim-http';
import { seed, type SeedOptions } from './sim-seed';
import { type SimQuota, SimState } from './sim-state';
import { SimulatorAdmin } from './simulator-admin';

export interface CloudSimulatorOptions {
  /** Loopback address to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
  username?: string;
  /** Default: a random one (printed by `baton cloud-sim`). */
  password?: string;
  projectName?: string;
  region?: string;
  /** Default 1000 ms. */
  bootTimeMs?: number;
  /** Time from DELETE to 404 (default 300 ms). */
  deleteTimeMs?: number;
  /** Default 300 ms. */
  volumeTimeMs?: number;
  tokenLifetimeSeconds?: number;
  /** Quota of every project (defaults: a stock Zed deployment's). */
  quota?: Partial<SimQuota>;
  /** Identity providers accepted for federated OIDC logins. */
  oidcProviders?: OidcProviderConfig[];
  images?: SeedOptions['images'];
  flavors?: SeedOptions['flavors'];
}

export interface CloudSimulator {
  /** Keystone v3 URL, e.g. `http://127.0.0.1:PORT/identity/v3`. */
  authUrl: string;
  /** `http://host:port`. */
  url: string;
  username: string;
  password: string;
  projectName: string;
  projectId: string;
  userDomain: string;
  projectDomain: string;
  region: string;
  admin: SimulatorAdmin;
  close(): Promise<void>;
}

const PREFIXES: SimService[] = ['identity', 'compute', 'network', 'image', 'volume', 'admin'];

export async function startCloudSimulator(options: CloudSimulatorOptions = {}): Promise<CloudSimulator> {
  const host = options.host ?? '127.0.0.1';
  const state = new SimState();
  if (options.quota) Object.assign(state.defaultQuota, options.quota);
  const controls = new SimControls(options);
  const region = options.region ?? 'RegionOne';
  const ctx = new SimContext(state, controls, region, options.oidcProviders ?? []);
  const username = options.username ?? 'admin';
  const password = options.password ?? randomBytes(12).toString('base64url');
  const projectName = options.projectName ?? 'admin';
  const { projectId } = seed(state, { username, password, projectName, images: options.images, flavors: options.flavors });
  const admin = new SimulatorAdmin(ctx);

  const routers: Record<SimService, SimRouter[]> = {
    identity: [keystoneRoutes(ctx, { tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600 })],
    compute: [novaServerRoutes(ctx, { nextPoolAddress: () => admin.nextPoolAddress() }), novaMiscRoutes(ctx), novaServerGroupRoutes(ctx)],
    network: [neutronRoutes(ctx), neutronL3Routes(ctx), neutronSecurityRoutes(ctx)],
    image: [glanceRoutes(ctx)],
    volume: [cinderRoutes(ctx)],
    admin: [adminRoutes(admin)],
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  // Longer than the client's idle sockets live, so a pooled socket is never closed under a request.
  server.keepAliveTimeout = 65_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const origin = `http://${req.headers.host ?? `${host}:${port}`}`;
    const url = new URL(req.url ?? '/', origin);
    const first = url.pathname.split('/')[1] as SimService;
    const service = PREFIXES.includes(first) ? first : undefined;
    const requestId = newRequestId();
    if (!service) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 Not Found');
      return;
    }
    const rest = url.pathname.slice(first.length + 1);
    const simReq: SimRequest & { raw?: Buffer } = {
      method: req.method ?? 'GET',
      service,
      path: rest,
      query: url.searchParams,
      headers: req.headers,
      body: undefined,
      params: {},
      requestId,
      origin,
    };
    controls.requests[service] = (controls.requests[service] ?? 0) + 1;
    const sub = stripVersion(service, rest).replace(/\/+$/, '');
    const routeKey = `${service} ${simReq.method} ${sub.replace(/[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{32}/g, '{id}')}`;
    controls.routeCounts[routeKey] = (controls.routeCounts[routeKey] ?? 0) + 1;
    const headers = serviceHeaders(service, requestId, simReq);
    const accept = req.headers.accept ?? '';
    let out: SimResponse;
    let dropAfter = false;
    try {
      const latency = service === 'admin' ? 0 : controls.latencyFor(service);
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      const { raw, json } = await readJsonBody(req);
      simReq.body = json;
      simReq.raw = raw;
      const fault = service === 'admin' ? undefined : controls.takeFault(service, simReq.method, sub);
      if (fault?.mode === 'drop') {
        req.socket.destroy();
        return;
      }
      dropAfter = fault?.mode === 'drop_after';
      if (fault && !dropAfter) {
        const status = fault.status ?? 500;
        out = errorResponse(service, status, fault.message ?? defaultFaultMessage(service, status), undefined, accept);
        if (fault.retryAfterSeconds !== undefined) out.headers = { 'Retry-After': String(fault.retryAfterSeconds) };
      } else {
        out = await route(simReq, rest);
      }
    } catch (error) {
      if (error instanceof SimHttpError) {
        out = errorResponse(service, error.status, error.message, error.kind, accept);
        if (error.headers) out.headers = { ...out.headers, ...error.headers };
      } else {
        out = errorResponse(service, 500, defaultFaultMessage(service, 500), undefined, accept);
      }
    }
    if (dropAfter) {
      // The work is done but the answer is lost: the case that makes blind create retries unsafe.
      req.socket.destroy();
      return;
    }
    // The unversioned roots (version lists) are answered before the services' middleware.
    const isRoot = rest.replace(/\/+$/, '') === '' && service !== 'identity';
    writeResponse(res, simReq, out, isRoot ? {} : headers);
  }

  function route(req: SimRequest & { raw?: Buffer }, rest: string): SimResponse | Promise<SimResponse> {
    const origin = req.origin;
    const clean = rest.replace(/\/+$/, '');
    switch (req.service) {
      case 'identity':
        if (clean === '') return identityVersions(origin);
        if (!clean.startsWith('/v3')) throw new SimHttpError(404, 'The resource could not be found.');
        return dispatch(req, clean.slice(3));
      case 'compute':
        if (clean === '') return computeVersions(origin);
        if (clean === '/v2.1') return computeVersion(origin);
        if (!clean.startsWith('/v2.1/')) throw new SimHttpError(404, 'The resource could not be found.');
        return dispatch(req, clean.slice(5));
      case 'network':
        if (clean === '') return networkVersions(origin);
        if (clean === '/v2.0') return networkResources(origin);
        if (!clean.startsWith('/v2.0/')) throw new SimHttpError(404, 'The resource could not be found.');
        return dispatch(req, clean.slice(5).replace(/\.json$/, ''));
      case 'image':
        if (clean === '') return imageVersions(origin);
        if (clean === '/versions') return imageVersions(origin, 200);
        if (!clean.startsWith('/v2/')) throw new SimHttpError(404, 'The resource could not be found.');
        return dispatch(req, clean.slice(3));
      case 'volume': {
        if (clean === '') return volumeVersions(origin);
        const m = /^\/v3(?:\/([0-9a-f]{32}))?(\/.*)?$/.exec(clean);
        if (!m) throw new SimHttpError(404, 'The resource could not be found.');
        if (!m[2]) return volumeVersion(origin);
        if (!m[1]) throw new SimHttpError(404, 'The resource could not be found.');
        const auth = ctx.authenticate(req);
        if (m[1] !== auth.projectId) throw new SimHttpError(400, 'Malformed request url');
        return dispatch(req, m[2]);
      }
      case 'admin':
        return dispatch(req, clean);
    }
  }

  function dispatch(req: SimRequest, path: string): SimResponse | Promise<SimResponse> {
    let methodOnly = false;
    for (const router of routers[req.service]) {
      const m = router.match(req.method, path === '' ? '' : path);
      if (m === 'method') methodOnly = true;
      else if (m) {
        req.params = m.params;
        req.path = path;
        return m.handler(req);
      }
    }
    if (methodOnly) throw new SimHttpError(405, 'The method is not allowed for the requested URL.');
    // Authentication comes before routing in the real services (keystonemiddleware).
    if (req.service !== 'identity' && req.service !== 'admin') ctx.authenticate(req);
    throw new SimHttpError(404, 'The resource could not be found.');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    authUrl: `${url}/identity/v3`,
    url,
    username,
    password,
    projectName,
    projectId,
    userDomain: 'Default',
    projectDomain: 'Default',
    region,
    admin,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of state.servers.values()) for (const t of s.timers) clearTimeout(t);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function stripVersion(service: SimService, rest: string): string {
  switch (service) {
    case 'compute':
      return rest.replace(/^\/v2\.1/, '');
    case 'network':
      return rest.replace(/^\/v2\.0/, '');
    case 'image':
      return rest.replace(/^\/v2/, '');
    case 'volume':
      return rest.replace(/^\/v3\/[0-9a-f]{32}/, '');
    case 'identity':
      return rest.replace(/^\/v3/, '');
    case 'admin':
      return rest;
  }
}

function serviceHeaders(service: SimService, requestId: string, req: SimRequest | undefined): Record<string, string> {
  switch (service) {
    case 'compute': {
      // Nova echoes the version it serves; on 406 the one asked for; on a malformed one, none.
      let version: string | undefined = '2.1';
      try {
        version = req ? `2.${microversion(req)}` : '2.1';
      } catch (error) {
        version = error instanceof SimHttpError && error.status === 406 && req ? requestedMicroversion(req) : undefined;
      }
      const ids = { 'x-openstack-request-id': requestId, 'x-compute-request-id': requestId };
      if (version === undefined) return ids;
      return { 'OpenStack-API-Version': `compute ${version}`, 'X-OpenStack-Nova-API-Version': version, Vary: 'OpenStack-API-Version, X-OpenStack-Nova-API-Version', ...ids };
    }
    case 'volume': {
      const header = req?.headers['openstack-api-version'];
      const m = typeof header === 'string' ? /volume\s+(3\.\d+|latest)/i.exec(header) : null;
      const v = m ? (m[1] === 'latest' ? `3.${CINDER_MAX_MICROVERSION}` : m[1]) : '3.0';
      return { 'OpenStack-API-Version': `volume ${v}`, Vary: 'OpenStack-API-Version', 'x-compute-request-id': requestId, 'x-openstack-request-id': requestId };
    }
    case 'identity':
      return { Vary: 'X-Auth-Token', 'x-openstack-request-id': requestId };
    case 'network':
      return { 'X-Openstack-Request-Id': requestId };
    case 'image':
    case 'admin':
      return { 'x-openstack-request-id': requestId };
  }
}

function defaultFaultMessage(service: SimService, status: number): string {
  if (status === 429) return 'This request was rate-limited.';
  if (status === 503) return 'The server is currently unavailable. Please try again at a later time.';
  switch (service) {
    case 'compute':
      return "Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.\n<class 'oslo_db.exception.DBConnectionError'>";
    case 'network':
      return 'Request Failed: internal server error while processing your request.';
    case 'volume':
      return 'The server has either erred or is incapable of performing the requested operation.';
    case 'identity':
      return 'An unexpected error prevented the server from fulfilling your request.';
    case 'image':
    case 'admin':
      return 'The server has either erred or is incapable of performing the requested operation.';
  }
}
