// The session against the in-process simulator: Keystone logins by ids, secrets kept out of
// every log line and error (application-credential secret, OIDC access token), and the
// per-endpoint error rate of the simulator's fault injection.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CloudSimulator, OpenStackClient, type OpenStackClientOptions, OpenStackHttpError, type OpenStackLogEvent, startCloudSimulator } from '../src/index';

const ISSUER = 'https://iam.session.example/';
let sim: CloudSimulator;
let idpKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
const clients: OpenStackClient[] = [];

function client(extra: Partial<OpenStackClientOptions> = {}): OpenStackClient {
  const c = new OpenStackClient({
    authUrl: sim.authUrl,
    auth: { type: 'password', username: sim.username, password: sim.password, projectName: sim.projectName, userDomainName: 'Default', projectDomainName: 'Default' },
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    timeoutMs: 5_000,
    ...extra,
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  idpKey = privateKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: 's1', alg: 'RS256', use: 'sig' };
  sim = await startCloudSimulator({
    bootTimeMs: 100,
    oidcProviders: [{ id: 'iam', protocol: 'openid', issuer: ISSUER, jwks: { keys: [jwk] }, audience: 'openstack', projects: ['demo'] }],
  });
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await sim?.close();
});

beforeEach(() => {
  sim.admin.clearFaults();
  sim.admin.resetStats();
});

/** Everything a caller could see: log events, and the error's message, stack and own members. */
function visible(events: OpenStackLogEvent[], ...errors: unknown[]): string {
  return JSON.stringify(events) + errors.map((e) => (e instanceof Error ? `${e.message}\n${String(e.stack)}\n${JSON.stringify(e)}` : String(e))).join('\n');
}

describe('Keystone logins by id', () => {
  it('logs in with user id and project id, and by name within domains given by id', async () => {
    const who = await client().authenticate();
    const byIds = await client({ auth: { type: 'password', userId: who.userId, password: sim.password, projectId: who.projectId } }).authenticate();
    expect(byIds).toMatchObject({ userId: who.userId, projectId: who.projectId });
    const byDomainIds = await client({
      auth: { type: 'password', username: sim.username, userDomainId: 'default', password: sim.password, projectName: sim.projectName, projectDomainId: 'default' },
    }).authenticate();
    expect(byDomainIds).toMatchObject({ userId: who.userId, projectId: who.projectId });
    // The user's id with the project's name, within a domain by id.
    const mixed = await client({ auth: { type: 'password', userId: who.userId, password: sim.password, projectName: sim.projectName, projectDomainId: 'default' } }).authenticate();
    expect(mixed.projectId).toBe(who.projectId);
  });

  it('refuses unknown ids with 401, naming nothing', async () => {
    const who = await client().authenticate();
    const cases: OpenStackClientOptions['auth'][] = [
      { type: 'password', userId: 'f'.repeat(32), password: sim.password, projectId: who.projectId },
      { type: 'password', userId: who.userId, password: sim.password, projectId: 'e'.repeat(32) },
      { type: 'password', username: sim.username, userDomainId: 'nodomain', password: sim.password, projectId: who.projectId },
      { type: 'password', userId: who.userId, password: sim.password, projectName: sim.projectName, projectDomainId: 'nodomain' },
    ];
    for (const auth of cases) {
      const error = await client({ auth }).authenticate().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenStackHttpError);
      expect(error).toMatchObject({ status: 401, code: 'unauthorized', providerMessage: 'The request you have made requires authentication.' });
    }
  });
});

