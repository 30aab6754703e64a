// The one place where errors become HTTP (STYLE.md rule 14): lib error codes map to a status
// through an exhaustive switch, and every answer >= 400 has the reference's body
// `{code, title, message}` (§1.1). Unknown errors become a bare 500; their detail goes to the log
// with the correlation id, never to the client.
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthError, type AuthErrorCode } from '@lib/auth';
import { OrchestratorError, TemplateInvalidError, InputInvalidError, type OrchestratorErrorCode } from '@lib/orchestrator';
import { toErrorDto } from '../dtos/error.dto';
import { toDiagnosticDto } from '../dtos/template.dto';
import { allowedMethods } from './method-not-allowed';
import { requestId } from './request-id.middleware';

/** HTTP status of each engine error code (exhaustive: a new code fails the build here). */
export function statusOfOrchestratorCode(code: OrchestratorErrorCode): number {
  switch (code) {
    case 'deployment_not_found':
    case 'resource_not_found':
      return 404;
    case 'template_invalid':
    case 'input_invalid':
    case 'plan_rejected':
    case 'invalid_request':
      return 400;
    case 'state_conflict':
    case 'concurrent_update':
      return 409;
    case 'provider_error':
    case 'cloud_error':
    case 'permanent_step_failure':
    case 'step_failure':
    case 'job_registry_invalid':
      return 500;
  }
}

/** HTTP status of each auth error code (exhaustive). */
export function statusOfAuthCode(code: AuthErrorCode): number {
  switch (code) {
    case 'missing_token':
    case 'invalid_token':
    case 'unknown_issuer':
    case 'expired_token':
    case 'token_exchange_failed': // the token cannot be delegated: a fresh login fixes it
      return 401;
    case 'insufficient_scope':
    case 'forbidden':
      return 403;
    case 'issuer_unavailable':
      return 503;
  }
}

/** A body-parser or other Connect-style error carrying its own status. */
function connectStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const correlationId = requestId(req);
    if (res.headersSent) {
      // A streaming answer already started: all we can do is close it.
      this.logger.warn(`request_id=${correlationId} stream failed: ${error instanceof Error ? error.message : String(error)}`);
      res.end();
      return;
    }
    let status = 500;
    let message = 'Internal Server Error';
    let diagnostics;
    if (error instanceof OrchestratorError) {
      status = statusOfOrchestratorCode(error.code);
      if (status < 500) message = error.message;
      if (error instanceof TemplateInvalidError || error instanceof InputInvalidError) diagnostics = error.diagnostics.map(toDiagnosticDto);
      if (error.code === 'concurrent_update') res.setHeader('Retry-After', '0');
    } else if (error instanceof AuthError) {
      status = statusOfAuthCode(error.code);
      message = error.message;
      if (status === 401) res.setHeader('WWW-Authenticate', `Bearer error="${error.code === 'missing_token' ? 'invalid_request' : 'invalid_token'}"`);
      if (status === 403 && error.code === 'insufficient_scope') res.setHeader('WWW-Authenticate', 'Bearer error="insufficient_scope"');
    } else if (error instanceof HttpException) {
      status = error.getStatus();
      message = httpExceptionMessage(error);
      if (status === 404) {
        const allowed = allowedMethods(req);
        if (allowed.length > 0) {
          status = 405;
          message = `Request method '${req.method}' not supported`;
          res.setHeader('Allow', allowed.join(', '));
        }
      }
    } else if (connectStatus(error) !== undefined) {
      status = connectStatus(error)!;
      message = status === 400 ? 'Malformed JSON request body' : error instanceof Error ? error.message : String(error);
    }
    if (status >= 500) {
      this.logger.error(`request_id=${correlationId} ${req.method} ${req.path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    // A route that answers text (/template, /log) may have set its type already: an error is JSON.
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.status(status).json(toErrorDto(status, message, { ...(diagnostics ? { diagnostics } : {}), correlationId }));
  }
}

function httpExceptionMessage(error: HttpException): string {
  const body = error.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : error.message;
}
