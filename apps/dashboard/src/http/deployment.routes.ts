// The user's deployments: the list, one deployment's page, and its deletion (a confirm page,
// then a CSRF-checked POST that asks the API to DELETE it).
import type { Express, Request, Response } from 'express';
import { ApiCallError } from '../deployments.client';
import { messagePage } from '../pages/html';
import { deploymentsPage } from '../pages/list.page';
import { loginPage } from '../pages/login.page';
import { confirmDeletePage, deploymentPage, type Part } from '../pages/deployment.page';
import { frameOf, sendApiFailure, type DashboardContext } from './dashboard.context';

// Deployment ids are UUIDs; anything else never reaches the API.
const ID = /^[0-9A-Za-z-]{1,64}$/;

export function deploymentRoutes(app: Express, ctx: DashboardContext): void {
  app.get('/', async (req: Request, res: Response) => {
    const session = ctx.sessions.forPage(req, res);
    if (!session) {
      res.type('html').send(loginPage(ctx.root));
      return;
    }
    try {
      res.type('html').send(deploymentsPage(frameOf(ctx, session), await ctx.api.listMine(session.accessToken)));
    } catch (e) {
      sendApiFailure(ctx, req, res, session, e, 'list your deployments');
    }
  });

  app.get('/deployments/:id', async (req: Request, res: Response) => {
    const session = ctx.sessions.requirePage(req, res);
    if (!session) return;
    const id = String(req.params.id);
    if (!ID.test(id)) return notFound(res, ctx, session, id);
    try {
      const token = session.accessToken;
      const [deployment, resources, log] = await Promise.all([ctx.api.get(id, token), part(ctx.api.resources(id, token)), part(ctx.api.log(id, token))]);
      res.type('html').send(deploymentPage(frameOf(ctx, session), deployment, resources, log));
    } catch (e) {
      if (e instanceof ApiCallError && e.status === 404) return notFound(res, ctx, session, id);
      sendApiFailure(ctx, req, res, session, e, 'show the deployment');
    }
  });

  app.get('/deployments/:id/delete', (req: Request, res: Response) => {
    const session = ctx.sessions.requirePage(req, res);
    if (!session) return;
    const id = String(req.params.id);
    if (!ID.test(id)) return notFound(res, ctx, session, id);
    res.type('html').send(confirmDeletePage(frameOf(ctx, session), id));
  });

  app.post('/deployments/:id/delete', async (req: Request, res: Response) => {
    const session = ctx.sessions.forPost(req, res);
    if (!session) return;
    const id = String(req.params.id);
    if (!ID.test(id)) return notFound(res, ctx, session, id);
    try {
      await ctx.api.delete(id, session.accessToken);
      res.redirect(303, `${ctx.base}/deployments/${encodeURIComponent(id)}`);
    } catch (e) {
      sendApiFailure(ctx, req, res, session, e, 'delete the deployment');
    }
  });
}

function notFound(res: Response, ctx: DashboardContext, session: Parameters<typeof frameOf>[1], id: string): void {
  res.status(404).type('html').send(messagePage(frameOf(ctx, session), 'Deployment not found', `There is no deployment ${id} (a deleted deployment is gone).`));
}

/** The log is the owner's only, and resources may fail apart: the page shows why in place. */
async function part<T>(promise: Promise<T>): Promise<Part<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (e) {
    if (e instanceof ApiCallError && e.status === 401) throw e;
    return { ok: false, reason: e instanceof ApiCallError ? `Not available: ${e.message}` : 'Not available: the API cannot be reached.' };
  }
}
