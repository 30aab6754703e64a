// A trailing slash is accepted on every route (reference §1.1, Spring's trailing-slash match):
// the dashboard POSTs to `/deployments/`. The path is rewritten before routing, query kept.
import type { NextFunction, Request, Response } from 'express';

export function trailingSlashMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  if (path.length > 1 && path.endsWith('/')) {
    const trimmed = path.replace(/\/+$/, '') || '/';
    req.url = trimmed + (q === -1 ? '' : req.url.slice(q));
  }
  next();
}
