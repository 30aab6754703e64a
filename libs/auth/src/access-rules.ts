// The pure authorization rules of the reference (§3.1 scopes and admin, §3.2 userGroup, §1.3
// owner-only writes). No I/O: the verifier feeds them verified claims, the API calls them.
import type { AdminGroupRule } from '@lib/config';
import { ForbiddenError, InsufficientScopeError } from './errors';
import type { Caller, GroupClaims, Principal } from './principal.types';

/** Every endpoint except `/` needs both (reference §3.1). */
export const READ_SCOPES = ['openid', 'profile'] as const;
/** Mutating calls need one of these as well (reference §3.1). */
export const WRITE_SCOPES = ['offline_access', 'fts:submit-transfer'] as const;

/** Scopes of a token: the `scope` string (RFC 9068), or an `scp` array (some IdPs). */
export function readScopes(claims: Record<string, unknown>): string[] {
  const { scope, scp } = claims;
  if (typeof scope === 'string') return scope.split(' ').filter((s) => s !== '');
  if (Array.isArray(scp)) return scp.filter((s): s is string => typeof s === 'string');
  if (typeof scp === 'string') return scp.split(' ').filter((s) => s !== '');
  return [];
}

/** Throws InsufficientScopeError unless the scopes allow a read (and, with `write`, a write). */
export function requireScopes(scopes: readonly string[], write: boolean): void {
  const missing = READ_SCOPES.filter((s) => !scopes.includes(s));
  if (missing.length > 0) throw new InsufficientScopeError(missing);
  if (write && !WRITE_SCOPES.some((s) => scopes.includes(s))) throw new InsufficientScopeError([WRITE_SCOPES.join(' or ')]);
}

/** `groups` and `wlcg.groups` as present in the token (an absent claim stays absent). */
export function readGroupClaims(claims: Record<string, unknown>): GroupClaims {
  const out: GroupClaims = {};
  const groups = stringList(claims['groups']);
  const wlcg = stringList(claims['wlcg.groups']);
  if (groups) out.groups = groups;
  if (wlcg) out.wlcgGroups = wlcg;
  return out;
}

/** Identity (iss, sub) with the display name, e-mail and the union of both group claims. */
export function principalOf(claims: Record<string, unknown>, groupClaims: GroupClaims): Principal {
  const principal: Principal = {
    issuer: String(claims.iss),
    subject: String(claims.sub),
    groups: [...new Set([...(groupClaims.groups ?? []), ...(groupClaims.wlcgGroups ?? []).map(stripSlash)])],
  };
  const name = firstString(claims.name, claims.preferred_username);
  const email = firstString(claims.email);
  if (name !== undefined) principal.name = name;
  if (email !== undefined) principal.email = email;
  return principal;
}

/** Admin: the caller holds an admin group configured for its issuer, or for every issuer. */
export function isAdmin(principal: Principal, rules: readonly AdminGroupRule[]): boolean {
  return rules.some((r) => (r.issuer === null || r.issuer === principal.issuer) && principal.groups.includes(stripSlash(r.group)));
}

/**
 * The userGroup rule (reference §3.2): both claims missing or empty → 403; a present `groups`
 * must contain G; a present `wlcg.groups` must contain `/G`; both must hold when both are present.
 * A leading `/` on G is ignored, so `cms` and `/cms` name the same group.
 */
export function checkUserGroup(claims: GroupClaims, group: string): void {
  const groups = claims.groups ?? [];
  const wlcg = claims.wlcgGroups ?? [];
  if (groups.length === 0 && wlcg.length === 0) {
    throw new ForbiddenError("User's token does not contain a group claim or it is empty");
  }
  const g = stripSlash(group);
  const okGroups = groups.length === 0 || groups.includes(g);
  const okWlcg = wlcg.length === 0 || wlcg.includes(`/${g}`);
  if (!okGroups || !okWlcg) throw new ForbiddenError(`The group ${group} is not in the user's authorized groups`);
}

/**
 * Owner-only operations (log, extrainfo, PUT, PATCH, DELETE, actions; reference §1.3): same
 * issuer and subject; admins get no bypass. An ownerless row (made with auth off) and the local
 * user pass.
 */
export function checkOwner(caller: Caller, owner: { issuer: string; subject: string } | null): void {
  if (caller.local || owner === null) return;
  if (owner.issuer !== caller.principal.issuer || owner.subject !== caller.principal.subject) {
    throw new ForbiddenError('Only the owner of the deployment can perform this operation');
  }
}

/**
 * Whether `caller` may read a deployment (GET one, its template, resources and outputs).
 * Another issuer's deployment is never readable. Under the `issuer` rule (the reference's, the
 * default) any user of its issuer reads it; under `owner` only its owner, a member of its
 * userGroup (by the group rule of `checkUserGroup`) and an admin of its issuer. Ownerless rows
 * (made with auth off) and the local user pass.
 */
export function canRead(caller: Caller, deployment: { createdBy: { issuer: string; subject: string } | null; userGroup?: string | null }): boolean {
  const owner = deployment.createdBy;
  if (caller.local || owner === null) return true;
  if (owner.issuer !== caller.principal.issuer) return false;
  if ((caller.readRule ?? 'issuer') === 'issuer') return true;
  if (owner.subject === caller.principal.subject || caller.admin) return true;
  if (!deployment.userGroup) return false;
  try {
    checkUserGroup(caller.groupClaims, deployment.userGroup);
    return true;
  } catch {
    return false;
  }
}

function stringList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((v) => v !== '');
  return undefined;
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v !== '');
}

function stripSlash(group: string): string {
  return group.startsWith('/') ? group.slice(1) : group;
}
