// The deployments: the list (filters), one deployment's page (tabs), its live events (the API's
// stream passed on with the user's token), and the actions (CSRF-checked POSTs that call the API).
import type { Express, Request, Response } from 'express';
import { Readable } from 'node:stream';
import { readRecord } from '../catalogue/deploy-options';
import { scalableNodes, withRemovalList } from '../catalogue/deployment-scaling';
import { ApiCallError } from '../deployments.client';
import { messagePage } from '../pages/html';
import { deploymentsPage, matchesStatus, type ListedDeployment, type ListFilters } from '../pages/list.page';
import { loginPage } from '../pages/login.page';
import { confirmDeletePage, deploymentPage, TABS, type DeploymentTab, type Part } from '../pages/deployment.page';
import { frameOf, sendApiFailure, type DashboardContext } from './dashboard.context';
import type { DashboardSession } from './session.store';
import { TemplateCache } from './template.cache';

// Deployment and resource ids are UUIDs; anything else never reaches the API.
const ID = /^[0-9A-Za-z-]{1,64}$/;

export function deploymentRoutes(app: Express, ctx: DashboardContext): void {
  const templates = new TemplateCache(ctx.api);
  // A deployment made from the catalogue is named as its card is (the metadata file's display name).
  const titles = new Map(ctx.catalogue.map((t) => [t.key, t.title]));
  const nameOf = (record: { template?: string; templateName?: string }): string | undefined => (record.template ? titles.get(record.template) : undefined) ?? record.templateName;

  app.get('/', async (req: Request, res: Response) => {
    const session = ctx.sessions.forPage(req, res);
    if (!session) {
      res.type('html').send(loginPage(ctx.root));
      return;
    }
    const status = String(req.query.status ?? '');
    const filters: ListFilters = {
      status: status === 'progress' || status === 'complete' || status === 'failed' ? status : '',
      group: typeof req.query.group === 'string' ? req.query.group : '',
      all: session.admin && req.query.all === '1',
    };
    const group = filters.group === '*' ? undefined : filters.group || session.activeGroup || undefined;
    try {
      const token = session.accessToken;
      const list = (await ctx.api.list(token, { all: filters.all, ...(group ? { userGroup: group } : {}) })).filter((d) => matchesStatus(d.status, filters.status));
      const rows: ListedDeployment[] = await Promise.all(
        list.map(async (deployment) => {
          const record = await templates.record(deployment, token);
          const templateName = nameOf(record);
          return { deployment, ...(record.description ? { description: record.description } : {}), ...(templateName ? { templateName } : {}) };
        }),
      );
      res.type('html').send(deploymentsPage(frameOf(ctx, session), rows, filters));
    } catch (e) {
      sendApiFailure(ctx, req, res, session, e, 'list the deployments');
    }
  });

  app.get('/deployments/:id', async (req: Request, res: Response) => {
    const session = ctx.sessions.requirePage(req, res);
    if (!session) return;
    const id = String(req.params.id);
    if (!ID.test(id)) return notFound(res, ctx, session, id);
    const tab: DeploymentTab = (TABS as readonly string[]).includes(String(req.query.tab)) ? (String(req.query.tab) as DeploymentTab) : 'overview';
    try {
      const token = session.accessToken;
      const [deployment, template, resources, log] = await Promise.all([
        ctx.api.get(id, token),
        part(ctx.api.template(id, token)),
        tab === 'resources' || tab === 'overview' ? part(ctx.api.resources(id, token)) : Promise.resolve<Part<never[]>>({ ok: true, value: [] }),
        tab === 'log' ? part(ctx.api.log(id, token)) : Promise.resolve(undefined),
      ]);
      const record = template.ok ? readRecord(template.value) : {};
      const templateName = nameOf(record);
      res.type('html').send(
        deploymentPage(frameOf(ctx, session, 'deployments'), {
          deployment,
          tab,
          template,
          resources,
          ...(log ? { log } : {}),
          scalable: template.ok ? scalableNodes(template.value) : [],
          ...(record.description ? { description: record.description } : {}),
          ...(templateName ? { templateName } : {}),
          ...(record.inputs ? { inputs: record.inputs } : {}),
          ...(typeof req.query.notice === 'string' ? { notice: NOTICES[req.query.notice] ?? '' } : {}),
        }),
      );
    } catch (e) {
      if (e instanceof ApiCallError && e.status === 404) return notFound(res, ctx, session, id);
      sendApiFailure(ctx, req, res, session, e, 'show the deployment');
    }
  });

  // The API's server-sent events, passed on as they come; the user's token never reaches the page.
  app.get('/deployments/:id/events', async (req: Request, res: Response) => {
    const session = ctx.sessions.forPage(req, res);
    const id = String(req.params.id);
    if (!session || !ID.test(id)) {
      res.status(session ? 404 : 401).end();
      return;
    }
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    try {
      const lastEventId = req.headers['last-event-id'];
      const stream = await ctx.api.events(id, session.accessToken, gone.signal, typeof lastEventId === 'string' ? lastEventId : undefined);
      res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
      res.flushHeaders();
      Readable.fromWeb(stream as import('node:stream/web').ReadableStream<Uint8Array>)
        .on('error', () => res.end())
        .pipe(res);
    } catch (e) {
      if (!res.headersSent) res.status(e instanceof ApiCallError ? e.status : 502).end();
      else res.end();
    }
  });

  app.get('/deployments/:id/delete', async (req: Request, res: Response) => {
    const session = ctx.sessions.requirePage(req, res);
    if (!session) return;
    const id = String(req.params.id);
    if (!ID.test(id)) return notFound(res, ctx, session, id);
    const template = await part(ctx.api.template(id, session.accessToken));
    const record = template.ok ? readRecord(template.value) : {};
    res.type('html').send(confirmDeletePage(frameOf(ctx, session), id, record.description ?? nameOf(record) ?? 'this deployment', req.query.force === '1'));
  });

  const action = (path: string, what: string, run: (id: string, session: DashboardSession, body: Record<string, unknown>) => Promise<string | undefined>): void => {
    app.post(`/deployments/:id${path}`, async (req: Request, res: Response) => {
      const session = ctx.sessions.forPost(req, res);
      if (!session) return;
      const id = String(req.params.id);
      const rid = req.params.rid === undefined ? '' : String(req.params.rid);
      if (!ID.test(id) || (path.includes(':rid') && !ID.test(rid))) return notFound(res, ctx, session, id);
      try {
        const notice = await run(id, session, { ...((req.body ?? {}) as Record<string, unknown>), rid });
        res.redirect(303, `${ctx.base}/deployments/${encodeURIComponent(id)}${notice ? `?tab=${notice === 'removed' || notice.startsWith('st') ? 'resources' : 'overview'}&notice=${notice}` : ''}`);
      } catch (e) {
        sendApiFailure(ctx, req, res, session, e, what);
      }
    });
  };

  action('/delete', 'delete the deployment', async (id, session, body) => {
    await ctx.api.delete(id, session.accessToken, body.force === 'true');
    return undefined;
  });
  action('/reset', 'reset the deployment', async (id, session) => {
    await ctx.api.reset(id, session.accessToken);
    return 'reset';
  });
  // A failed create is tried again with its own template (the API keeps its inputs).
  action('/retry', 'retry the deployment', async (id, session) => {
    await ctx.api.update(id, await ctx.api.template(id, session.accessToken), {}, session.accessToken);
    return 'retried';
  });
  action('/scale', 'scale the deployment', async (id, session, body) => {
    const token = session.accessToken;
    const template = await ctx.api.template(id, token);
    const node = scalableNodes(template).find((n) => n.node === body.node);
    if (!node) throw new ApiCallError(400, 'This deployment has no such scalable node.');
    const count = (await ctx.api.resources(id, token)).filter((r) => r.toscaNodeName === node.node).length;
    await ctx.api.update(id, template, { [node.input]: Math.min(node.max, count + 1) }, token);
    return 'scaled';
  });
  action('/resources/:rid/remove', 'remove the machine', async (id, session, body) => {
    const token = session.accessToken;
    const [template, resources] = await Promise.all([ctx.api.template(id, token), ctx.api.resources(id, token)]);
    const victim = resources.find((r) => r.uuid === body.rid);
    const node = victim && scalableNodes(template).find((n) => n.node === victim.toscaNodeName);
    if (!victim || !node) throw new ApiCallError(400, 'This machine cannot be removed: its node does not scale.');
    const count = resources.filter((r) => r.toscaNodeName === node.node).length;
    await ctx.api.update(id, withRemovalList(template, node.node, [victim.uuid]), { [node.input]: Math.max(node.min, count - 1) }, token);
    return 'removed';
  });
  for (const type of ['start', 'stop'] as const) {
    action(`/resources/:rid/${type}`, `${type} the machine`, async (id, session, body) => {
      await ctx.api.resourceAction(id, String(body.rid), type, session.accessToken);
      return type === 'start' ? 'started' : 'stopped';
    });
  }
}

const NOTICES: Record<string, string> = {
  reset: 'The deletion was reset: the deployment can be deleted again.',
  retried: 'The deployment is being created again.',
  scaled: 'One more machine is being added.',
  removed: 'The chosen machine is being removed.',
  started: 'The machine is starting.',
  stopped: 'The machine is stopping.',
};

function notFound(res: Response, ctx: DashboardContext, session: DashboardSession, id: string): void {
  res.status(404).type('html').send(messagePage(frameOf(ctx, session), 'Deployment not found', `There is no deployment ${id} (a deleted deployment is gone).`));
}

/** Parts of the page that may fail apart (the log is the owner's only): the page says why in place. */
async function part<T>(promise: Promise<T>): Promise<Part<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (e) {
    if (e instanceof ApiCallError && (e.status === 401 || e.status === 404)) throw e;
    return { ok: false, reason: e instanceof ApiCallError ? `Not available: ${e.message}` : 'Not available: the API cannot be reached.' };
  }
}
