// The catalogue and its deploy forms. A submitted form becomes `POST /deployments` with the
// template's text (read by the dashboard, never taken from the browser) and the parameters; a
// refusal shows the form again with the API's diagnostics and the values entered.
import type { Express, Request, Response } from 'express';
import { mask, placeErrors, readSubmission } from '../catalogue/deploy-submission';
import { ApiCallError } from '../deployments.client';
import { cataloguePage } from '../pages/catalogue.page';
import { deployFormPage } from '../pages/deploy-form.page';
import { messagePage } from '../pages/html';
import { frameOf, sendApiFailure, type DashboardContext } from './dashboard.context';

export function catalogueRoutes(app: Express, ctx: DashboardContext): void {
  const byKey = new Map(ctx.catalogue.map((t) => [t.key, t]));

  app.get('/templates', (req: Request, res: Response) => {
    const session = ctx.sessions.requirePage(req, res);
    if (session) res.type('html').send(cataloguePage(frameOf(ctx, session), ctx.catalogue));
  });

  app.get('/templates/:key', (req: Request, res: Response) => {
    const session = ctx.sessions.requirePage(req, res);
    if (!session) return;
    const template = byKey.get(String(req.params.key));
    if (!template) {
      res.status(404).type('html').send(messagePage(frameOf(ctx, session), 'Template not found', 'The catalogue has no such template.'));
      return;
    }
    res.type('html').send(deployFormPage(frameOf(ctx, session), template));
  });

  app.post('/templates/:key', async (req: Request, res: Response) => {
    const session = ctx.sessions.forPost(req, res);
    if (!session) return;
    const template = byKey.get(String(req.params.key));
    if (!template) {
      res.status(404).type('html').send(messagePage(frameOf(ctx, session), 'Template not found', 'The catalogue has no such template.'));
      return;
    }
    const submission = readSubmission(template.fields, (req.body ?? {}) as Record<string, unknown>);
    try {
      const created = await ctx.api.create(template.text, submission.parameters, session.accessToken);
      res.redirect(303, `${ctx.base}/deployments/${encodeURIComponent(created.uuid)}`);
    } catch (e) {
      if (e instanceof ApiCallError && (e.status === 400 || e.status === 422)) {
        const errors = placeErrors(template.fields, e.message, e.diagnostics, submission.secrets);
        res.status(e.status).type('html').send(deployFormPage(frameOf(ctx, session), template, submission.values, errors));
        return;
      }
      const masked = e instanceof ApiCallError ? new ApiCallError(e.status, mask(e.message, submission.secrets)) : e;
      sendApiFailure(ctx, req, res, session, masked, 'create the deployment');
    }
  });
}
