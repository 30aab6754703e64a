// The dashboard's HTML end to end with a real OpenID provider: a browser (fetch with a cookie jar)
// logs in through the authorization-code flow and works with the dashboard's pages, which call
// an API with the user's own access token. The first part uses a stand-in API (the real libs/auth
// verifier, two hand-made pages of deployments) to pin paging and escaping; the second the real
// baton service, composed in-process with its simulated cloud, to deploy, follow and delete.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadConfig } from '@lib/config';
import { createAuthKit, type AuthKit } from '@lib/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Test support, not a lib's API: the shared test issuer lives with libs/auth's tests.
import { startTestIssuer, type TestIssuer } from '../../../libs/auth/test/support/oidc-provider';
import { oidcEnv, startBaton, type RunningBaton } from '../../../test/e2e/support/baton.harness';
import { startDashboard, type RunningDashboard } from '../src/dashboard.server';

const TEMPLATES = join(__dirname, '../../../templates');

class Browser {
  private readonly jar = new Map<string, string>();

  /** Every page this browser was shown, to check what never appears in one. */
  readonly seen: string[] = [];

  /** Follows redirects (at most 20), keeping cookies; returns the last response and its body. */
  async open(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Page> {
    let current = new URL(url);
    let method = init.method ?? (init.form ? 'POST' : 'GET');
    let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
    for (let hop = 0; hop < 20; hop += 1) {
      const headers: Record<string, string> = { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') };
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const res = await fetch(current, { method, redirect: 'manual', headers, ...(body !== undefined ? { body } : {}) });
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attrs] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || attrs.some((a) => /^\s*expires=thu, 01 jan 1970/i.test(a));
        if (expired) this.jar.delete(name);
        else this.jar.set(name, pair.slice(eq + 1).trim());
      }
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer();
        this.seen.push(`Location: ${location}`);
        current = new URL(location, current);
        method = 'GET';
        body = undefined;
        continue;
      }
      const text = await res.text();
      this.seen.push(text);
      return { status: res.status, url: current.href, body: text };
    }
    throw new Error('too many redirects');
  }
}

interface Page {
  status: number;
  url: string;
  body: string;
}

/** The CSRF token a page's forms carry. */
function csrfOf(page: Page): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!token) throw new Error(`no CSRF field in ${page.url}`);
  return token;
}

/** The text of a field's error list, tags dropped and character references decoded. */
function textOf(page: Page, id: string): string {
  const match = new RegExp(`<div class="invalid-feedback d-block" id="${id}">(.*?)</div>`).exec(page.body);
  return match ? match[1].replace(/<[^>]+>/g, ' ').replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))) : '';
}

let idp: TestIssuer;

beforeAll(async () => {
  idp = await startTestIssuer();
});

afterAll(async () => {
  await idp?.close();
});

