// What was delegated for an owner (a refresh token, kept so long deployments outlive the caller's
// access token) is kept no longer than the owner has deployments: when the last one is deleted,
// it is forgotten. A deployment created meanwhile delegates again on its own POST.
import type { OwnerRef } from '../domain.types';
import type { EngineContext } from './engine.context';

export async function forgetTokensOfOwnerWithoutDeployments(ctx: EngineContext, owner: OwnerRef | null): Promise<void> {
  if (!owner || !ctx.accessTokens) return;
  const { total } = await ctx.store.listDeployments({ owner }, { page: 0, size: 1, sort: [] });
  if (total > 0) return;
  try {
    await ctx.accessTokens.forget(owner);
  } catch (error) {
    // The deployment is gone already; a token left behind is removed with the next one.
    ctx.logger.warn('could not forget the delegated token of an owner without deployments', { issuer: owner.issuer, error: (error as Error).message });
  }
}
