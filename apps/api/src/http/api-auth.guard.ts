// The API's guard: anonymous routes pass; in the local no-auth mode every caller is the one local
// Every injection names its token (@Inject): tsx/esbuild, used by the bench, emits no decorator metadata.
// user (no caller object, every row visible); otherwise the bearer token is verified by the
// authenticator of libs/auth, with the write scope on mutating routes (reference §3.1).
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AUTHENTICATOR, type Authenticator } from '../api.tokens';
import { CALLER_KEY } from './caller.decorator';
import { PUBLIC_ROUTE, WRITE_ROUTE } from './scopes.decorator';

@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator | null,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    if (!this.authenticator) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const write = this.reflector.getAllAndOverride<boolean>(WRITE_ROUTE, targets) ?? false;
    const caller = await this.authenticator.authenticate(req.headers.authorization, { write });
    (req as unknown as Record<string, unknown>)[CALLER_KEY] = caller;
    return true;
  }
}
