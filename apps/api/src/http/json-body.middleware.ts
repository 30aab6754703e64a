// Request bodies are JSON (reference §1.1: a non-JSON POST answers 415), except the raw YAML that
// POST /templates/validate also takes, and the IM API's routes (/infrastructures...), whose TOSCA
// is text/yaml and whose controllers answer any other body in IM's words. A path no route serves
// answers 404 whatever its body. A body on DELETE or GET is ignored, not refused.
import type { NextFunction, Request, Response } from 'express';
import { toErrorDto } from '../dtos/error.dto';
import { routeExists } from './method-not-allowed';
import { requestId } from './request-id.middleware';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const RAW_TEMPLATE_ROUTES = new Set(['/templates/validate']);
const RAW_TYPES = /^(text\/plain|text\/yaml|text\/x-yaml|application\/yaml|application\/x-yaml)\b/i;
const IM_ROUTES = /^\/infrastructures(\/|$)/;

export function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

export function jsonBodyMiddleware(req: Request, res: Response, next: NextFunction): void {
  if (!WITH_BODY.has(req.method) || !hasBody(req)) return next();
  const type = req.headers['content-type'] ?? '';
  if (/^application\/([\w.+-]+\+)?json\b/i.test(type)) return next();
  if (RAW_TEMPLATE_ROUTES.has(req.path) && RAW_TYPES.test(type)) return next();
  if (IM_ROUTES.test(req.path) || !routeExists(req)) return next();
  res
    .status(415)
    .json(toErrorDto(415, `Content type '${type || 'none'}' not supported`, { correlationId: requestId(req) }));
}
