// The authenticated caller of a request, as the auth guard left it on the request object.
// Null in the local no-auth mode (reference: `oidc.enabled=false` makes everything anonymous).
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@lib/orchestrator';

/** The caller as the API's access rules need it. */
export interface Caller {
  principal: Principal;
  /** Member of the admin group of its issuer. */
  admin: boolean;
  /** Raw group claims of the access token, for the userGroup rule (reference §3.2). */
  groupClaims: { groups?: string[]; wlcgGroups?: string[] };
}

/** Where the guard stores the caller (`req.caller`). */
export const CALLER_KEY = 'caller';

export const CurrentCaller = createParamDecorator((_data: unknown, ctx: ExecutionContext): Caller | null => {
  const req = ctx.switchToHttp().getRequest<Record<string, unknown>>();
  return (req[CALLER_KEY] as Caller | undefined) ?? null;
});
