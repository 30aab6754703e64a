// The dashboard's HTTP application, server-rendered: OpenID Connect login (libs/auth's
// OidcLoginClient) and a server-side session, the user's deployments (list, page, delete), and
// the catalogue of ready templates with deploy forms. Every API call carries the user's own
// access token, which never leaves this process but for the API. With auth off it acts as the
// local user, without login.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { isAdmin, OidcLoginClient } from '@lib/auth';
import { readCatalogue } from './catalogue/template-catalogue';
import { assetRoutes } from './http/assets.routes';
import { keyRoutes } from './http/keys.routes';
import { SshKeyStore } from './keys/ssh-key.store';
import { DeploymentsClient } from './deployments.client';
import { catalogueRoutes } from './http/catalogue.routes';
import type { DashboardContext } from './http/dashboard.context';
import { deploymentRoutes } from './http/deployment.routes';
import { loginRoutes } from './http/login.routes';
import { RequestSessions } from './http/request-sessions';
import { messagePage } from './pages/html';

export interface DashboardOptions {
  /** Host and port to listen on (port 0 = any free port). */
  listen: { host: string; port: number };
  /** Base URL the browser sees; null = http://<bound address>. The callback is <base>/auth/callback. */
  publicUrl: string | null;
  /** The API's base URL. */
  apiUrl: string;
  /** The allow-listed issuer users log in at; null = auth off (local user). */
  issuer: string | null;
  /** Required when `issuer` is set. */
  login: OidcLoginClient | null;
  /** The folder of ready templates the catalogue lists (the repo's `templates/`). */
  templatesDir: string;
  httpTimeoutMs: number;
  /** BATON_OIDC_ADMIN_GROUPS: their members may list every deployment. */
  adminGroups?: Parameters<typeof isAdmin>[1];
  /** Where users' SSH public keys are kept (a JSON file); null or absent = in memory only. */
  sshKeysFile?: string | null;
  /** Provider names a user may pick (BATON_PROVIDERS' entries); absent = automatic only. */
  providers?: string[];
}

export interface RunningDashboard {
  url: string;
  /** Catalogue side files (NAME.metadata.yml, NAME.parameters.yml) refused by their schema. */
  warnings: string[];
  close(): Promise<void>;
}

// Our own stylesheets, script and icons only: no inline script or style, no frame, nothing from outside.
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  if (options.issuer !== null && options.login === null) {
    throw new TypeError('the dashboard needs BATON_OIDC_CLIENT_ID (and secret) to log users in');
  }
  const { templates: catalogue, warnings } = readCatalogue(options.templatesDir);
  const sshKeys = new SshKeyStore(options.sshKeysFile ?? null);
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const base = (options.publicUrl ?? `http://${host}:${address.port}`).replace(/\/+$/, '');
  const root = new URL(base).pathname.replace(/\/+$/, '');
  const ctx: DashboardContext = {
    base,
    root,
    sessions: new RequestSessions({ local: options.issuer === null, secure: base.startsWith('https:'), root }),
    api: new DeploymentsClient(options.apiUrl, options.httpTimeoutMs),
    catalogue,
    sshKeys,
    providers: options.providers ?? [],
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.set(SECURITY_HEADERS);
    next();
  });
  app.use(express.urlencoded({ extended: false, limit: '256kb' }));
  assetRoutes(app);
  loginRoutes(app, ctx, options.issuer !== null && options.login !== null ? { issuer: options.issuer, login: options.login, adminGroups: options.adminGroups ?? [] } : null);
  deploymentRoutes(app, ctx);
  catalogueRoutes(app, ctx, options.templatesDir);
  keyRoutes(app, ctx, sshKeys);
  app.use((_req: Request, res: Response) => {
    res.status(404).type('html').send(messagePage({ root }, 'Not found', 'There is no such page.'));
  });
  // The last resort: no stack, no error text (it could quote a request).
  app.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).type('html').send(messagePage({ root }, 'Error', 'Something went wrong in the dashboard. Try again.'));
  });

  server.on('request', app);
  return {
    url: base,
    warnings,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