describe('secrets', () => {
  it('never logs or throws an application-credential secret', async () => {
    const owner = client();
    const token = await owner.session.token();
    const res = await fetch(`${sim.authUrl}/users/${token.userId}/application_credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': token.value },
      body: JSON.stringify({ application_credential: { name: 'session-spec' } }),
    });
    expect(res.status).toBe(201);
    const { application_credential: cred } = (await res.json()) as { application_credential: { id: string; secret: string } };

    const events: OpenStackLogEvent[] = [];
    const os = client({ logger: (e) => events.push(e), auth: { type: 'application_credential', applicationCredentialId: cred.id, secret: cred.secret } });
    await os.compute.listFlavors();
    sim.admin.expireTokens(); // a second login, with the secret, on the 401
    await os.compute.listFlavors();
    sim.admin.injectFault({ service: 'compute', status: 500, times: 10 });
    const failed = await os.compute.listFlavors().catch((e: unknown) => e);
    const wrongSecret = `${cred.secret}-not`;
    const refused = await client({ logger: (e) => events.push(e), auth: { type: 'application_credential', applicationCredentialId: cred.id, secret: wrongSecret } })
      .authenticate()
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ status: 500 });
    expect(refused).toMatchObject({ status: 401 });
    expect(os.session.tokens.issued).toBe(2);
    const seen = visible(events, failed, refused);
    // Logins themselves are not logged; the calls around them and the renewal are.
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['response', 'token_renewed', 'retry']));
    expect(seen).not.toContain(cred.secret);
    expect(seen).not.toContain(wrongSecret);
  });

  it('never logs or throws an OIDC access token', async () => {
    const sign = (audience: string) =>
      new SignJWT({ preferred_username: 'carol' }).setProtectedHeader({ alg: 'RS256', kid: 's1' }).setIssuer(ISSUER).setAudience(audience).setSubject('carol-sub').setExpirationTime('5m').sign(idpKey);
    const accessToken = await sign('openstack');
    const events: OpenStackLogEvent[] = [];
    const os = client({ logger: (e) => events.push(e), auth: { type: 'oidc_access_token', identityProvider: 'iam', protocol: 'openid', accessToken: async () => accessToken } });
    await os.network.listNetworks({ name: 'public' });
    sim.admin.expireTokens();
    await os.network.listNetworks({ name: 'public' });
    sim.admin.injectFault({ service: 'network', status: 503, times: 10 });
    const failed = await os.network.listNetworks().catch((e: unknown) => e);
    const wrongAudience = await sign('somebody-else');
    const refused = await client({ logger: (e) => events.push(e), auth: { type: 'oidc_access_token', identityProvider: 'iam', protocol: 'openid', accessToken: wrongAudience } })
      .authenticate()
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ status: 503 });
    expect(refused).toMatchObject({ status: 401 });
    const seen = visible(events, failed, refused);
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['response', 'token_renewed', 'retry']));
    expect(seen).not.toContain(accessToken);
    expect(seen).not.toContain(wrongAudience);
    // Nor any third of it (a header or a signature alone).
    for (const part of [...accessToken.split('.'), ...wrongAudience.split('.')]) expect(seen).not.toContain(part);
  });
});

describe('fault injection by rate', () => {
  it('rate 1 fails every matching request until cleared; rate 0 none', async () => {
    const events: OpenStackLogEvent[] = [];
    const os = client({ logger: (e) => events.push(e) });
    await os.authenticate();
    // `times` is ignored once a rate is set.
    const fault = sim.admin.injectFault({ service: 'network', method: 'GET', path: '^/networks$', status: 503, rate: 1, times: 1 });
    const error = await os.network.listNetworks().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, code: 'server_error', transient: true });
    expect(sim.admin.faultHits(fault)).toBe(3); // maxAttempts
    expect(sim.admin.stats().routes['network GET /networks']).toBe(3);
    expect(events.filter((e) => e.event === 'retry').length).toBe(2);
    // Other paths of the service are untouched.
    expect((await os.network.listSubnets()).length).toBeGreaterThan(0);
    expect(sim.admin.faultHits(fault)).toBe(3);

    sim.admin.clearFaults();
    expect((await os.network.listNetworks({ name: 'public' })).map((n) => n.name)).toEqual(['public']);
    expect(sim.admin.stats().routes['network GET /networks']).toBe(4);

    const never = sim.admin.injectFault({ service: 'network', method: 'GET', path: '^/networks$', status: 503, rate: 0 });
    for (let i = 0; i < 5; i++) await os.network.listNetworks();
    expect(sim.admin.faultHits(never)).toBe(0);
  });
});
