// The client against the in-process simulator: the conformance scenarios, then every failure
// mode the simulator can inject (retry counts and "exactly one server" are asserted).
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type CloudSimulator,
  OpenStackAbortedError,
  OpenStackClient,
  type OpenStackClientOptions,
  OpenStackConnectionError,
  OpenStackHttpError,
  type OpenStackLogEvent,
  OpenStackResourceError,
  OpenStackTimeoutError,
  startCloudSimulator,
} from '../src/index';
import { addressesOf, defineClientConformance, prefix } from './client-conformance';

let sim: CloudSimulator;
let idpKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
const ISSUER = 'https://iam.test.example/';
const clients: OpenStackClient[] = [];

function options(extra: Partial<OpenStackClientOptions> = {}): OpenStackClientOptions {
  return {
    authUrl: sim.authUrl,
    auth: { type: 'password', username: sim.username, password: sim.password, projectName: sim.projectName, userDomainName: 'Default', projectDomainName: 'Default' },
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
    timeoutMs: 5_000,
    ...extra,
  };
}

function client(extra: Partial<OpenStackClientOptions> = {}): OpenStackClient {
  const c = new OpenStackClient(options(extra));
  clients.push(c);
  return c;
}

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  idpKey = privateKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  sim = await startCloudSimulator({
    bootTimeMs: 100,
    deleteTimeMs: 50,
    volumeTimeMs: 50,
    oidcProviders: [{ id: 'iam', protocol: 'openid', issuer: ISSUER, jwks: { keys: [jwk] }, audience: 'openstack', projects: ['demo'] }],
  });
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await sim?.close();
});

beforeEach(() => {
  sim.admin.clearFaults();
  sim.admin.setLatency(0);
  sim.admin.resetStats();
});

defineClientConformance(() => ({
  name: 'simulator',
  options: () => options(),
  externalNetwork: 'public',
  image: 'ossim-tiny',
  flavor: 'm1.tiny',
  hasVolumes: true,
  pollMs: 50,
  waitTimeoutMs: 10_000,
}));

async function baseSpec(os: OpenStackClient, p: string) {
  const net = await os.network.createNetwork({ name: `${p}-net` });
  await os.network.createSubnet({ name: `${p}-sub`, networkId: net.id, cidr: '10.9.0.0/24' });
  const flavor = await os.compute.findFlavor('m1.tiny');
  const image = await os.image.findImage('ossim-tiny');
  return { name: `${p}-vm`, flavorId: flavor.id, imageId: image.id, networks: [{ uuid: net.id }] };
}

async function cleanup(os: OpenStackClient, p: string): Promise<void> {
  for (const s of await os.compute.listServers({ name: `^${p}-` })) {
    await os.compute.deleteServer(s.id);
    await os.compute.waitForServerGone(s.id, { intervalMs: 20, timeoutMs: 5_000 });
  }
  for (const n of await os.network.listNetworks({ name: `${p}-net` })) await os.network.deleteNetwork(n.id);
}

const serversNamed = (name: string) => sim.admin.servers().filter((s) => s.name === name);

