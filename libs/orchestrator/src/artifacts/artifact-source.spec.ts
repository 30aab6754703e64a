import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactSource, digestOf } from './artifact-source';

let server: Server;
let base = '';
let dir = '';
let served = 0;
let body = 'v1';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-artifact-source-'));
  server = createServer((req, res) => {
    served++;
    if (req.url === '/repo/play.yml') return void res.end(body);
    if (req.url === '/repo/big.bin') return void res.end(Buffer.alloc(4096));
    if (req.url === '/repo/moved.yml') {
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
      return void res.end();
    }
    res.writeHead(404);
    res.end('no');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/repo/`;
});

afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const source = (extra: Partial<ConstructorParameters<typeof ArtifactSource>[0]> = {}) =>
  new ArtifactSource({ allow: [base], cacheDir: mkdtempSync(join(dir, 'cache-')), maxBytes: 1024, timeoutMs: 5000, ...extra });

describe('ArtifactSource', () => {
  it('fetches an allowed URL and keys it by the SHA-256 of its content', async () => {
    body = 'v1';
    const got = await source().get(`${base}play.yml`);
    expect(got.bytes.toString()).toBe('v1');
    expect(got.digest).toBe(digestOf(Buffer.from('v1')));
  });

  it('refuses a URL outside the allow-list without asking the network', async () => {
    const before = served;
    await expect(source({ allow: ['https://raw.githubusercontent.com/indigo-dc/tosca-types/'] }).get(`${base}play.yml`)).rejects.toMatchObject({ code: 'artifact_not_allowed' });
    expect(served).toBe(before);
  });

  it('refuses what is over the size limit, a 404 and a redirect', async () => {
    const s = source();
    await expect(s.get(`${base}big.bin`)).rejects.toMatchObject({ code: 'artifact_too_large' });
    await expect(s.get(`${base}missing.yml`)).rejects.toMatchObject({ code: 'artifact_fetch_failed', message: expect.stringContaining('HTTP 404') });
    await expect(s.get(`${base}moved.yml`)).rejects.toMatchObject({ code: 'artifact_fetch_failed' });
  });

  it('gives the recorded bytes back by digest after the server changed them, and says so when asked for the new ones', async () => {
    const s = source();
    body = 'first';
    const first = await s.get(`${base}play.yml`);
    body = 'second';
    const again = await s.get(`${base}play.yml`, first.digest);
    expect(again.bytes.toString()).toBe('first');
    const fresh = await source().get(`${base}play.yml`);
    expect(fresh.bytes.toString()).toBe('second');
    await expect(source().get(`${base}play.yml`, first.digest)).rejects.toMatchObject({ code: 'artifact_changed' });
  });

  it('reads a mirrored prefix from its folder and never fetches it, nor leaves the folder', async () => {
    const mirror = join(dir, 'mirror');
    mkdirSync(join(mirror, 'a'), { recursive: true });
    writeFileSync(join(mirror, 'a', 'x.yml'), 'from the mirror');
    writeFileSync(join(dir, 'outside.txt'), 'secret');
    const s = source({ allow: [], mirrors: [{ prefix: 'https://example.org/types/', dir: mirror }] });
    const before = served;
    expect((await s.get('https://example.org/types/a/x.yml')).bytes.toString()).toBe('from the mirror');
    await expect(s.get('https://example.org/types/a/none.yml')).rejects.toMatchObject({ code: 'artifact_fetch_failed' });
    await expect(s.get('https://example.org/types/%2e%2e/outside.txt')).rejects.toMatchObject({ code: 'artifact_not_allowed' });
    expect(served).toBe(before);
  });
});
