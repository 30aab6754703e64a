// Which session a request belongs to, and the CSRF gate of every POST. With auth off, the local
// user gets a session too (on the first page view), so that forms carry a CSRF token there as
// well: the dashboard on loopback is still reachable from any page the browser opens.
import type { Request, Response } from 'express';
import { loginPage } from '../pages/login.page';
import { messagePage } from '../pages/html';
import { csrfMatches } from './csrf';
import { cookie, randomToken, readCookie, SessionStore, type DashboardSession } from './session.store';

export const SESSION_COOKIE = 'baton_session';
const LOCAL_SESSION_MS = 12 * 3600_000;

export class RequestSessions {
  readonly store = new SessionStore<DashboardSession>(10_000);

  constructor(private readonly options: { local: boolean; secure: boolean; root: string }) {}

  /** A new session after a login; returns the Set-Cookie value. */
  start(session: Omit<DashboardSession, 'csrfToken' | 'local' | 'activeGroup'>): string {
    const id = this.store.create({ ...session, local: false, csrfToken: randomToken(), activeGroup: session.groups[0] ?? null });
    const maxAge = Math.max(1, Math.floor((session.expiresAt - Date.now()) / 1000));
    return cookie(SESSION_COOKIE, id, { secure: this.options.secure, maxAgeSeconds: maxAge });
  }

  /** The session of a page view, or undefined (not logged in). Makes the local user's. */
  forPage(req: Request, res: Response): DashboardSession | undefined {
    const session = this.store.get(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (session || !this.options.local) return session;
    const local: DashboardSession = {
      name: 'Local user',
      accessToken: null,
      local: true,
      csrfToken: randomToken(),
      expiresAt: Date.now() + LOCAL_SESSION_MS,
      groups: [],
      activeGroup: null,
      admin: false,
      userKey: 'local',
    };
    const id = this.store.create(local);
    res.append('set-cookie', cookie(SESSION_COOKIE, id, { secure: this.options.secure, maxAgeSeconds: LOCAL_SESSION_MS / 1000 }));
    return local;
  }

  /** A page view that needs a session: otherwise answers with the login page. */
  requirePage(req: Request, res: Response): DashboardSession | undefined {
    const session = this.forPage(req, res);
    if (!session) res.status(401).type('html').send(loginPage(this.options.root, 'Log in to see this page.'));
    return session;
  }

  /** The session of a POST whose CSRF token matches; otherwise answers 403. */
  forPost(req: Request, res: Response): DashboardSession | undefined {
    const session = this.store.get(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (session && csrfMatches(session.csrfToken, req.body)) return session;
    res
      .status(403)
      .type('html')
      .send(messagePage({ root: this.options.root }, 'Refused', 'This form did not come from your current dashboard session. Reload the page and try again.'));
    return undefined;
  }

  end(req: Request, res: Response): void {
    this.store.delete(readCookie(req.headers.cookie, SESSION_COOKIE));
    res.append('set-cookie', cookie(SESSION_COOKIE, '', { secure: this.options.secure, maxAgeSeconds: 0 }));
  }
}
