// Route and parameter decorators of the auth guard.
import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Caller } from '../principal.types';
import { CALLER_KEY, PUBLIC_ROUTE, WRITE_ROUTE } from './auth.tokens';

/** The route needs no token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** The route mutates: the token needs `offline_access` or `fts:submit-transfer`. */
export const RequiresWriteScope = (): MethodDecorator & ClassDecorator => SetMetadata(WRITE_ROUTE, true);

/** The authenticated caller (undefined on public routes). */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): Caller | undefined => {
  const req = ctx.switchToHttp().getRequest<Record<string, unknown>>();
  return req[CALLER_KEY] as Caller | undefined;
});
