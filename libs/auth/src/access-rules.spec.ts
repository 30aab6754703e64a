import { describe, expect, it } from 'vitest';
import { canRead, checkOwner, checkUserGroup, isAdmin, principalOf, readGroupClaims, readScopes, requireScopes } from './access-rules';
import { bearerToken } from './bearer.authenticator';
import { AuthError } from './errors';
import { LocalAuthenticator } from './local.authenticator';
import type { Caller } from './principal.types';

function codeOf(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AuthError) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'ok';
}

describe('scopes (reference §3.1)', () => {
  it('reads `scope` strings and `scp` arrays', () => {
    expect(readScopes({ scope: 'openid  profile' })).toEqual(['openid', 'profile']);
    expect(readScopes({ scp: ['openid', 7, 'x'] })).toEqual(['openid', 'x']);
    expect(readScopes({})).toEqual([]);
  });

  it('needs openid and profile to read, plus offline_access or fts:submit-transfer to write', () => {
    expect(codeOf(() => requireScopes(['openid', 'profile'], false))).toBe('ok');
    expect(codeOf(() => requireScopes(['openid'], false))).toBe('insufficient_scope: Insufficient scope for this resource: requires profile');
    expect(codeOf(() => requireScopes(['openid', 'profile'], true))).toBe(
      'insufficient_scope: Insufficient scope for this resource: requires offline_access or fts:submit-transfer',
    );
    expect(codeOf(() => requireScopes(['openid', 'profile', 'fts:submit-transfer'], true))).toBe('ok');
    expect(codeOf(() => requireScopes(['openid', 'profile', 'offline_access'], true))).toBe('ok');
  });
});

describe('userGroup rule (reference §3.2)', () => {
  const forbid = (g: string) => `forbidden: The group ${g} is not in the user's authorized groups`;

  it('refuses a token with no group claim, or only empty ones', () => {
    const msg = "forbidden: User's token does not contain a group claim or it is empty";
    expect(codeOf(() => checkUserGroup({}, 'cms'))).toBe(msg);
    expect(codeOf(() => checkUserGroup({ groups: [], wlcgGroups: [] }, 'cms'))).toBe(msg);
  });

  it('checks `groups` for G and `wlcg.groups` for /G, both when both are present', () => {
    expect(codeOf(() => checkUserGroup({ groups: ['cms', 'atlas'] }, 'cms'))).toBe('ok');
    expect(codeOf(() => checkUserGroup({ groups: ['atlas'] }, 'cms'))).toBe(forbid('cms'));
    expect(codeOf(() => checkUserGroup({ wlcgGroups: ['/cms'] }, 'cms'))).toBe('ok');
    expect(codeOf(() => checkUserGroup({ wlcgGroups: ['cms'] }, 'cms'))).toBe(forbid('cms'));
    expect(codeOf(() => checkUserGroup({ groups: ['cms'], wlcgGroups: ['/atlas'] }, 'cms'))).toBe(forbid('cms'));
    expect(codeOf(() => checkUserGroup({ groups: ['cms'], wlcgGroups: ['/cms'] }, '/cms'))).toBe('ok');
  });
});

describe('identity, groups and admin', () => {
  const claims = { iss: 'https://iam/', sub: 'u1', preferred_username: 'ann', email: 'a@x', groups: ['ops'], 'wlcg.groups': ['/cms', '/ops'] };

  it('keeps absent claims absent and unions both for the principal', () => {
    expect(readGroupClaims({ groups: 'a b' })).toEqual({ groups: ['a', 'b'] });
    const gc = readGroupClaims(claims);
    expect(gc).toEqual({ groups: ['ops'], wlcgGroups: ['/cms', '/ops'] });
    expect(principalOf(claims, gc)).toEqual({ issuer: 'https://iam/', subject: 'u1', name: 'ann', email: 'a@x', groups: ['ops', 'cms'] });
  });

  it('is admin only through a group configured for its issuer or for all issuers', () => {
    const p = principalOf(claims, readGroupClaims(claims));
    expect(isAdmin(p, [{ issuer: 'https://other/', group: 'ops' }])).toBe(false);
    expect(isAdmin(p, [{ issuer: 'https://iam/', group: 'ops' }])).toBe(true);
    expect(isAdmin(p, [{ issuer: null, group: '/cms' }])).toBe(true);
    expect(isAdmin(p, [])).toBe(false);
  });
});

describe('owner-only writes', () => {
  const caller = { principal: { issuer: 'https://iam/', subject: 'u1', groups: [] }, admin: true, groupClaims: {}, scopes: [], local: false } satisfies Caller;

  it('lets the owner and ownerless rows through; admins get no bypass', () => {
    expect(codeOf(() => checkOwner(caller, { issuer: 'https://iam/', subject: 'u1' }))).toBe('ok');
    expect(codeOf(() => checkOwner(caller, null))).toBe('ok');
    expect(codeOf(() => checkOwner(caller, { issuer: 'https://iam/', subject: 'u2' }))).toBe(
      'forbidden: Only the owner of the deployment can perform this operation',
    );
    expect(codeOf(() => checkOwner(caller, { issuer: 'https://other/', subject: 'u1' }))).toMatch(/^forbidden/);
  });

  it('lets the local user of the no-auth mode do everything', async () => {
    const local = await new LocalAuthenticator().authenticate(undefined, { write: true });
    expect(local).toMatchObject({ local: true, admin: true, principal: { issuer: 'urn:baton:local', subject: 'local' } });
    expect(codeOf(() => checkOwner(local, { issuer: 'https://iam/', subject: 'u2' }))).toBe('ok');
  });
});

describe('the read rule', () => {
  const owner = { issuer: 'https://iam/', subject: 'alice' };
  const reader = (subject: string, groups: string[], readRule: 'issuer' | 'owner', admin = false): Caller => ({
    principal: { issuer: 'https://iam/', subject, groups },
    admin,
    groupClaims: { groups },
    scopes: [],
    local: false,
    readRule,
  });

  it('issuer (the reference, the default): any user of the issuer reads, another issuer never', () => {
    expect(canRead(reader('bob', [], 'issuer'), { createdBy: owner })).toBe(true);
    expect(canRead({ ...reader('bob', [], 'issuer'), readRule: undefined }, { createdBy: owner })).toBe(true);
    expect(canRead(reader('bob', [], 'issuer'), { createdBy: { issuer: 'https://other/', subject: 'alice' } })).toBe(false);
  });

  it('owner: the owner, members of its userGroup and admins; ownerless rows stay readable', () => {
    expect(canRead(reader('alice', [], 'owner'), { createdBy: owner })).toBe(true);
    expect(canRead(reader('bob', ['atlas'], 'owner'), { createdBy: owner, userGroup: 'cms' })).toBe(false);
    expect(canRead(reader('carol', ['cms'], 'owner'), { createdBy: owner, userGroup: 'cms' })).toBe(true);
    expect(canRead(reader('carol', ['cms'], 'owner'), { createdBy: owner })).toBe(false);
    expect(canRead(reader('root', [], 'owner', true), { createdBy: owner })).toBe(true);
    expect(canRead(reader('bob', [], 'owner'), { createdBy: null })).toBe(true);
  });
});

describe('Authorization header', () => {
  it('accepts Bearer in any case (the dashboard sends `bearer`)', () => {
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('BEARER  abc ')).toBe('abc');
    expect(codeOf(() => bearerToken(undefined))).toMatch(/^missing_token/);
    expect(codeOf(() => bearerToken('Basic dTpw'))).toMatch(/^invalid_token/);
  });
});