describe('retries and idempotent creates', () => {
  it('retries injected 500s on a create, looking up before each retry: one server', async () => {
    const os = client();
    const p = prefix();
    const spec = await baseSpec(os, p);
    sim.admin.resetStats();
    const fault = sim.admin.injectFault({ service: 'compute', method: 'POST', path: '^/servers$', status: 500, times: 2 });
    const server = await os.compute.createServer(spec, `${p}/vm`);
    expect(sim.admin.faultHits(fault)).toBe(2);
    const routes = sim.admin.stats().routes;
    expect(routes['compute POST /servers']).toBe(3);
    expect(routes['compute GET /servers/detail']).toBe(3); // one look-up before each attempt
    expect(serversNamed(spec.name)).toHaveLength(1);
    expect(serversNamed(spec.name)[0].id).toBe(server.id);
    await cleanup(os, p);
  });

  it('finds the server when the answer to the create was lost (connection dropped after the work)', async () => {
    const os = client();
    const p = prefix();
    const spec = await baseSpec(os, p);
    sim.admin.resetStats();
    sim.admin.injectFault({ service: 'compute', method: 'POST', path: '^/servers$', mode: 'drop_after' });
    const server = await os.compute.createServer(spec, `${p}/vm`);
    expect(sim.admin.stats().routes['compute POST /servers']).toBe(1);
    expect(serversNamed(spec.name)).toHaveLength(1);
    expect(serversNamed(spec.name)[0].id).toBe(server.id);
    await cleanup(os, p);
  });

  it('retries a create whose connection dropped before the work was done', async () => {
    const os = client();
    const p = prefix();
    const spec = await baseSpec(os, p);
    sim.admin.injectFault({ service: 'compute', method: 'POST', path: '^/servers$', mode: 'drop', times: 1 });
    await os.compute.createServer(spec, `${p}/vm`);
    expect(sim.admin.stats().injectedFaults).toBe(1);
    expect(serversNamed(spec.name)).toHaveLength(1);
    await cleanup(os, p);
  });

  it('retries idempotent calls on 5xx, 429 and resets, with the count asserted', async () => {
    const events: OpenStackLogEvent[] = [];
    const os = client({ logger: (e) => events.push(e) });
    await os.authenticate();
    sim.admin.injectFault({ service: 'network', method: 'GET', path: '^/networks$', status: 503, times: 1 });
    sim.admin.injectFault({ service: 'network', method: 'GET', path: '^/networks$', status: 429, times: 1, retryAfterSeconds: 0 });
    sim.admin.injectFault({ service: 'network', method: 'GET', path: '^/networks$', mode: 'drop', times: 1 });
    const networks = await os.network.listNetworks();
    expect(networks.some((n) => n.name === 'public')).toBe(true);
    expect(sim.admin.stats().requests['network']).toBe(4);
    expect(events.filter((e) => e.event === 'retry').map((e) => e.errorCode)).toEqual(['server_error', 'rate_limited', 'connection_failed']);
  });

  it('gives up after maxAttempts with the provider message and request id', async () => {
    const os = client();
    await os.authenticate();
    sim.admin.injectFault({ service: 'compute', method: 'GET', status: 500, times: 10 });
    const error = await os.compute.listFlavors().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenStackHttpError);
    expect(error).toMatchObject({ status: 500, code: 'server_error', transient: true });
    expect((error as OpenStackHttpError).providerMessage).toMatch(/^Unexpected API Error/);
    expect((error as OpenStackHttpError).requestId).toMatch(/^req-/);
    expect(sim.admin.stats().requests['compute']).toBe(4);
  });

  it('surfaces exhausted connection failures as OpenStackConnectionError', async () => {
    const os = client({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    await os.authenticate();
    sim.admin.injectFault({ service: 'compute', mode: 'drop', times: 5 });
    const error = await os.compute.listFlavors().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenStackConnectionError);
    expect(error).toMatchObject({ code: 'connection_failed', transient: true });
    expect(sim.admin.stats().requests['compute']).toBe(2);
  });
});

