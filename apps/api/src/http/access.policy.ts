// The listing and read rules of the reference (§1.3 "Listing rules", "Per-deployment
// authorization") applied at the edge on the records the engine returns. The owner and userGroup
// rules themselves are libs/auth's (checkOwner, checkUserGroup). An undefined caller only happens
// on public routes, which never reach these functions.
import { BadRequestException } from '@nestjs/common';
import { ForbiddenError, canRead, checkOwner, checkUserGroup, type Caller } from '@lib/auth';
import { DeploymentNotFoundError, type DeploymentRecord, type OwnerRef } from '@lib/orchestrator';

/** `createdBy=me` or `<subject>@<issuer>` (the issuer usually ends with `/`). */
export function parseCreatedBy(value: string | undefined): OwnerRef | 'me' | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'me') return 'me';
  const match = /^([^@]+)@([^@]+)$/.exec(value);
  if (!match) throw new BadRequestException(`Value ${value} for param createdBy is illegal`);
  return { subject: match[1], issuer: match[2] };
}

/**
 * Who a list is restricted to. Non-admins see their own (no createdBy = `me`, someone else = 403);
 * admins see every deployment of their issuer or filter by any owner. Always within the caller's
 * issuer, ownerless rows included (the engine adds those).
 */
export function listScope(caller: Caller | undefined, createdBy: OwnerRef | 'me' | undefined, raw: string | undefined): { createdBy?: OwnerRef | 'me'; issuer?: string } {
  if (!caller) return createdBy === undefined ? {} : { createdBy };
  const me = caller.principal;
  if (createdBy === undefined) return caller.admin ? { issuer: me.issuer } : { createdBy: 'me', issuer: me.issuer };
  if (createdBy === 'me' || (createdBy.subject === me.subject && createdBy.issuer === me.issuer)) return { createdBy: 'me', issuer: me.issuer };
  if (!caller.admin) throw new ForbiddenError(`Only admin can retrieve deployments for ${raw ?? ''}`);
  return { createdBy, issuer: me.issuer };
}

/** The userGroup rule of §3.2 (the local user has no group claims and is not checked). */
export function assertGroup(caller: Caller | undefined, group: string): void {
  if (!caller || caller.local) return;
  checkUserGroup(caller.groupClaims, group);
}

/**
 * The read rule (libs/auth `canRead`, BATON_READ_RULE): a deployment the caller may not read does
 * not exist for it (404), so its existence is not revealed either.
 */
export function assertCanRead(caller: Caller | undefined, record: DeploymentRecord): void {
  if (caller && !canRead(caller, record)) throw new DeploymentNotFoundError(record.uuid);
}

/** log, extrainfo, PUT, PATCH, DELETE and actions: the owner only; admins get no bypass. */
export function assertOwner(caller: Caller | undefined, record: DeploymentRecord): void {
  assertCanRead(caller, record);
  if (caller) checkOwner(caller, record.createdBy);
}
