// Every request gets an id (the caller's X-Request-Id when sane), echoed in the response header,
// in error bodies (`correlationId`) and in log lines, as the reference logs `request_id`.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const KEY = Symbol('requestId');
const SANE = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(req: Request): string {
  const holder = req as unknown as Record<symbol, string | undefined>;
  let id = holder[KEY];
  if (!id) {
    const given = req.headers['x-request-id'];
    id = typeof given === 'string' && SANE.test(given) ? given : randomUUID();
    holder[KEY] = id;
  }
  return id;
}

export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Request-Id', requestId(req));
  next();
}