describe('dashboard login and deployment list', () => {
  let kit: AuthKit;
  let api: Server;
  let apiUrl: string;
  let dashboard: RunningDashboard;
  const apiCalls: { subject: string; url: string }[] = [];

  beforeAll(async () => {
    const config = loadConfig({
      BATON_DATA_DIR: 'memory://',
      BATON_OIDC_ISSUERS: idp.issuer,
      BATON_OIDC_AUDIENCE: idp.audience,
      BATON_OIDC_CLIENT_ID: idp.client.id,
      BATON_OIDC_CLIENT_SECRET: idp.client.secret,
    });
    kit = createAuthKit(config);

    api = createServer((req, res) => {
      void (async () => {
        try {
          const caller = await kit.authenticator.authenticate(req.headers.authorization, { write: false });
          apiCalls.push({ subject: caller.principal.subject, url: req.url ?? '' });
          const page = new URL(req.url ?? '/', 'http://x').searchParams.get('page') === '1' ? 1 : 0;
          const content =
            page === 0
              ? [{ uuid: '11ed8ab3-6a40-968a-82b7-62f0862dbe46', status: 'CREATE_COMPLETE', creationTime: '2024-03-01T09:56+0000', userGroup: 'cms' }]
              : [{ uuid: '22ed8ab3-6a40-968a-82b7-62f0862dbe46', status: 'CREATE_FAILED', statusReason: '<script>alert(1)</script>' }];
          // The next link names another host: the dashboard must re-root it on the API URL.
          const links = page === 0 ? [{ rel: 'next', href: 'http://elsewhere.invalid/deployments?createdBy=me&page=1&size=100' }] : [];
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ links, content, page: { size: 100, totalElements: 2, totalPages: 2, number: page } }));
        } catch (e) {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 401, title: 'Unauthorized', message: (e as Error).message }));
        }
      })();
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

    dashboard = await startDashboard({
      listen: { host: '127.0.0.1', port: 0 },
      publicUrl: null,
      apiUrl,
      issuer: idp.issuer,
      login: kit.login,
      templatesDir: TEMPLATES,
      httpTimeoutMs: 5000,
    });
    idp.allowRedirectUri(`${dashboard.url}/auth/callback`);
    idp.setLoginUser('alice', { name: 'Alice Liddell', groups: ['cms'] });
  });

  afterAll(async () => {
    await dashboard?.close();
    api?.closeAllConnections();
    await new Promise<void>((resolve) => (api ? api.close(() => resolve()) : resolve()));
  });

  it('asks an anonymous visitor to log in', async () => {
    const page = await new Browser().open(`${dashboard.url}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('href="/login"');
    expect(page.body).not.toContain('My deployments');
    // Nor is any other page shown without a login.
    expect((await new Browser().open(`${dashboard.url}/templates`)).status).toBe(401);
  });

  it('logs in at the issuer and lists the user deployments read with the user token', async () => {
    const browser = new Browser();
    const page = await browser.open(`${dashboard.url}/login`);
    expect(page.url).toBe(`${dashboard.url}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Signed in as <strong>Alice Liddell</strong>');
    expect(page.body).toContain('11ed8ab3-6a40-968a-82b7-62f0862dbe46');
    expect(page.body).toContain('22ed8ab3-6a40-968a-82b7-62f0862dbe46');
    expect(page.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(page.body).not.toContain('<script>alert');
    // Both pages were read as alice, in her active group, from the API host only.
    const lists = apiCalls.filter((c) => c.url.startsWith('/deployments?'));
    expect(apiCalls.map((c) => c.subject).every((s) => s === 'alice')).toBe(true);
    expect(lists.map((c) => c.url)).toEqual(['/deployments?createdBy=me&userGroup=cms&size=100', '/deployments?createdBy=me&page=1&size=100']);

    // Each deployment links to its page.
    expect(page.body).toContain('href="/deployments/11ed8ab3-6a40-968a-82b7-62f0862dbe46"');

    // Logging out (a form with the session's CSRF token) ends the session.
    const after = await browser.open(`${dashboard.url}/logout`, { form: { _csrf: csrfOf(page) } });
    expect(after.body).toContain('href="/login"');
    expect(after.body).not.toContain('Signed in as');
  });

  it('refuses a callback that does not match a pending login', async () => {
    const page = await new Browser().open(`${dashboard.url}/auth/callback?code=x&state=y`);
    expect(page.status).toBe(400);
    expect(page.body).toContain('unknown or expired');
  });

  it('refuses a callback whose state was tampered with', async () => {
    // Start a login, but come back with another state.
    const res = await fetch(`${dashboard.url}/login`, { redirect: 'manual' });
    const loginCookie = res.headers.getSetCookie()[0].split(';')[0];
    const back = await fetch(`${dashboard.url}/auth/callback?code=abc&state=forged`, { headers: { cookie: loginCookie }, redirect: 'manual' });
    expect(back.status).toBe(401);
    expect(await back.text()).toContain('login state does not match');
  });
});

