// The dashboard end to end with a real OpenID provider: a browser (fetch with a cookie jar)
// logs in through the authorization-code flow and sees its deployments, which the dashboard read
// from an API with the user's own access token. The API here is a stand-in that authenticates
// with the real libs/auth verifier and serves two pages; the real API has its own e2e tests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@lib/config';
import { createAuthKit, type AuthKit } from '@lib/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Test support, not a lib's API: the shared test issuer lives with libs/auth's tests.
import { startTestIssuer, type TestIssuer } from '../../../libs/auth/test/support/oidc-provider';
import { startDashboard, type RunningDashboard } from '../src/dashboard.server';

class Browser {
  private readonly jar = new Map<string, string>();

  /** Follows redirects (at most 20), keeping cookies; returns the last response and its body. */
  async open(url: string, init: { method?: string } = {}): Promise<{ status: number; url: string; body: string }> {
    let current = new URL(url);
    let method = init.method ?? 'GET';
    for (let hop = 0; hop < 20; hop += 1) {
      const res = await fetch(current, { method, redirect: 'manual', headers: { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
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
        current = new URL(location, current);
        method = 'GET';
        continue;
      }
      return { status: res.status, url: current.href, body: await res.text() };
    }
    throw new Error('too many redirects');
  }
}

describe('dashboard login and deployment list', () => {
  let idp: TestIssuer;
  let kit: AuthKit;
  let api: Server;
  let apiUrl: string;
  let dashboard: RunningDashboard;
  const apiCalls: { subject: string; url: string }[] = [];

  beforeAll(async () => {
    idp = await startTestIssuer();
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
      httpTimeoutMs: 5000,
    });
    idp.allowRedirectUri(`${dashboard.url}/auth/callback`);
    idp.setLoginUser('alice', { name: 'Alice Liddell', groups: ['cms'] });
  });

  afterAll(async () => {
    await dashboard?.close();
    api?.closeAllConnections();
    await new Promise<void>((resolve) => (api ? api.close(() => resolve()) : resolve()));
    await idp?.close();
  });

  it('asks an anonymous visitor to log in', async () => {
    const page = await new Browser().open(`${dashboard.url}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('href="login"');
    expect(page.body).not.toContain('My deployments');
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
    expect(page.body).not.toContain('<script>');
    // Both pages were read as alice, from the API host only.
    expect(apiCalls.map((c) => c.subject)).toEqual(['alice', 'alice']);
    expect(apiCalls[0].url).toBe('/deployments?createdBy=me&size=100');
    expect(apiCalls[1].url).toBe('/deployments?createdBy=me&page=1&size=100');

    // Logging out ends the session.
    const after = await browser.open(`${dashboard.url}/logout`, { method: 'POST' });
    expect(after.body).toContain('href="login"');
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
