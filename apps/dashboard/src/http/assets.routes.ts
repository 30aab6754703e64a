// The dashboard's own static files: Bootstrap's stylesheet (from the npm package, no CDN), our
// stylesheet and our one script (assets/). Read and gzipped once at start; their path carries a
// hash of their content, so browsers may keep them for a year and a new version is a new URL.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Express, Request, Response } from 'express';

interface Asset {
  type: string;
  body: Buffer;
  gzipped: Buffer;
}

/** assets/ from source (apps/dashboard/src/http) and from the build (dist/apps/dashboard/src/http) alike. */
function assetsDir(): string {
  const candidates = [resolve(__dirname, '../../assets'), resolve(__dirname, '../../../../../apps/dashboard/assets')];
  return candidates.find((dir) => existsSync(resolve(dir, 'dashboard.js'))) ?? candidates[0];
}

function load(): Map<string, Asset> {
  const dir = assetsDir();
  const files: [string, string, string][] = [
    ['bootstrap.min.css', require.resolve('bootstrap/dist/css/bootstrap.min.css'), 'text/css; charset=utf-8'],
    ['dashboard.css', resolve(dir, 'dashboard.css'), 'text/css; charset=utf-8'],
    ['dashboard.js', resolve(dir, 'dashboard.js'), 'text/javascript; charset=utf-8'],
  ];
  return new Map(
    files.map(([name, path, type]) => {
      const body = readFileSync(path);
      return [name, { type, body, gzipped: gzipSync(body, { level: 9 }) }];
    }),
  );
}

const ASSETS = load();
const VERSION = createHash('sha256')
  .update(Buffer.concat([...ASSETS.values()].map((a) => a.body)))
  .digest('hex')
  .slice(0, 12);

/** Where pages link the assets from (below the dashboard's root). */
export const ASSET_PATH = `/assets/${VERSION}`;

export function assetRoutes(app: Express): void {
  app.get('/assets/:version/:name', (req: Request, res: Response) => {
    const asset = ASSETS.get(String(req.params.name));
    if (!asset || req.params.version !== VERSION) {
      res.status(404).type('text/plain').send('not found');
      return;
    }
    res.set({ 'content-type': asset.type, 'cache-control': 'public, max-age=31536000, immutable', vary: 'accept-encoding' });
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) res.set('content-encoding', 'gzip').send(asset.gzipped);
    else res.send(asset.body);
  });
}