describe('dashboard against the real baton service', () => {
  let baton: RunningBaton;
  let dashboard: RunningDashboard;
  let kit: AuthKit;

  beforeAll(async () => {
    baton = await startBaton(oidcEnv(idp));
    kit = createAuthKit(loadConfig({ BATON_DATA_DIR: 'memory://', ...oidcEnv(idp) }));
    dashboard = await startDashboard({
      listen: { host: '127.0.0.1', port: 0 },
      publicUrl: null,
      apiUrl: baton.url,
      issuer: idp.issuer,
      login: kit.login,
      templatesDir: TEMPLATES,
      httpTimeoutMs: 10_000,
    });
    idp.allowRedirectUri(`${dashboard.url}/auth/callback`);
  }, 120_000);

  afterAll(async () => {
    await dashboard?.close();
    await baton?.close();
  }, 60_000);

  async function loggedIn(sub: string): Promise<{ browser: Browser; home: Page }> {
    idp.setLoginUser(sub, { name: `User ${sub}`, groups: ['cms'] });
    const browser = new Browser();
    const home = await browser.open(`${dashboard.url}/login`);
    expect(home.body).toContain(`Signed in as <strong>User ${sub}</strong>`);
    return { browser, home };
  }

  /** Opens the page until it shows `text` (the page refreshes itself the same way). */
  async function waitFor(browser: Browser, url: string, done: (page: Page) => boolean, seconds = 60): Promise<Page> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      const page = await browser.open(url);
      if (done(page) || Date.now() > deadline) return page;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  it('shows the compiler errors next to their fields and at the top, keeping the values entered', async () => {
    const { browser } = await loggedIn('dave');
    const form = await browser.open(`${dashboard.url}/templates/virtual-machines`);
    const refused = await browser.open(`${dashboard.url}/templates/virtual-machines`, {
      form: { _csrf: csrfOf(form), count: 'abc', num_cpus: '2', mem_size: 'lots', distribution: 'debian' },
    });
    expect([400, 422]).toContain(refused.status);
    expect(refused.url).toBe(`${dashboard.url}/templates/virtual-machines`);
    expect(textOf(refused, 'e-count')).toContain('"abc" is not a valid integer');
    expect(textOf(refused, 'e-mem_size')).toContain('is not a valid scalar-unit.size');
    expect(textOf(refused, 'e-num_cpus')).toBe('');
    expect(refused.body).toContain('aria-invalid="true"');
    // What was typed is kept.
    expect(refused.body).toMatch(/name="count"[^>]*value="abc"/);
    expect(refused.body).toContain('<option value="debian" selected>Debian</option>');
    expect(refused.body).toMatch(/name="num_cpus"[^>]*value="2"/);
    // A value the input accepts but the node it feeds refuses (fe_cpus has no constraint of its
    // own; the host's num_cpus must be >= 1): that diagnostic names no input, so it goes to the top.
    const cluster = await browser.open(`${dashboard.url}/templates/htcondor-cluster`);
    const refusedByNode = await browser.open(`${dashboard.url}/templates/htcondor-cluster`, { form: { _csrf: csrfOf(cluster), fe_cpus: '0' } });
    expect([400, 422]).toContain(refusedByNode.status);
    const top = refusedByNode.body.slice(refusedByNode.body.indexOf('id="error-summary"'), refusedByNode.body.indexOf('<form method="post" action="/templates/'));
    expect(top).toContain('topology_template.node_templates.lrms_server.capabilities.host.properties.num_cpus');
    expect(textOf(refusedByNode, 'e-fe_cpus')).toBe('');
    expect(refusedByNode.body).toMatch(/name="fe_cpus"[^>]*value="0"/);
    // Nothing was created.
    expect((await browser.open(`${dashboard.url}/`)).body).toContain('No deployments.');
  });

  it('never shows a password back: not in the form, an error, a redirect or the deployment page', async () => {
    const { browser } = await loggedIn('erin');
    const form = await browser.open(`${dashboard.url}/templates/jupyterhub`);
    // type string, but a secret-looking name: a password field, required (no default), no value.
    expect(form.body).toMatch(/<input type="password" class="form-control" id="f-admin_password" name="admin_password" aria-describedby="h-admin_password" required aria-required="true" autocomplete="new-password">/);
    // The parameters file's options, in words; the template default selected.
    expect(form.body).toMatch(/<select class="form-select" id="f-authenticator" name="authenticator"[^>]*><option value="local" selected>Local system users and passwords<\/option><option value="dummy">/);

    const short = 'Sh0rt!';
    const refused = await browser.open(`${dashboard.url}/templates/jupyterhub`, { form: { _csrf: csrfOf(form), admin_password: short, authenticator: 'local' } });
    expect([400, 422]).toContain(refused.status);
    expect(textOf(refused, 'e-admin_password')).toContain('violates the constraint min_length: 8');
    expect(refused.body).not.toContain(short);

    const good = 'correct horse battery staple';
    const created = await browser.open(`${dashboard.url}/templates/jupyterhub`, { form: { _csrf: csrfOf(refused), admin_password: good, authenticator: 'local' } });
    expect(created.url).toMatch(/\/deployments\/[0-9a-f-]{36}$/);
    const id = created.url.split('/').pop()!;
    // The simulated cloud's servers take no SSH login: the deployment settles as failed.
    const settled = await waitFor(browser, created.url, (p) => !p.body.includes('_IN_PROGRESS'));
    expect(settled.body).toContain('CREATE_FAILED');
    const seen = browser.seen.join('\n');
    expect(seen).not.toContain(good);
    expect(seen).not.toContain(short);
    const confirm = await browser.open(`${created.url}/delete`);
    await browser.open(`${created.url}/delete`, { form: { _csrf: csrfOf(confirm) } });
    expect((await waitFor(browser, `${dashboard.url}/deployments/${id}`, (p) => p.status === 404)).status).toBe(404);
  });

  it('refuses a POST without the session CSRF token, or with a wrong one (403), and does nothing', async () => {
    const { browser, home } = await loggedIn('frank');
    const token = csrfOf(home);
    const deploy = `${dashboard.url}/templates/virtual-machines`;
    expect((await browser.open(deploy, { form: { count: '1' } })).status).toBe(403);
    expect((await browser.open(deploy, { form: { _csrf: `${token.slice(0, -2)}xx`, count: '1' } })).status).toBe(403);
    expect((await browser.open(deploy, { form: { _csrf: '', count: '1' } })).status).toBe(403);
    // Another session's token is wrong too.
    const other = await loggedIn('grace');
    expect((await browser.open(deploy, { form: { _csrf: csrfOf(other.home), count: '1' } })).status).toBe(403);
    // Without any session.
    expect((await new Browser().open(deploy, { form: { _csrf: token, count: '1' } })).status).toBe(403);
    expect((await browser.open(`${dashboard.url}/deployments/11ed8ab3-6a40-968a-82b7-62f0862dbe46/delete`, { form: { _csrf: 'nope' } })).status).toBe(403);
    const logout = await browser.open(`${dashboard.url}/logout`, { method: 'POST' });
    expect(logout.status).toBe(403);
    // The session is still there, and nothing was deployed.
    const after = await browser.open(`${dashboard.url}/`);
    expect(after.body).toContain('Signed in as <strong>User frank</strong>');
    expect(after.body).toContain('No deployments.');
  });
});
