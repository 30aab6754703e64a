// Login and logout: the authorization-code flow of libs/auth's OidcLoginClient, the pending
// login kept server-side under a one-time cookie, then a session.
import type { Express, Request, Response } from 'express';
import { isAdmin, principalOf, readGroupClaims, type OidcLoginClient, type PendingLogin } from '@lib/auth';
import { loginPage } from '../pages/login.page';
import type { DashboardContext } from './dashboard.context';
import { cookie, readCookie, SessionStore } from './session.store';

const LOGIN_COOKIE = 'baton_login';

export interface LoginSetup {
  issuer: string;
  login: OidcLoginClient;
  /** BATON_OIDC_ADMIN_GROUPS: their members see every deployment. */
  adminGroups: Parameters<typeof isAdmin>[1];
}

export function loginRoutes(app: Express, ctx: DashboardContext, oidc: LoginSetup | null): void {
  const pending = new SessionStore<PendingLogin & { expiresAt: number }>(10_000);
  const secure = ctx.base.startsWith('https:');

  app.get('/login', async (_req: Request, res: Response) => {
    if (oidc === null) {
      res.redirect(303, `${ctx.base}/`);
      return;
    }
    try {
      const { url, pending: login } = await oidc.login.begin(oidc.issuer, `${ctx.base}/auth/callback`);
      const id = pending.create({ ...login, expiresAt: Date.now() + 600_000 });
      res.setHeader('set-cookie', cookie(LOGIN_COOKIE, id, { secure, maxAgeSeconds: 600 }));
      res.redirect(303, url);
    } catch {
      res.status(503).type('html').send(loginPage(ctx.root, 'The identity provider cannot be reached. Try again later.'));
    }
  });

  app.get('/auth/callback', async (req: Request, res: Response) => {
    const login = pending.take(readCookie(req.headers.cookie, LOGIN_COOKIE));
    if (!login || oidc === null) {
      res.status(400).type('html').send(loginPage(ctx.root, 'This login is unknown or expired. Log in again.'));
      return;
    }
    try {
      const result = await oidc.login.finish(req.query as Record<string, unknown>, login);
      const claims = result.idTokenClaims;
      const name = [claims.name, claims.preferred_username, claims.email, result.subject].find((v) => typeof v === 'string' && v !== '') as string;
      // The groups the API will read from the access token, as the ID token states them.
      const principal = principalOf({ iss: oidc.issuer, ...claims, sub: result.subject }, readGroupClaims(claims));
      const session = ctx.sessions.start({
        name,
        accessToken: result.accessToken,
        expiresAt: result.expiresAt.getTime(),
        groups: principal.groups,
        admin: isAdmin(principal, oidc.adminGroups),
        userKey: `${principal.subject}@${principal.issuer}`,
      });
      res.setHeader('set-cookie', [cookie(LOGIN_COOKIE, '', { secure, maxAgeSeconds: 0 }), session]);
      res.redirect(303, `${ctx.base}/`);
    } catch (e) {
      // The reason is ours (AuthError messages hold no secrets); never the provider's raw body.
      const reason = e instanceof Error ? e.message : 'login failed';
      res.status(401).type('html').send(loginPage(ctx.root, `Login failed: ${reason}`));
    }
  });

  app.post('/logout', (req: Request, res: Response) => {
    if (!ctx.sessions.forPost(req, res)) return;
    ctx.sessions.end(req, res);
    res.redirect(303, `${ctx.base}/`);
  });
}
