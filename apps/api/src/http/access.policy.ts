// The authorization rules of the reference (§1.3 "Listing rules", "Per-deployment authorization",
// §3.2 userGroup rule), applied at the edge on the records the engine returns. A null caller is
// the local no-auth mode, where every rule passes.
import { BadRequestException, ForbiddenException } from '@nestjs/common';
import { DeploymentNotFoundError, type DeploymentRecord, type OwnerRef } from '@lib/orchestrator';
import type { Caller } from './caller.decorator';

/** `createdBy=me` or `<subject>@<issuer>` (the issuer usually ends with `/`). */
export function parseCreatedBy(value: string | undefined): OwnerRef | 'me' | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'me') return 'me';
  const match = /^([^@]+)@([^@]+)$/.exec(value);
  if (!match) throw new BadRequestException(`Value ${value} for param createdBy is illegal`);
  return { subject: match[1], issuer: match[2] };
}

/** Who the list is restricted to, or a 403 for a non-admin naming someone else. */
export function listScope(caller: Caller | null, createdBy: OwnerRef | 'me' | undefined, raw: string | undefined): { createdBy?: OwnerRef | 'me'; issuer?: string } {
  if (!caller) return createdBy === 'me' || createdBy === undefined ? {} : { createdBy };
  const me = caller.principal;
  const self = createdBy === 'me' || (createdBy !== undefined && createdBy.subject === me.subject && createdBy.issuer === me.issuer);
  if (createdBy === undefined) return caller.admin ? { issuer: me.issuer } : { createdBy: 'me', issuer: me.issuer };
  if (self) return { createdBy: 'me', issuer: me.issuer };
  if (!caller.admin) throw new ForbiddenException(`Only admin can retrieve deployments for ${raw ?? ''}`);
  return { createdBy, issuer: me.issuer };
}

/** The userGroup rule: both claims missing → 403; each present claim must contain the group. */
export function assertGroup(caller: Caller | null, group: string): void {
  if (!caller) return;
  const { groups, wlcgGroups } = caller.groupClaims;
  if ((!groups || groups.length === 0) && (!wlcgGroups || wlcgGroups.length === 0)) {
    throw new ForbiddenException("User's token does not contain a group claim or it is empty");
  }
  const inGroups = !groups || groups.length === 0 || groups.includes(group);
  const inWlcg = !wlcgGroups || wlcgGroups.length === 0 || wlcgGroups.includes(`/${group}`) || wlcgGroups.includes(group);
  if (!inGroups || !inWlcg) throw new ForbiddenException(`The group ${group} is not in the user's authorized groups`);
}

/** Reads need the same issuer; another issuer's deployment does not exist for this caller (404). */
export function assertCanRead(caller: Caller | null, record: DeploymentRecord): void {
  if (!caller || !record.createdBy) return;
  if (record.createdBy.issuer !== caller.principal.issuer) throw new DeploymentNotFoundError(record.uuid);
}

/** log, extrainfo, PUT, PATCH, DELETE and actions: the owner only; admins get no bypass. */
export function assertOwner(caller: Caller | null, record: DeploymentRecord): void {
  assertCanRead(caller, record);
  if (!caller || !record.createdBy) return;
  if (record.createdBy.subject !== caller.principal.subject) {
    throw new ForbiddenException('Only the owner of the deployment can perform this operation');
  }
}
