// The guard: public routes pass; every other route is authenticated by the injected
// Authenticator (the bearer verifier, or the local user when auth is off), asking for a write
// scope on routes marked @RequiresWriteScope(). AuthErrors propagate to the app's exception
// filter, which maps their code to 401/403/503 (STYLE.md rule 14).
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Authenticator } from '../principal.types';
import { AUTHENTICATOR, CALLER_KEY, PUBLIC_ROUTE, WRITE_ROUTE } from './auth.tokens';

@Injectable()
export class BearerAuthGuard implements CanActivate {
  // @Inject everywhere: tsx/esbuild (bench) emits no decorator metadata.
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> } & Record<string, unknown>>();
    const header = req.headers.authorization;
    const write = this.reflector.getAllAndOverride<boolean>(WRITE_ROUTE, targets) ?? false;
    req[CALLER_KEY] = await this.authenticator.authenticate(Array.isArray(header) ? header[0] : header, { write });
    return true;
  }
}
