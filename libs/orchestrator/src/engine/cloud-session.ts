// Opens a provider's session for one deployment. A cloud reached through Keystone federation
// gets the owner's IAM access token from the AccessTokenSource (RFC 8693 delegation, reference
// §3.3): cached while fresh, and forced anew when Keystone asks again after a 401.
import type { CloudProvider, CloudSession } from '../cloud.port';
import { CloudOperationError } from '../errors';
import { permanent } from '../workflow/failure';
import type { DeploymentRow } from '../store.port';
import type { EngineContext } from './engine.context';

export async function openCloudSession(ctx: EngineContext, provider: CloudProvider, row: Pick<DeploymentRow, 'id' | 'owner'>): Promise<CloudSession> {
  if (!provider.usesOwnerToken) return provider.open({ deploymentId: row.id });
  const source = ctx.accessTokens;
  const owner = row.owner;
  if (!source) throw permanent('credentials_unavailable', `Cloud provider ${provider.name} needs the owner's IAM token, and token delegation is not configured (BATON_OIDC_CLIENT_ID)`);
  if (!owner) throw permanent('credentials_unavailable', `Cloud provider ${provider.name} needs the owner's IAM token, and the deployment has no owner`);
  const who = { issuer: owner.issuer, subject: owner.subject };
  const fetch = async (force: boolean): Promise<string> => {
    try {
      return await source.accessToken(who, { force });
    } catch (error) {
      const message = `no access token for ${owner.subject} (${owner.issuer}): ${error instanceof Error ? error.message : String(error)}`;
      throw new CloudOperationError(message, (error as { permanent?: unknown }).permanent === true, undefined, { cause: error });
    }
  };
  // Fetched now, so a missing delegation fails the step before any cloud call.
  await fetch(false);
  let logins = 0;
  return provider.open({ deploymentId: row.id, userToken: () => fetch(logins++ > 0) });
}
