// Errors of the IM API in IM's shape (plain text, `{message, code}` or HTML by Accept): the
// statuses are the orchestrator API's (one mapping, api-exception.filter.ts), the messages say
// what went wrong as IM's do. An expired token says "OIDC auth Token expired", the words
// dodas-go-client looks for before it refreshes its token.
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthError } from '@lib/auth';
import { OrchestratorError, TemplateInvalidError } from '@lib/orchestrator';
import { statusOfAuthCode, statusOfOrchestratorCode } from './api-exception.filter';
import { ImAuthorizationError } from './im-authorization';
import { sendImError } from './im-output';
import { requestId } from './request-id.middleware';

@Catch()
export class ImExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('im');

  catch(error: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) {
      res.end();
      return;
    }
    const { status, message } = describe(error);
    if (status >= 500) {
      this.logger.error(`request_id=${requestId(req)} ${req.method} ${req.path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    sendImError(req, res, status, status >= 500 ? `Internal Server Error (request id ${requestId(req)})` : message);
  }
}

function describe(error: unknown): { status: number; message: string } {
  if (error instanceof ImAuthorizationError) return { status: error.status, message: error.message };
  if (error instanceof AuthError) {
    const status = statusOfAuthCode(error.code);
    const expired = error.code === 'expired_token' ? ' OIDC auth Token expired.' : '';
    return { status, message: `Invalid InfrastructureManager credentials: ${error.message}.${expired}` };
  }
  if (error instanceof OrchestratorError) {
    const status = statusOfOrchestratorCode(error.code);
    if (error instanceof TemplateInvalidError) {
      const lines = error.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column} ${d.code}: ${d.message}`);
      return { status, message: `Error parsing the TOSCA template:\n${lines.join('\n')}` };
    }
    return { status, message: error.message };
  }
  if (error instanceof HttpException) {
    const body = error.getResponse();
    const message = typeof body === 'string' ? body : typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : error.message;
    return { status: error.getStatus(), message };
  }
  const connect = typeof error === 'object' && error !== null ? ((error as { status?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode) : undefined;
  if (typeof connect === 'number' && connect >= 400 && connect < 500) return { status: connect, message: `Error parsing request body: ${error instanceof Error ? error.message : String(error)}` };
  return { status: 500, message: 'Internal Server Error' };
}
