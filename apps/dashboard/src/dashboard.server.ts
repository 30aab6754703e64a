// The dashboard's HTTP application: OpenID Connect login (libs/auth's OidcLoginClient), a
// server-side session, and a page listing the user's deployments read from the API with the
// user's own access token. With auth off it shows the local user's deployments without login.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import type { OidcLoginClient, PendingLogin } from '@lib/auth';
import { ApiCallError, listMyDeployments } from './deployments.client';
import { cookie, readCookie, SessionStore, type DashboardSession } from './http/session.store';
import { deploymentsPage, loginPage } from './pages';

const SESSION_COOKIE = 'baton_session';
const LOGIN_COOKIE = 'baton_login';

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
  httpTimeoutMs: number;
}

export interface RunningDashboard {
  url: string;
  close(): Promise<void>;
}

export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  if (options.issuer !== null && options.login === null) {
    throw new TypeError('the dashboard needs BATON_OIDC_CLIENT_ID (and secret) to log users in');
  }
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const base = (options.publicUrl ?? `http://${host}:${address.port}`).replace(/\/+$/, '');
  const secure = base.startsWith('https:');
  const sessions = new SessionStore<DashboardSession>(10_000);
  const pending = new SessionStore<PendingLogin & { expiresAt: number }>(10_000);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/', async (req: Request, res: Response) => {
    res.set('cache-control', 'no-store');
    if (options.issuer === null) {
      await renderList(res, { name: 'Local user', local: true }, null);
      return;
    }
    const session = sessions.get(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (!session) {
      res.type('html').send(loginPage());
      return;
    }
    const ok = await renderList(res, { name: session.name, local: false }, session.accessToken);
    if (!ok) sessions.delete(readCookie(req.headers.cookie, SESSION_COOKIE));
  });

  app.get('/login', async (_req: Request, res: Response) => {
    if (options.issuer === null || options.login === null) {
      res.redirect(303, './');
      return;
    }
    try {
      const { url, pending: login } = await options.login.begin(options.issuer, `${base}/auth/callback`);
      const id = pending.create({ ...login, expiresAt: Date.now() + 600_000 });
      res.setHeader('set-cookie', cookie(LOGIN_COOKIE, id, { secure, maxAgeSeconds: 600 }));
      res.redirect(303, url);
    } catch {
      res.status(503).type('html').send(loginPage('The identity provider cannot be reached. Try again later.'));
    }
  });

  app.get('/auth/callback', async (req: Request, res: Response) => {
    const login = pending.take(readCookie(req.headers.cookie, LOGIN_COOKIE));
    if (!login || options.login === null) {
      res.status(400).type('html').send(loginPage('This login is unknown or expired. Log in again.'));
      return;
    }
    try {
      const result = await options.login.finish(req.query as Record<string, unknown>, login);
      const claims = result.idTokenClaims;
      const name = [claims.name, claims.preferred_username, claims.email, result.subject].find((v) => typeof v === 'string' && v !== '') as string;
      const id = sessions.create({
        issuer: result.issuer,
        subject: result.subject,
        name,
        accessToken: result.accessToken,
        expiresAt: result.expiresAt.getTime(),
      });
      const maxAge = Math.max(1, Math.floor((result.expiresAt.getTime() - Date.now()) / 1000));
      res.setHeader('set-cookie', [cookie(LOGIN_COOKIE, '', { secure, maxAgeSeconds: 0 }), cookie(SESSION_COOKIE, id, { secure, maxAgeSeconds: maxAge })]);
      res.redirect(303, `${base}/`);
    } catch (e) {
      // The reason is ours (AuthError messages hold no secrets); never the provider's raw body.
      const reason = e instanceof Error ? e.message : 'login failed';
      res.status(401).type('html').send(loginPage(`Login failed: ${reason}`));
    }
  });

  app.post('/logout', (req: Request, res: Response) => {
    sessions.delete(readCookie(req.headers.cookie, SESSION_COOKIE));
    res.setHeader('set-cookie', cookie(SESSION_COOKIE, '', { secure, maxAgeSeconds: 0 }));
    res.redirect(303, `${base}/`);
  });

  async function renderList(res: Response, user: { name: string; local: boolean }, token: string | null): Promise<boolean> {
    try {
      const deployments = await listMyDeployments(options.apiUrl, token, options.httpTimeoutMs);
      res.type('html').send(deploymentsPage(user, deployments));
      return true;
    } catch (e) {
      if (e instanceof ApiCallError && e.status === 401) {
        res.status(401).type('html').send(loginPage('Your session has expired. Log in again.'));
        return false;
      }
      const reason = e instanceof ApiCallError ? `the API answered ${e.status}: ${e.message}` : 'the API cannot be reached';
      res.status(502).type('html').send(loginPage(`Cannot list deployments: ${reason}`, { loginLink: !user.local }));
      return true;
    }
  }

  server.on('request', app);
  return {
    url: base,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
