// Auth over HTTP with a real OpenID provider (oidc-provider on loopback, real keys and
// signatures): every kind of bad token is refused with the reference's error body, scopes are
// enforced per route, and a user cannot act on another user's deployment.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from './support/issuer.harness';
import { oidcEnv, startBaton, type RunningBaton } from './support/baton.harness';
import { request, type HttpAnswer } from './support/http.client';

const TEMPLATE = readFileSync(join(__dirname, 'fixtures/compute-pair.yaml'), 'utf8');

let idp: TestIssuer;
let stranger: TestIssuer; // a real provider that is not on the allow-list
let baton: RunningBaton;
let aliceDeployment: string;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function expectRefused(a: HttpAnswer, status: 401 | 403, message?: RegExp): void {
  expect(a.status, a.text).toBe(status);
  const body = a.json as { code: number; title: string; message: string };
  expect(body.code).toBe(status);
  expect(body.title).toBe(status === 401 ? 'Unauthorized' : 'Forbidden');
  if (message) expect(body.message).toMatch(message);
  // Nothing of the token comes back.
  expect(a.text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
}

beforeAll(async () => {
  idp = await startTestIssuer();
  stranger = await startTestIssuer();
  baton = await startBaton({ ...oidcEnv(idp), BATON_OIDC_ADMIN_GROUPS: `${idp.issuer}|orchestrator-admins` });
  const alice = await idp.mintToken({ sub: 'alice', groups: ['cms'] });
  const created = await request('POST', `${baton.url}/deployments`, { ...bearer(alice), body: { template: TEMPLATE, userGroup: 'cms' } });
  expect(created.status, created.text).toBe(201);
  aliceDeployment = (created.json as { uuid: string }).uuid;
}, 600_000);

afterAll(async () => {
  await baton?.close();
  await stranger?.close();
  await idp?.close();
}, 120_000);

describe('tokens', () => {
  it('no token → 401 on every route but the public ones', async () => {
    expectRefused(await request('GET', `${baton.url}/deployments`), 401);
    expectRefused(await request('GET', `${baton.url}/configuration`), 401);
    expect((await request('GET', `${baton.url}/`)).status).toBe(200);
    expect((await request('GET', `${baton.url}/info`)).status).toBe(200);
    expect((await request('GET', `${baton.url}/healthz`)).status).toBe(200);
  });

  it('a token from an issuer not on the allow-list → 401', async () => {
    const token = await stranger.mintToken({ sub: 'alice' });
    expectRefused(await request('GET', `${baton.url}/deployments`, bearer(token)), 401, /issuer/);
  });

  it('a forged signature (same claims, another key) → 401', async () => {
    const token = await idp.forgeToken({ sub: 'alice' });
    expectRefused(await request('GET', `${baton.url}/deployments`, bearer(token)), 401);
  });

  it('an expired token → 401', async () => {
    const token = await idp.mintToken({ sub: 'alice', expiresIn: -300 });
    expectRefused(await request('GET', `${baton.url}/deployments`, bearer(token)), 401, /expired/);
  });

  it('garbage and a wrong scheme → 401; the scheme is case-insensitive', async () => {
    expectRefused(await request('GET', `${baton.url}/deployments`, { authorization: 'Bearer not-a-jwt' }), 401);
    const token = await idp.mintToken({ sub: 'alice' });
    expectRefused(await request('GET', `${baton.url}/deployments`, { authorization: `Basic ${token}` }), 401);
    expect((await request('GET', `${baton.url}/deployments`, { authorization: `bearer ${token}` })).status).toBe(200);
    expect((await request('GET', `${baton.url}/deployments`, { authorization: `BEARER ${token}` })).status).toBe(200);
  });
});

describe('scopes', () => {
  it('reads need openid and profile', async () => {
    const token = await idp.mintToken({ sub: 'alice', scope: 'openid' });
    expectRefused(await request('GET', `${baton.url}/deployments`, bearer(token)), 403, /scope/);
  });

  it('writes also need offline_access', async () => {
    const token = await idp.mintToken({ sub: 'alice', scope: 'openid profile', groups: ['cms'] });
    expect((await request('GET', `${baton.url}/deployments/${aliceDeployment}`, bearer(token))).status).toBe(200);
    expectRefused(await request('POST', `${baton.url}/deployments`, { ...bearer(token), body: { template: TEMPLATE } }), 403, /scope/);
    expectRefused(await request('DELETE', `${baton.url}/deployments/${aliceDeployment}`, bearer(token)), 403, /scope/);
  });
});

describe('another user', () => {
  it('bob of the same issuer may read alice’s deployment but not act on it', async () => {
    const bob = await idp.mintToken({ sub: 'bob', groups: ['cms'] });
    expect((await request('GET', `${baton.url}/deployments/${aliceDeployment}`, bearer(bob))).status).toBe(200);
    const owner = /^Only the owner of the deployment can perform this operation$/;
    expectRefused(await request('DELETE', `${baton.url}/deployments/${aliceDeployment}`, bearer(bob)), 403, owner);
    expectRefused(await request('PUT', `${baton.url}/deployments/${aliceDeployment}`, { ...bearer(bob), body: { template: TEMPLATE } }), 403, owner);
    expectRefused(await request('PATCH', `${baton.url}/deployments/${aliceDeployment}`, { ...bearer(bob), body: { status: 'DELETE_FAILED' } }), 403, owner);
    expectRefused(await request('GET', `${baton.url}/deployments/${aliceDeployment}/log`, bearer(bob)), 403, owner);
    expectRefused(await request('GET', `${baton.url}/deployments/${aliceDeployment}/extrainfo`, bearer(bob)), 403, owner);
  });

  it('bob sees only his own list and may not name alice (not admin)', async () => {
    const bob = await idp.mintToken({ sub: 'bob' });
    const mine = await request('GET', `${baton.url}/deployments`, bearer(bob));
    expect((mine.json as { content: unknown[] }).content).toEqual([]);
    expectRefused(await request('GET', `${baton.url}/deployments?createdBy=alice@${idp.issuer}`, bearer(bob)), 403, /^Only admin can retrieve deployments for /);
  });

  it('an admin lists every deployment of the issuer and may filter by owner', async () => {
    const admin = await idp.mintToken({ sub: 'root', groups: ['orchestrator-admins'] });
    const all = await request('GET', `${baton.url}/deployments`, bearer(admin));
    expect((all.json as { content: Array<{ uuid: string }> }).content.map((d) => d.uuid)).toContain(aliceDeployment);
    const hers = await request('GET', `${baton.url}/deployments?createdBy=alice@${idp.issuer}`, bearer(admin));
    expect((hers.json as { page: { totalElements: number } }).page.totalElements).toBe(1);
    // Admins get no owner bypass (reference §1.3).
    expectRefused(await request('DELETE', `${baton.url}/deployments/${aliceDeployment}`, bearer(admin)), 403);
  });

  it('userGroup: a group the token lacks, or no group claim at all → 403', async () => {
    const alice = await idp.mintToken({ sub: 'alice', groups: ['cms'] });
    expectRefused(
      await request('POST', `${baton.url}/deployments`, { ...bearer(alice), body: { template: TEMPLATE, userGroup: 'atlas' } }),
      403,
      /^The group atlas is not in the user's authorized groups$/,
    );
    const noGroups = await idp.mintToken({ sub: 'alice' });
    expectRefused(await request('GET', `${baton.url}/deployments?userGroup=cms`, bearer(noGroups)), 403, /does not contain a group claim/);
    const wlcg = await idp.mintToken({ sub: 'alice', wlcgGroups: ['/cms'] });
    expect((await request('GET', `${baton.url}/deployments?userGroup=cms`, bearer(wlcg))).status).toBe(200);
  });
});
