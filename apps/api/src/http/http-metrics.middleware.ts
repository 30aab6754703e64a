// Records each request's latency by route pattern (not raw path, to bound label cardinality).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiMetrics } from './metrics.provider';

export function httpMetricsMiddleware(metrics: ApiMetrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof routePath === 'string' ? routePath : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
      if (res.statusCode >= 500) metrics.httpErrors.inc(labels);
    });
    next();
  };
}