describe('tokens', () => {
  it('renews an early-expired token once on 401 and repeats the call', async () => {
    const os = client();
    await os.authenticate();
    expect(sim.admin.expireTokens()).toBeGreaterThan(0);
    await os.compute.listFlavors();
    expect(os.session.tokens.issued).toBe(2);
    expect(sim.admin.stats().requests['compute']).toBe(2); // the 401, then the repeat
  });

  it('renews at most once per call: a second 401 is an error', async () => {
    const os = client();
    await os.authenticate();
    sim.admin.injectFault({ service: 'compute', status: 401, message: 'The request you have made requires authentication.', times: 5 });
    const error = await os.compute.listFlavors().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', transient: false });
    expect(os.session.tokens.issued).toBe(2);
  });

  it('logs in with an application credential', async () => {
    const os = client();
    const token = await os.session.token();
    const res = await fetch(`${sim.authUrl}/users/${token.userId}/application_credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': token.value },
      body: JSON.stringify({ application_credential: { name: 'ci' } }),
    });
    expect(res.status).toBe(201);
    const { application_credential: cred } = (await res.json()) as { application_credential: { id: string; secret: string } };
    const byId = client({ auth: { type: 'application_credential', applicationCredentialId: cred.id, secret: cred.secret } });
    expect((await byId.authenticate()).projectId).toBe(sim.projectId);
    const byName = client({ auth: { type: 'application_credential', applicationCredentialName: 'ci', username: sim.username, userDomainName: 'Default', secret: cred.secret } });
    expect((await byName.authenticate()).projectId).toBe(sim.projectId);
    const wrong = client({ auth: { type: 'application_credential', applicationCredentialId: cred.id, secret: 'nope' } });
    await expect(wrong.authenticate()).rejects.toMatchObject({ status: 401 });
  });

  it('re-scopes an existing token', async () => {
    const token = await client().session.token();
    const os = client({ auth: { type: 'token', token: token.value, projectName: sim.projectName, projectDomainName: 'Default' } });
    expect((await os.authenticate()).projectId).toBe(sim.projectId);
  });

  it('exchanges an OIDC access token through Keystone federation (JWKS-checked)', async () => {
    const jwt = await new SignJWT({ preferred_username: 'alice' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience('openstack')
      .setSubject('alice-sub')
      .setExpirationTime('5m')
      .sign(idpKey);
    const os = client({ auth: { type: 'oidc_access_token', identityProvider: 'iam', protocol: 'openid', accessToken: async () => jwt } });
    const who = await os.authenticate();
    const demo = (await (await fetch(`${sim.authUrl}/auth/projects`, { headers: { 'x-auth-token': (await os.session.token()).value } })).json()) as { projects: { id: string; name: string }[] };
    expect(demo.projects.map((p) => p.name)).toEqual(['demo']);
    expect(who.projectId).toBe(demo.projects[0].id);
    expect((await os.network.listNetworks({ name: 'public' })).length).toBe(1);

    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setSubject('mallory').sign(new TextEncoder().encode('x'.repeat(32)));
    const bad = client({ auth: { type: 'oidc_access_token', identityProvider: 'iam', protocol: 'openid', accessToken: forged } });
    await expect(bad.authenticate()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    await expect(client({ auth: { type: 'oidc_access_token', identityProvider: 'nope', protocol: 'openid', accessToken: jwt } }).authenticate()).rejects.toMatchObject({ status: 404 });
  });
});

describe('abort and time-out', () => {
  it('aborts a call in flight', async () => {
    const os = client();
    await os.authenticate();
    sim.admin.setLatency(2_000, 'compute');
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    await expect(os.compute.listFlavors({ signal: controller.signal })).rejects.toBeInstanceOf(OpenStackAbortedError);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('aborts a wait', async () => {
    const os = client();
    const p = prefix();
    const spec = await baseSpec(os, p);
    sim.admin.setBootTime(10_000, `^${p}-`);
    const server = await os.compute.createServer(spec, `${p}/vm`);
    const c2 = new AbortController();
    setTimeout(() => c2.abort(), 150);
    await expect(os.compute.waitForServer(server.id, 'ACTIVE', { signal: c2.signal, intervalMs: 20 })).rejects.toBeInstanceOf(OpenStackAbortedError);
    await cleanup(os, p);
  });

  it('times out a slow call without retrying it', async () => {
    const os = client({ timeoutMs: 200 });
    await os.authenticate();
    sim.admin.setLatency(1_000, 'compute');
    const started = Date.now();
    const error = await os.compute.listFlavors().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenStackTimeoutError);
    expect(error).toMatchObject({ code: 'timeout', timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(900);
    expect(sim.admin.stats().requests['compute']).toBe(1);
  });
});

describe('cloud-side failures', () => {
  it('reports a server that goes to ERROR with Nova fault message', async () => {
    const os = client();
    const p = prefix();
    const spec = await baseSpec(os, p);
    sim.admin.failServers({ namePattern: `^${p}-`, message: 'No valid host was found. There are not enough hosts available.' });
    const server = await os.compute.createServer(spec, `${p}/vm`);
    const error = await os.compute.waitForServer(server.id, 'ACTIVE', { intervalMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenStackResourceError);
    expect(error).toMatchObject({ code: 'resource_failed', status: 'ERROR', faultMessage: 'No valid host was found. There are not enough hosts available.', transient: false });
    const shown = await os.compute.getServer(server.id);
    expect(shown.fault).toMatchObject({ code: 500, message: 'No valid host was found. There are not enough hosts available.' });
    expect(shown.addresses).toEqual({});
    await cleanup(os, p);
  });

  it('maps quota errors of Nova (403), Neutron (409) and Cinder (413) to quota_exceeded', async () => {
    const os = client();
    const p = prefix();
    const spec = await baseSpec(os, p);
    sim.admin.setQuota({ instances: 0, floatingip: 0, volumes: 0 });
    try {
      const nova = await os.compute.createServer(spec, `${p}/vm`).catch((e: unknown) => e);
      expect(nova).toMatchObject({ status: 403, code: 'quota_exceeded', transient: false });
      expect((nova as OpenStackHttpError).providerMessage).toMatch(/^Quota exceeded for instances: Requested 1, but already used \d+ of 0 instances$/);
      const neutron = await os.network.allocateFloatingIp({ network: 'public' }).catch((e: unknown) => e);
      expect(neutron).toMatchObject({ status: 409, code: 'quota_exceeded', providerMessage: "Quota exceeded for resources: ['floatingip']." });
      const cinder = await os.volume.createVolume({ name: `${p}-v`, sizeGb: 1 }, `${p}/v`).catch((e: unknown) => e);
      expect(cinder).toMatchObject({ status: 413, code: 'quota_exceeded' });
      expect(serversNamed(spec.name)).toHaveLength(0);
    } finally {
      sim.admin.setQuota({ instances: 10, floatingip: 50, volumes: 10 });
      await cleanup(os, p);
    }
  });

  it('binds new servers to a pool of reachable addresses', async () => {
    const os = client();
    const p = prefix();
    const spec = await baseSpec(os, p);
    sim.admin.bindAddressPool(['127.0.0.2', '127.0.0.3']);
    try {
      const a = await os.compute.createServer({ ...spec, name: `${p}-a` }, `${p}/a`);
      const b = await os.compute.createServer({ ...spec, name: `${p}-b` }, `${p}/b`);
      const addr = async (id: string) => addressesOf(await os.compute.waitForServer(id, 'ACTIVE', { intervalMs: 20 }))[0]?.addr;
      expect([await addr(a.id), await addr(b.id)]).toEqual(['127.0.0.2', '127.0.0.3']);
      sim.admin.bindServerAddress(a.id, '127.0.0.9');
      expect(await addr(a.id)).toBe('127.0.0.9');
    } finally {
      sim.admin.bindAddressPool([]);
      await cleanup(os, p);
    }
  });
});

describe('secrets', () => {
  it('never logs or throws the password or the token', async () => {
    const events: OpenStackLogEvent[] = [];
    const os = client({ logger: (e) => events.push(e) });
    await os.compute.listFlavors();
    sim.admin.expireTokens();
    await os.compute.listFlavors();
    sim.admin.injectFault({ service: 'compute', status: 500, times: 10 });
    const error = (await os.compute.listFlavors().catch((e: unknown) => e)) as Error;
    const token = (await os.session.token()).value;
    const everything = JSON.stringify(events) + error.message + String(error.stack) + JSON.stringify(error);
    expect(events.length).toBeGreaterThan(3);
    expect(everything).not.toContain(sim.password);
    expect(everything).not.toContain(token);
  });
});

describe('admin API over HTTP', () => {
  it('drives the same controls as the in-process admin', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${sim.url}/admin${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const os = client();
    await os.authenticate();
    const res = await post('/faults', { service: 'image', method: 'GET', status: 503, times: 1 });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    await os.image.listImages();
    expect(((await (await fetch(`${sim.url}/admin/faults/${id}`)).json()) as { hits: number }).hits).toBe(1);
    expect((await post('/expire-tokens', {})).status).toBe(200);
    await os.image.listImages();
    expect(os.session.tokens.issued).toBe(2);
    const stats = (await (await fetch(`${sim.url}/admin/stats`)).json()) as { requests: Record<string, number> };
    expect(stats.requests['image']).toBe(4); // 503 + retry, 401 + repeat
    expect((await post('/boot-time', { ms: 'slow' })).status).toBe(400);
  });
});
