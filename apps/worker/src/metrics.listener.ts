// The worker's own GET /metrics. Step durations and cloud API calls are recorded where the jobs
// run; with workers in processes of their own (`serve --no-worker`, docker-compose) the API's
// /metrics never sees them, so each worker serves its registry on BATON_METRICS_LISTEN. Plain
// node:http: one route, no framework worth loading into a worker.
import { createServer } from 'node:http';
import type { ListenAddress } from '@lib/config';
import type { Registry } from 'prom-client';

export interface MetricsListener {
  /** e.g. `http://127.0.0.1:9464/metrics` (the port actually bound when 0 was asked). */
  url: string;
  close(): Promise<void>;
}

export async function startMetricsListener(registry: Registry, listen: ListenAddress): Promise<MetricsListener> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: this listener serves /metrics only\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      // A failed collect (the queue unreachable for baton_queue_depth) is the scraper's error to see.
      (error: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`collecting metrics failed: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
