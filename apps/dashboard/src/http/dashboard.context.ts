// What the route modules share: where the dashboard is, the sessions, the API client and the
// catalogue; and how a page shows an API call that failed.
import type { Request, Response } from 'express';
import type { CatalogueTemplate } from '../catalogue/template-catalogue';
import { ApiCallError, type DeploymentsClient } from '../deployments.client';
import { messagePage, type PageFrame, type UserFrame } from '../pages/html';
import { loginPage } from '../pages/login.page';
import type { SshKeyStore } from '../keys/ssh-key.store';
import type { RequestSessions } from './request-sessions';
import type { DashboardSession } from './session.store';

export interface DashboardContext {
  /** The public base URL, without a trailing slash. */
  base: string;
  /** Its path ('' at the host root): the prefix of every link. */
  root: string;
  sessions: RequestSessions;
  api: DeploymentsClient;
  catalogue: CatalogueTemplate[];
  /** Each user's SSH public keys (the deploy form's SSH key fields start with the first). */
  sshKeys: SshKeyStore;
  /** The provider names the Advanced tab offers (the providers file's); empty = automatic only. */
  providers: string[];
}

export function frameOf(ctx: DashboardContext, session: DashboardSession, section?: PageFrame['section']): UserFrame {
  const user = { name: session.name, local: session.local, csrfToken: session.csrfToken, groups: session.groups, activeGroup: session.activeGroup, admin: session.admin };
  return { root: ctx.root, user, ...(section ? { section } : {}) };
}

/** An API failure as a page: an expired token ends the session; the API's own words otherwise. */
export function sendApiFailure(ctx: DashboardContext, req: Request, res: Response, session: DashboardSession, error: unknown, what: string): void {
  if (error instanceof ApiCallError && error.status === 401 && !session.local) {
    ctx.sessions.end(req, res);
    res.status(401).type('html').send(loginPage(ctx.root, 'Your session has expired. Log in again.'));
    return;
  }
  const frame = frameOf(ctx, session);
  if (error instanceof ApiCallError && error.status < 500) {
    res.status(error.status).type('html').send(messagePage(frame, `Cannot ${what}`, error.message));
    return;
  }
  const reason = error instanceof ApiCallError ? `the API answered ${error.status}: ${error.message}` : 'the API cannot be reached';
  res.status(502).type('html').send(messagePage(frame, `Cannot ${what}`, reason));
}
