// 405 instead of 404 when the path exists with other methods (reference §1.1: `DELETE
// /deployments` answers 405). Reads Express's own route table, so it never drifts from the routes.
import type { Request } from 'express';

interface RouteLayer {
  route?: { methods?: Record<string, boolean> };
  match?: (path: string) => boolean;
}

export function allowedMethods(req: Request): string[] {
  const router = (req.app as unknown as { router?: { stack?: RouteLayer[] } }).router;
  const methods = new Set<string>();
  for (const layer of router?.stack ?? []) {
    if (!layer.route?.methods || typeof layer.match !== 'function') continue;
    if (!layer.match(req.path)) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') methods.add(method.toUpperCase());
  }
  methods.delete(req.method.toUpperCase());
  return [...methods].sort();
}

/** True when some route serves this path, with any method. */
export function routeExists(req: Request): boolean {
  const router = (req.app as unknown as { router?: { stack?: RouteLayer[] } }).router;
  return (router?.stack ?? []).some((layer) => layer.route !== undefined && typeof layer.match === 'function' && layer.match(req.path));
}
