// Reference §3.3: every mutating call exchanges the caller's access token (RFC 8693), so the
// workflows it starts can get fresh cloud tokens long after this one expired.
import type { Caller } from '@lib/auth';
import type { Delegation } from '../api.tokens';

export async function delegateCaller(delegation: Delegation | null, caller: Caller | undefined): Promise<void> {
  if (!delegation || !caller || caller.local || !caller.accessToken) return;
  await delegation.delegate({ issuer: caller.principal.issuer, subject: caller.principal.subject }, caller.accessToken);
}
