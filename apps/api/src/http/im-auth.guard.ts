// The IM routes' guard: their Authorization header is IM's (im-authorization.ts), so the routes are
// @Public() to the global bearer guard and authenticated here instead, by the same Authenticator
// with the same write-scope rule: the InfrastructureManager line's token is checked exactly as a
// bearer token of the orchestrator API. The cloud lines stay on the request for the controller.
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AUTHENTICATOR, CALLER_KEY, WRITE_ROUTE, type Authenticator } from '@lib/auth';
import { parseImAuthorization, type CredentialLine } from './im-authorization';

const CLOUDS = Symbol('imClouds');

/** The OpenStack credential lines of an authenticated IM request. */
export function imClouds(req: Request): CredentialLine[] {
  return ((req as unknown as Record<symbol, CredentialLine[] | undefined>)[CLOUDS] ?? []);
}

@Injectable()
export class ImAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const header = req.headers.authorization;
    const parsed = parseImAuthorization(Array.isArray(header) ? (header[0] as string) : header);
    const write = this.reflector.getAllAndOverride<boolean>(WRITE_ROUTE, [context.getHandler(), context.getClass()]) ?? false;
    const holder = req as unknown as Record<string | symbol, unknown>;
    holder[CALLER_KEY] = await this.authenticator.authenticate(parsed.bearer, { write });
    holder[CLOUDS] = parsed.clouds;
    return true;
  }
}
