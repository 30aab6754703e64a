// Request bodies are JSON (reference §1.1: a non-JSON POST answers 415), except the raw YAML that
// POST /templates/validate also takes. A body on DELETE or GET is ignored, not refused.
import type { NextFunction, Request, Response } from 'express';
import { toErrorDto } from '../dtos/error.dto';
import { requestId } from './request-id.middleware';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const RAW_TEMPLATE_ROUTES = new Set(['/templates/validate']);
const RAW_TYPES = /^(text\/plain|text\/yaml|text\/x-yaml|application\/yaml|application\/x-yaml)\b/i;

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

export function jsonBodyMiddleware(req: Request, res: Response, next: NextFunction): void {
  if (!WITH_BODY.has(req.method) || !hasBody(req)) return next();
  const type = req.headers['content-type'] ?? '';
  if (/^application\/([\w.+-]+\+)?json\b/i.test(type)) return next();
  if (RAW_TEMPLATE_ROUTES.has(req.path) && RAW_TYPES.test(type)) return next();
  res
    .status(415)
    .json(toErrorDto(415, `Content type '${type || 'none'}' not supported`, { correlationId: requestId(req) }));
}
