import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, isLoopbackHost, loadConfig, parseListen } from './index';

const KEY = Buffer.alloc(32, 7).toString('base64');
const base = { BATON_DATA_DIR: 'memory://' };

function issuesOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('gives the embedded defaults for an empty environment, frozen, with the no-auth warning', () => {
    const c = loadConfig(base);
    expect(c.listen).toEqual({ host: '127.0.0.1', port: 8080, loopback: true });
    expect(c.databaseUrl).toBeNull();
    expect(c.redisUrl).toBeNull();
    expect(c.providersFile).toBeNull();
    expect(c.templatesDir).toBeNull();
    expect(c.metricsListen).toBeNull();
    expect(c.oidc).toBeNull();
    expect(c.inMemory).toBe(true);
    expect(c.secretKeySource).toBe('ephemeral');
    expect(Buffer.from(c.secretKey, 'base64')).toHaveLength(32);
    expect(c.logLevel).toBe('info');
    expect(c.dashboardApiUrl).toBe('http://127.0.0.1:8080');
    expect(c.warnings.join('\n')).toMatch(/AUTHENTICATION IS OFF/);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.listen)).toBe(true);
    expect(() => {
      (c as { logLevel: string }).logLevel = 'debug';
    }).toThrow(TypeError);
  });

  it('lists every bad variable in one error, with expected shape and reason', () => {
    const e = issuesOf({
      BATON_LISTEN: 'localhost',
      DATABASE_URL: 'mysql://u:hunter2@db/x',
      REDIS_URL: 'not a url',
      BATON_PROVIDERS: '/nonexistent/providers.yaml',
      BATON_TEMPLATES_DIR: '/nonexistent/artifacts',
      BATON_WORKER_CONCURRENCY: 'many',
      BATON_LOG_LEVEL: 'loud',
      BATON_CALLBACK_TIMEOUT_MS: '-5',
      BATON_PUBLIC_URL: 'ftp://x',
      BATON_SECRET_KEY: 'too-short',
    });
    expect(e.code).toBe('invalid_config');
    expect(e.issues.map((i) => i.variable).sort()).toEqual(
      [
        'BATON_CALLBACK_TIMEOUT_MS',
        'BATON_LISTEN',
        'BATON_LOG_LEVEL',
        'BATON_PROVIDERS',
        'BATON_TEMPLATES_DIR',
        'BATON_PUBLIC_URL',
        'BATON_SECRET_KEY',
        'BATON_WORKER_CONCURRENCY',
        'DATABASE_URL',
        'REDIS_URL',
      ].sort(),
    );
    for (const issue of e.issues) {
      expect(issue.expected).not.toBe('');
      expect(issue.reason).not.toBe('');
      expect(e.message).toContain(issue.variable);
    }
    // Secrets are never echoed: not the key, not the password inside a URL.
    expect(e.message).not.toContain('too-short');
    expect(e.message).not.toContain('hunter2');
    expect(e.issues.find((i) => i.variable === 'BATON_SECRET_KEY')!.value).toBe('<secret, 9 chars>');
  });

  it('refuses a non-loopback listen address without auth, as a config error', () => {
    const e = issuesOf({ ...base, BATON_LISTEN: '0.0.0.0:8080' });
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]).toMatchObject({ variable: 'BATON_LISTEN', reason: expect.stringMatching(/without auth/) });
    expect(loadConfig({ ...base, BATON_LISTEN: '[::1]:0' }).listen).toEqual({ host: '::1', port: 0, loopback: true });
  });

  it('reads the worker metrics address, any host (metrics need no auth), and names a bad one', () => {
    expect(loadConfig({ ...base, BATON_METRICS_LISTEN: '0.0.0.0:9464' }).metricsListen).toEqual({ host: '0.0.0.0', port: 9464, loopback: false });
    expect(describeConfig(loadConfig({ ...base, BATON_METRICS_LISTEN: '127.0.0.1:9464' })).workerMetrics).toBe('127.0.0.1:9464/metrics');
    const e = issuesOf({ ...base, BATON_METRICS_LISTEN: '9464' });
    expect(e.issues.map((i) => i.variable)).toEqual(['BATON_METRICS_LISTEN']);
  });

  it('reads the URLs of GET /configuration as written, and names a bad one', () => {
    const c = loadConfig({ ...base, BATON_MONITORING_URL: 'https://mon.example.org/api/', BATON_VAULT_URL: 'https://vault.example.org:8200' });
    expect(c.systemEndpoints).toEqual({ monitoring_url: 'https://mon.example.org/api/', vault_url: 'https://vault.example.org:8200' });
    expect(loadConfig(base).systemEndpoints).toEqual({});
    expect(issuesOf({ ...base, BATON_SLAM_URL: 'slam.example.org' }).issues.map((i) => i.variable)).toEqual(['BATON_SLAM_URL']);
  });

  it('accepts any listen address once an issuer is configured', () => {
    const c = loadConfig({
      ...base,
      BATON_LISTEN: '0.0.0.0:8080',
      BATON_DASHBOARD_LISTEN: '0.0.0.0:8081',
      BATON_OIDC_ISSUERS: 'https://iam.example.org/, http://127.0.0.1:9000',
      BATON_OIDC_AUDIENCE: 'baton',
      BATON_OIDC_ADMIN_GROUPS: 'https://iam.example.org/|orchestrator-admins, ops',
      BATON_OIDC_CLIENT_ID: 'baton',
      BATON_OIDC_CLIENT_SECRET: 's3cr3t',
    });
    expect(c.oidc).toEqual({
      issuers: ['https://iam.example.org/', 'http://127.0.0.1:9000'],
      audience: 'baton',
      adminGroups: [
        { issuer: 'https://iam.example.org/', group: 'orchestrator-admins' },
        { issuer: null, group: 'ops' },
      ],
      clientId: 'baton',
      clientSecret: 's3cr3t',
      clientAuthMethod: 'client_secret_basic',
      exchangeScopes: ['openid', 'profile', 'offline_access'],
      clockSkewSeconds: 30,
      jwksCacheMs: 600_000,
    });
    expect(c.warnings).toEqual(['BATON_DATA_DIR is memory://: deployments and secrets are lost when the process exits.']);
    expect(JSON.stringify(describeConfig(c))).not.toContain('s3cr3t');
    expect(JSON.stringify(describeConfig(c))).not.toContain(c.secretKey);
  });

  it('warns when auth is on without audience or client', () => {
    const c = loadConfig({ ...base, BATON_OIDC_ISSUERS: 'https://iam.example.org/' });
    expect(c.warnings.join('\n')).toMatch(/BATON_OIDC_AUDIENCE is not set/);
    expect(c.warnings.join('\n')).toMatch(/BATON_OIDC_CLIENT_ID is not set/);
    expect(c.warnings.join('\n')).not.toMatch(/AUTHENTICATION IS OFF/);
  });

  it('checks issuers and admin groups', () => {
    const e = issuesOf({
      ...base,
      BATON_OIDC_ISSUERS: 'http://iam.example.org/,https://ok.example.org/?x=1,nope',
      BATON_OIDC_ADMIN_GROUPS: 'https://other.example.org/|admins,https://ok.example.org/?x=1|',
      BATON_OIDC_CLIENT_SECRET: 'x',
    });
    const reasons = e.issues.map((i) => `${i.variable}: ${i.reason}`);
    expect(reasons).toEqual([
      'BATON_OIDC_ISSUERS: http://iam.example.org/ uses http on a non-loopback host (keys would travel unprotected)',
      'BATON_OIDC_ISSUERS: https://ok.example.org/?x=1 carries a query, fragment or credentials',
      'BATON_OIDC_ISSUERS: not an absolute URL',
      'BATON_OIDC_CLIENT_SECRET: a client secret without a client id',
      'BATON_OIDC_ADMIN_GROUPS: issuer https://other.example.org/ is not in BATON_OIDC_ISSUERS',
      'BATON_OIDC_ADMIN_GROUPS: entry "https://ok.example.org/?x=1|" names no group',
    ]);
  });

  it('rejects OIDC settings that have no issuer to apply to', () => {
    const e = issuesOf({ ...base, BATON_OIDC_AUDIENCE: 'baton', BATON_OIDC_CLIENT_SECRET: 'x' });
    expect(e.issues.map((i) => i.variable)).toEqual(['BATON_OIDC_AUDIENCE', 'BATON_OIDC_CLIENT_SECRET']);
    expect(e.message).not.toMatch(/"x"/);
  });

  it('requires BATON_SECRET_KEY with PostgreSQL and takes a valid one', () => {
    const e = issuesOf({ DATABASE_URL: 'postgres://baton@127.0.0.1:5432/baton' });
    expect(e.issues.map((i) => i.variable)).toEqual(['BATON_SECRET_KEY']);
    const c = loadConfig({ DATABASE_URL: 'postgres://baton@127.0.0.1:5432/baton', BATON_SECRET_KEY: KEY, REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(c).toMatchObject({ databaseUrl: 'postgres://baton@127.0.0.1:5432/baton', secretKey: KEY, secretKeySource: 'env', redisUrl: 'redis://127.0.0.1:6379' });
  });

  it('generates the embedded secret key once and keeps it in the data dir (0600)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-config-'));
    dirs.push(dir);
    const dataDir = join(dir, 'data');
    const first = loadConfig({ BATON_DATA_DIR: dataDir });
    expect(first.secretKeySource).toBe('data-dir');
    expect(readFileSync(join(dataDir, 'secret.key'), 'utf8').trim()).toBe(first.secretKey);
    expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(loadConfig({ BATON_DATA_DIR: dataDir }).secretKey).toBe(first.secretKey);
  });
});

