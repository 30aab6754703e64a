// The catalogue and its deploy forms. A submitted form becomes `POST /deployments` with the
// template's text (read by the dashboard, never taken from the browser, with the description and
// the non-secret inputs recorded in its metadata), the parameters, the Advanced tab's options and
// the active group as `userGroup`; a refusal shows the form again with the API's diagnostics and
// the values entered.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express, Request, Response } from 'express';
import { CATALOGUE_FILES_SCHEMA } from '../catalogue/catalogue-files.schema';
import { readAdvanced, recordInTemplate } from '../catalogue/deploy-options';
import { mask, placeErrors, readSubmission, type FormErrors } from '../catalogue/deploy-submission';
import { visibleFor, type CatalogueTemplate } from '../catalogue/template-catalogue';
import { ApiCallError } from '../deployments.client';
import { keyLine } from '../keys/ssh-keys';
import { cataloguePage } from '../pages/catalogue.page';
import { deployFormPage } from '../pages/deploy-form.page';
import { messagePage } from '../pages/html';
import { frameOf, sendApiFailure, type DashboardContext } from './dashboard.context';
import type { DashboardSession } from './session.store';

export function catalogueRoutes(app: Express, ctx: DashboardContext, templatesDir: string): void {
  const byKey = new Map(ctx.catalogue.map((t) => [t.key, t]));
  const visible = (session: DashboardSession): CatalogueTemplate[] => ctx.catalogue.filter((t) => visibleFor(t, session.activeGroup, session.admin));
  const find = (session: DashboardSession, key: string): CatalogueTemplate | undefined => {
    const t = byKey.get(key);
    return t && visibleFor(t, session.activeGroup, session.admin) ? t : undefined;
  };
  const missing = (res: Response, session: DashboardSession): void => {
    res.status(404).type('html').send(messagePage(frameOf(ctx, session), 'Template not found', 'The catalogue has no such template for your group.'));
  };

  app.get('/catalogue-files.schema.json', (_req: Request, res: Response) => {
    res.type('application/schema+json').send(JSON.stringify(CATALOGUE_FILES_SCHEMA, null, 2));
  });

  app.get('/templates', (req: Request, res: Response) => {
    const session = ctx.sessions.requirePage(req, res);
    if (session) res.type('html').send(cataloguePage(frameOf(ctx, session), visible(session), typeof req.query.q === 'string' ? req.query.q : ''));
  });

  // A template's icon: a file of the templates folder its metadata names (svg or png only).
  app.get('/templates/:key/icon', (req: Request, res: Response) => {
    const template = byKey.get(String(req.params.key));
    if (!template?.icon || template.icon.includes('..')) {
      res.status(404).end();
      return;
    }
    try {
      res.set({ 'cache-control': 'public, max-age=3600', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
      res.type(template.icon.endsWith('.svg') ? 'image/svg+xml' : 'image/png').send(readFileSync(join(templatesDir, template.icon)));
    } catch {
      res.status(404).end();
    }
  });

  app.get('/templates/:key', (req: Request, res: Response) => {
    const session = ctx.sessions.requirePage(req, res);
    if (!session) return;
    const template = find(session, String(req.params.key));
    if (!template) return missing(res, session);
    res.type('html').send(deployFormPage(frameOf(ctx, session), template, sshDefaults(template, session), undefined, ctx.providers));
  });

  app.post('/templates/:key', async (req: Request, res: Response) => {
    const session = ctx.sessions.forPost(req, res);
    if (!session) return;
    const template = find(session, String(req.params.key));
    if (!template) return missing(res, session);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const submission = readSubmission(template.fields, body);
    const advanced = readAdvanced(body, ctx.providers);
    const values = { ...submission.values, ...advanced.values };
    const refuse = (status: number, errors: FormErrors): void => {
      res.status(status).type('html').send(deployFormPage(frameOf(ctx, session), template, values, errors, ctx.providers));
    };
    const localErrors = { ...submission.local, ...advanced.errors };
    if (Object.keys(localErrors).length > 0) return refuse(400, { general: [], byField: localErrors });
    // Recorded for the deployment's pages: the inputs given, secrets by name only.
    const recorded: Record<string, unknown> = { ...submission.parameters };
    for (const f of template.fields) if (f.kind === 'password' && f.name in recorded) recorded[f.name] = null;
    const text = recordInTemplate(template.text, { template: template.key, inputs: recorded, ...(advanced.description ? { description: advanced.description } : {}) }, advanced.provider);
    try {
      const created = await ctx.api.create(text, submission.parameters, session.accessToken, {
        ...advanced.options,
        ...(session.activeGroup ? { userGroup: session.activeGroup } : {}),
      });
      res.redirect(303, `${ctx.base}/deployments/${encodeURIComponent(created.uuid)}`);
    } catch (e) {
      if (e instanceof ApiCallError && (e.status === 400 || e.status === 422)) return refuse(e.status, placeErrors(template.fields, e.message, e.diagnostics, submission.secrets));
      const masked = e instanceof ApiCallError ? new ApiCallError(e.status, mask(e.message, submission.secrets)) : e;
      sendApiFailure(ctx, req, res, session, masked, 'create the deployment');
    }
  });

  /** SSH key fields start with the user's first public key. */
  const sshDefaults = (template: CatalogueTemplate, session: DashboardSession): Record<string, string> => {
    const first = ctx.sshKeys.list(session.userKey)[0];
    if (!first) return {};
    return Object.fromEntries(template.fields.filter((f) => f.kind === 'sshkey').map((f) => [f.name, keyLine(first)]));
  };

  // The active-group switcher: deployments are then listed, and created, in that group.
  app.post('/group', (req: Request, res: Response) => {
    const session = ctx.sessions.forPost(req, res);
    if (!session) return;
    const group = (req.body as Record<string, unknown>).group;
    if (typeof group === 'string' && session.groups.includes(group)) session.activeGroup = group;
    res.redirect(303, `${ctx.base}/`);
  });
}
