// Hostile input (issue 2, item 4): each gets a clear diagnostic in bounded time and memory.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTemplate } from './compile';

const HEAD = 'tosca_definitions_version: tosca_simple_yaml_1_0\n';
// Bounds are generous on purpose: the point is "no hang, no exhaustion" on a shared, loaded
// machine (idle, each case takes well under a second; see the bench for real timings).
const BOUND_MS = 15_000;
const codes = (r: { diagnostics: Array<{ code: string; severity: string }> }) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t };
}

describe('hostile input', () => {
  let dir: string;
  let server: Server;
  let port: number;
  const sockets = new Set<import('node:net').Socket>();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tosca-hostile-'));
    // Accepts connections and never answers: the import URL that hangs.
    server = createServer((socket) => {
      sockets.add(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('refuses a YAML alias bomb', async () => {
    let text = `${HEAD}metadata:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n`;
    for (let i = 1; i < 12; i += 1) text += `  a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    const { value, ms } = await timed(() => compileTemplate({ text, file: 'bomb.yaml' }));
    expect(codes(value)).toEqual(['yaml_alias_limit']);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('refuses a 50 MB document before parsing it', async () => {
    const file = join(dir, 'big.yaml');
    writeFileSync(file, `${HEAD}description: "${'x'.repeat(50 * 1024 * 1024)}"\n`);
    const { value, ms } = await timed(() => compileTemplate({ file }));
    expect(codes(value)).toEqual(['file_too_large']);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('refuses 10,000-deep nesting', async () => {
    const text = `${HEAD}metadata:\n  x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
    const { value, ms } = await timed(() => compileTemplate({ text, file: 'deep.yaml' }));
    expect(codes(value)).toEqual(['yaml_too_deep']);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('reports an import cycle instead of looping', async () => {
    writeFileSync(join(dir, 'a.yaml'), `${HEAD}imports:\n  - b.yaml\n`);
    writeFileSync(join(dir, 'b.yaml'), `${HEAD}imports:\n  - a.yaml\n`);
    const r = await compileTemplate({ file: join(dir, 'a.yaml') });
    expect(codes(r)).toEqual(['import_cycle']);
    expect(r.diagnostics[0].message).toMatch(/a\.yaml -> .*b\.yaml -> .*a\.yaml/);
  });

  it('times out on an import URL that never answers (opt-in fetch)', async () => {
    const url = `http://127.0.0.1:${port}/types.yaml`;
    const text = `${HEAD}imports:\n  - ${url}\n`;
    const { value, ms } = await timed(() => compileTemplate({ text, file: 'hang.yaml' }, { fetch: { allow: [`http://127.0.0.1:${port}/`], timeoutMs: 300 } }));
    expect(codes(value)).toEqual(['import_timeout']);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('does not fetch without opt-in, nor outside the allow-list', async () => {
    const text = `${HEAD}imports:\n  - http://127.0.0.1:${port}/types.yaml\n`;
    expect(codes(await compileTemplate({ text, file: 'off.yaml' }))).toEqual(['import_remote_disabled']);
    expect(codes(await compileTemplate({ text, file: 'off.yaml' }, { fetch: { allow: ['https://example.org/'] } }))).toEqual(['import_not_allowed']);
  });

  it('reports a non-UTF-8 file with the offset of the bad byte', async () => {
    const file = join(dir, 'latin1.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from(`${HEAD}description: caf`), Buffer.from([0xe9]), Buffer.from('\n')]));
    const r = await compileTemplate({ file });
    expect(codes(r)).toEqual(['file_not_utf8']);
    expect(r.diagnostics[0].message).toContain(`offset ${HEAD.length + 'description: caf'.length}`);
  });

  it('reports duplicate keys (a warning under the INDIGO quirk, an error when strict)', async () => {
    const text = `${HEAD}description: one\ndescription: two\n`;
    const lenient = await compileTemplate({ text, file: 'dup.yaml' });
    expect(lenient.diagnostics.map((d) => `${d.severity}:${d.code}:${d.line}`)).toEqual(['warning:duplicate_key:3']);
    const strict = await compileTemplate({ text, file: 'dup.yaml' }, { quirks: { duplicateKeysLastWins: false } });
    expect(codes(strict)).toEqual(['duplicate_key']);
  });

  it('reports a missing file', async () => {
    expect(codes(await compileTemplate({ file: join(dir, 'absent.yaml') }))).toEqual(['file_not_found']);
  });
});

describe('an oversized remote import (opt-in fetch)', () => {
  let server: HttpServer;
  let base: string;
  beforeAll(async () => {
    // /declared/ states its length (4 MiB + 1); /chunked/ streams 3,000 bytes without one.
    server = createHttpServer((req, res) => {
      if (req.url?.startsWith('/declared/')) {
        res.writeHead(200, { 'content-type': 'text/yaml', 'content-length': String(4 * 1024 * 1024 + 1) });
        res.end(`${HEAD}description: "${'x'.repeat(4 * 1024 * 1024 + 1 - HEAD.length - 16)}"\n`);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/yaml' });
      for (let i = 0; i < 5; i += 1) res.write(`# ${'y'.repeat(597)}\n`);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const importing = (url: string) => ({ text: `${HEAD}imports:\n  - ${url}\n`, file: 'remote.yaml' });

  it('names the default limit (4 MiB) when none is given', async () => {
    const url = `${base}/declared/types.yaml`;
    const r = await compileTemplate(importing(url), { fetch: { allow: [`${base}/`] } });
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column} ${d.message}`)).toEqual([
      `error file_too_large 3:5 file "${url}" is 4194305 bytes, more than the limit of 4194304 bytes`,
    ]);
  });

  it('stops reading a body without a declared length once it passes the given limit', async () => {
    const url = `${base}/chunked/types.yaml`;
    const r = await compileTemplate(importing(url), { fetch: { allow: [`${base}/`], maxBytes: 1000 } });
    expect(codes(r)).toEqual(['file_too_large']);
    expect(r.diagnostics[0].message).toMatch(/^file "[^"]+" is \d+ bytes, more than the limit of 1000 bytes$/);
  });
});