describe('security settings', () => {
  it('defaults: callbacks to any public host, no private network, the issuer read rule, deadline = grace + 15 s', () => {
    const c = loadConfig(base);
    expect(c.callbacks).toEqual({ hosts: null, privateNetworks: [] });
    expect(c.readRule).toBe('issuer');
    expect(c.shutdownDeadlineMs).toBe(45_000);
  });

  it('reads the callback allow-lists, the owner read rule and a deadline, and names every bad one', () => {
    const c = loadConfig({
      ...base,
      BATON_CALLBACK_HOSTS: 'Hooks.Example.org, *.ci.example.org,192.0.2.7,[2001:db8::1]',
      BATON_CALLBACK_PRIVATE_NETWORKS: '10.0.0.0/8, 127.0.0.1, fd00::/8',
      BATON_READ_RULE: 'owner',
      BATON_SHUTDOWN_TIMEOUT_MS: '1000',
      BATON_SHUTDOWN_DEADLINE_MS: '2000',
    });
    expect(c.callbacks).toEqual({ hosts: ['hooks.example.org', '*.ci.example.org', '192.0.2.7', '2001:db8::1'], privateNetworks: ['10.0.0.0/8', '127.0.0.1', 'fd00::/8'] });
    expect(c.readRule).toBe('owner');
    expect(c.shutdownDeadlineMs).toBe(2000);
    const e = issuesOf({
      ...base,
      BATON_CALLBACK_HOSTS: 'http://x.org',
      BATON_CALLBACK_PRIVATE_NETWORKS: '10.0.0.0/33',
      BATON_READ_RULE: 'anyone',
      BATON_SHUTDOWN_TIMEOUT_MS: '5000',
      BATON_SHUTDOWN_DEADLINE_MS: '2000',
    });
    expect(e.issues.map((i) => i.variable).sort()).toEqual(['BATON_CALLBACK_HOSTS', 'BATON_CALLBACK_PRIVATE_NETWORKS', 'BATON_READ_RULE', 'BATON_SHUTDOWN_DEADLINE_MS']);
    expect(e.message).toContain('prefix 33 is out of range');
  });
});

describe('listen addresses', () => {
  it('parses host:port forms and tells loopback apart', () => {
    expect(parseListen('localhost:80')).toEqual({ host: 'localhost', port: 80, loopback: true });
    expect(parseListen('[::]:80')).toEqual({ host: '::', port: 80, loopback: false });
    expect(parseListen('10.0.0.1:70000')).toBe('port 70000 is above 65535');
    expect(parseListen('::1:80')).toBe('not host:port');
    expect(isLoopbackHost('127.9.9.9')).toBe(true);
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });
});
