// Delegated refresh tokens survive the process that got them: the API process exchanges the
// caller's token (RFC 8693, real oidc-provider) and the sealed refresh token lands in the
// `delegated_tokens` table; a worker in another process (PostgreSQL) or after a restart (PGlite
// on disk) turns it into fresh access tokens of the same user. At rest only AES-256-GCM output.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '@lib/config';
import { createAuthKit, TokenExchangeClient, type AuthKit } from '@lib/auth';
import { createPglitePersistence, createPostgresPersistence, SecretBox, type Persistence } from '@lib/persistence';
import { decodeJwt } from 'jose';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from './support/oidc-provider';

const PG_URL = process.env.BATON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROOT = resolve(__dirname, '../../..');
const SECRET_KEY = randomBytes(32).toString('base64');

let idp: TestIssuer;

function kitOn(persistence: Persistence, secretKey = SECRET_KEY): AuthKit {
  const config = loadConfig({
    BATON_DATA_DIR: 'memory://',
    BATON_SECRET_KEY: secretKey,
    BATON_OIDC_ISSUERS: idp.issuer,
    BATON_OIDC_AUDIENCE: idp.audience,
    BATON_OIDC_CLIENT_ID: idp.client.id,
    BATON_OIDC_CLIENT_SECRET: idp.client.secret,
  });
  return createAuthKit(config, { store: persistence.refreshTokens, sealer: new SecretBox(config.secretKey), jwksCooldownMs: 0 });
}

/** Runs the worker fixture in a new Node process; resolves with what it printed. */
function otherProcess(env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(ROOT, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', resolve(ROOT, 'tsconfig.json'), resolve(__dirname, 'fixtures/refresh-worker.ts')], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, out, err }));
  });
}

beforeAll(async () => {
  idp = await startTestIssuer();
});
afterAll(async () => {
  await idp?.close();
});

describe('delegated refresh tokens on PostgreSQL', () => {
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let api: Persistence;
  let admin: Client;

  beforeAll(async () => {
    api = await createPostgresPersistence({ url: PG_URL, schema, secretKey: SECRET_KEY });
    admin = new Client({ connectionString: PG_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await api?.store.close();
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  it('a worker in another process gets fresh access tokens from what the API process delegated', async () => {
    const kit = kitOn(api);
    const caller = await kit.authenticator.authenticate(`Bearer ${await idp.mintToken({ sub: 'alice', groups: ['cms'] })}`, { write: true });
    await kit.delegatedTokens!.delegate(caller.principal, caller.accessToken!);

    const rows = (await admin.query<{ token_key: string; sealed: string }>(`SELECT token_key, sealed FROM ${schema}.delegated_tokens`)).rows;
    expect(rows.map((r) => JSON.parse(r.token_key))).toEqual([[idp.issuer, 'alice', idp.client.id]]);
    const sealedBefore = rows[0].sealed;
    expect(sealedBefore).toMatch(/^v1:/);

    const run = await otherProcess({
      REFRESH_PG_URL: PG_URL,
      REFRESH_SCHEMA: schema,
      REFRESH_SECRET_KEY: SECRET_KEY,
      REFRESH_ISSUER: idp.issuer,
      REFRESH_AUDIENCE: idp.audience,
      REFRESH_CLIENT_ID: idp.client.id,
      REFRESH_CLIENT_SECRET: idp.client.secret,
      REFRESH_SUBJECT: 'alice',
    });
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out.trim().split('\n').at(-1)!)).toEqual({ sub: 'alice', client_id: idp.client.id });

    // The provider rotated the refresh token on that refresh: the worker stored the new one, and
    // this process, reading the table again, can still refresh with it (the old one is spent).
    const [after] = (await admin.query<{ sealed: string }>(`SELECT sealed FROM ${schema}.delegated_tokens`)).rows;
    expect(after.sealed).not.toBe(sealedBefore);
    const fresh = await kitOn(api).delegatedTokens!.accessToken({ issuer: idp.issuer, subject: 'alice' });
    expect(decodeJwt(fresh).sub).toBe('alice');
  }, 60_000);

  it('keeps only AES-256-GCM output at rest: the plain refresh token is nowhere in the table', async () => {
    const kit = kitOn(api);
    const owner = { issuer: idp.issuer, subject: 'bob' };
    await kit.delegatedTokens!.delegate(owner, await idp.mintToken({ sub: 'bob' }));
    const [row] = (await admin.query<{ sealed: string }>(`SELECT sealed FROM ${schema}.delegated_tokens WHERE token_key = $1`, [kit.delegatedTokens!.keyOf(owner)])).rows;
    const plain = new SecretBox(SECRET_KEY).open(row.sealed);
    const dump = JSON.stringify((await admin.query(`SELECT * FROM ${schema}.delegated_tokens`)).rows);
    expect(dump).not.toContain(plain);
    // What is sealed is a live refresh token of bob.
    const client = new TokenExchangeClient(kit.directory!, { clientId: idp.client.id, clientSecret: idp.client.secret, timeoutMs: 5000 });
    expect(decodeJwt((await client.refresh(idp.issuer, plain)).accessToken).sub).toBe('bob');
    // Another key cannot open it, and a plain value is refused by the store itself.
    await expect(kitOn(api, randomBytes(32).toString('base64')).delegatedTokens!.accessToken(owner)).rejects.toThrow(/cannot be decrypted/);
    await expect(api.refreshTokens.save('k', 'plain-refresh-token')).rejects.toThrow(TypeError);
  }, 60_000);

  it('forget removes the row; a later refresh says nothing is delegated', async () => {
    const kit = kitOn(api);
    const owner = { issuer: idp.issuer, subject: 'carol' };
    await kit.delegatedTokens!.delegate(owner, await idp.mintToken({ sub: 'carol' }));
    await kit.delegatedTokens!.forget(owner);
    expect((await admin.query(`SELECT 1 FROM ${schema}.delegated_tokens WHERE token_key = $1`, [kit.delegatedTokens!.keyOf(owner)])).rowCount).toBe(0);
    await expect(kitOn(api).delegatedTokens!.accessToken(owner)).rejects.toMatchObject({ code: 'token_exchange_failed', oauthError: 'no_refresh_token', permanent: true });
  }, 60_000);
});

describe('delegated refresh tokens on PGlite', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-pglite-tokens-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('survive a restart of the embedded service: the reopened database still yields tokens', async () => {
    const first = await createPglitePersistence({ dataDir: dir, secretKey: SECRET_KEY });
    const owner = { issuer: idp.issuer, subject: 'dave' };
    try {
      await kitOn(first).delegatedTokens!.delegate(owner, await idp.mintToken({ sub: 'dave' }));
      const sealed = await first.refreshTokens.load(kitOn(first).delegatedTokens!.keyOf(owner));
      expect(sealed).toMatch(/^v1:/);
    } finally {
      await first.store.close();
    }
    const second = await createPglitePersistence({ dataDir: dir, secretKey: SECRET_KEY });
    try {
      const token = await kitOn(second).delegatedTokens!.accessToken(owner, { force: true });
      expect(decodeJwt(token)).toMatchObject({ sub: 'dave', client_id: idp.client.id });
    } finally {
      await second.store.close();
    }
  }, 60_000);
});
