// Nova's other resources in the simulator: flavors, key pairs, limits, quota sets,
// availability zones.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { microversion, renderFlavor } from './nova-render';
import type { SimContext } from './sim-context';
import { json, obj, SimHttpError, type SimRequest, SimRouter, str } from './sim-http';
import type { SimKeypair, SimServer } from './sim-state';

export function novaMiscRoutes(ctx: SimContext): SimRouter {
  const state = ctx.state;

  const flavor = (req: SimRequest) => {
    ctx.authenticate(req);
    const f = state.flavors.get(req.params['id']);
    if (!f) throw new SimHttpError(404, `Flavor ${req.params['id']} could not be found.`);
    return f;
  };

  const keypairJson = (k: SimKeypair, mv: number, full: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = { name: k.name, public_key: k.publicKey, fingerprint: k.fingerprint };
    if (mv >= 2) out['type'] = k.type;
    if (full) Object.assign(out, { user_id: k.userId, created_at: new Date(k.createdAt).toISOString().replace(/Z$/, '000').replace(/\.(\d{3})000$/, '.$1000'), deleted: false, deleted_at: null, updated_at: null, id: 1 });
    return out;
  };

  const usage = (projectId: string): { instances: number; cores: number; ram: number } => {
    const mine: SimServer[] = [...state.servers.values()].filter((s) => s.projectId === projectId);
    return {
      instances: mine.length,
      cores: mine.reduce((n, s) => n + (state.flavors.get(s.flavorId)?.vcpus ?? 0), 0),
      ram: mine.reduce((n, s) => n + (state.flavors.get(s.flavorId)?.ram ?? 0), 0),
    };
  };

  return new SimRouter()
    .on('GET', '/flavors', (req) => {
      ctx.authenticate(req);
      const mv = microversion(req);
      return json(200, { flavors: [...state.flavors.values()].map((f) => renderFlavor(req.origin, f, mv, false)) });
    })
    .on('GET', '/flavors/detail', (req) => {
      ctx.authenticate(req);
      const mv = microversion(req);
      return json(200, { flavors: [...state.flavors.values()].map((f) => renderFlavor(req.origin, f, mv, true)) });
    })
    .on('GET', '/flavors/:id', (req) => json(200, { flavor: renderFlavor(req.origin, flavor(req), microversion(req), true) }))
    .on('GET', '/flavors/:id/os-extra_specs', (req) => json(200, { extra_specs: flavor(req).extraSpecs }))
    .on('GET', '/os-keypairs', (req) => {
      const auth = ctx.authenticate(req);
      const mv = microversion(req);
      const keypairs = [...state.keypairs.values()].filter((k) => k.userId === auth.user.id).map((k) => ({ keypair: keypairJson(k, mv, false) }));
      return json(200, { keypairs });
    })
    .on('GET', '/os-keypairs/:name', (req) => {
      const auth = ctx.authenticate(req);
      const k = state.keypairs.get(`${auth.user.id}/${req.params['name']}`);
      if (!k) throw new SimHttpError(404, `Keypair ${req.params['name']} not found for user ${auth.user.id}`);
      return json(200, { keypair: keypairJson(k, microversion(req), true) });
    })
    .on('POST', '/os-keypairs', (req) => {
      const auth = ctx.authenticate(req);
      const mv = microversion(req);
      const ref = obj(req.body, 'keypair');
      const name = str(ref, 'name');
      if (!name || !/^[a-zA-Z0-9 _.@-]{1,255}$/.test(name)) throw new SimHttpError(400, "Invalid input for field/attribute name. Value: None. None is not of type 'string'");
      if (state.keypairs.has(`${auth.user.id}/${name}`)) throw new SimHttpError(409, `Key pair '${name}' already exists.`);
      const count = [...state.keypairs.values()].filter((k) => k.userId === auth.user.id).length;
      const quota = state.quota(auth.projectId).key_pairs;
      if (quota >= 0 && count >= quota) throw new SimHttpError(403, 'Quota exceeded, too many key pairs.');
      let publicKey = str(ref, 'public_key');
      let privateKey: string | undefined;
      if (publicKey === undefined) {
        if (mv >= 92) throw new SimHttpError(400, "Invalid input for field/attribute keypair. Value: ... 'public_key' is a required property");
        const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
        privateKey = pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
        publicKey = `${opensshRsa(pair.publicKey.export({ format: 'jwk' }))} Generated-by-Nova`;
      }
      const fingerprint = fingerprintOf(publicKey);
      if (!fingerprint) throw new SimHttpError(400, 'Keypair data is invalid: failed to generate fingerprint');
      const k: SimKeypair = { name, userId: auth.user.id, publicKey: publicKey.trim(), fingerprint, type: str(ref, 'type') ?? 'ssh', createdAt: Date.now() };
      state.keypairs.set(`${auth.user.id}/${name}`, k);
      const out = keypairJson(k, mv, false);
      out['user_id'] = k.userId;
      if (privateKey) out['private_key'] = privateKey;
      return json(mv >= 2 ? 201 : 200, { keypair: out });
    })
    .on('DELETE', '/os-keypairs/:name', (req) => {
      const auth = ctx.authenticate(req);
      if (!state.keypairs.delete(`${auth.user.id}/${req.params['name']}`)) {
        throw new SimHttpError(404, `Keypair ${req.params['name']} not found for user ${auth.user.id}`);
      }
      return json(microversion(req) >= 2 ? 204 : 202);
    })
    .on('GET', '/limits', (req) => {
      const auth = ctx.authenticate(req);
      const q = state.quota(auth.projectId);
      const u = usage(auth.projectId);
      return json(200, {
        limits: {
          rate: [],
          absolute: {
            maxServerMeta: 128,
            maxPersonality: 5,
            totalServerGroupsUsed: [...state.serverGroups.values()].filter((g) => g.projectId === auth.projectId).length,
            maxImageMeta: 128,
            maxPersonalitySize: 10240,
            maxTotalKeypairs: q.key_pairs,
            maxSecurityGroupRules: -1,
            maxServerGroups: q.server_groups,
            totalCoresUsed: u.cores,
            totalRAMUsed: u.ram,
            totalInstancesUsed: u.instances,
            maxSecurityGroups: -1,
            totalFloatingIpsUsed: 0,
            maxTotalCores: q.cores,
            maxServerGroupMembers: q.server_group_members,
            maxTotalFloatingIps: -1,
            totalSecurityGroupsUsed: 0,
            maxTotalInstances: q.instances,
            maxTotalRAMSize: q.ram,
          },
        },
      });
    })
    .on('GET', '/os-quota-sets/:project', (req) => {
      ctx.authenticate(req);
      const mv = microversion(req);
      const q = state.quota(req.params['project']);
      // The nova-network members (-1: Neutron owns those quotas) go at 2.36, the injected-file
      // ones at 2.57 (Nova API reference, os-quota-sets).
      const quota_set: Record<string, unknown> = { cores: q.cores };
      if (mv < 36) Object.assign(quota_set, { fixed_ips: -1, floating_ips: -1 });
      quota_set['id'] = req.params['project'];
      if (mv < 57) Object.assign(quota_set, { injected_file_content_bytes: 10240, injected_file_path_bytes: 255, injected_files: 5 });
      Object.assign(quota_set, { instances: q.instances, key_pairs: q.key_pairs, metadata_items: 128, ram: q.ram });
      if (mv < 36) Object.assign(quota_set, { security_group_rules: -1, security_groups: -1 });
      Object.assign(quota_set, { server_group_members: q.server_group_members, server_groups: q.server_groups });
      return json(200, { quota_set });
    })
    .on('GET', '/os-availability-zone', (req) => {
      ctx.authenticate(req);
      return json(200, { availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true }, hosts: null }] });
    });
}

/** The OpenSSH form of an RSA public key. */
function opensshRsa(jwk: { n?: string; e?: string }): string {
  const e = Buffer.from(jwk.e ?? '', 'base64url');
  const n = Buffer.from(jwk.n ?? '', 'base64url');
  const mpint = (b: Buffer): Buffer => (b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
  const field = (b: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const blob = Buffer.concat([field(Buffer.from('ssh-rsa')), field(mpint(e)), field(mpint(n))]);
  return `ssh-rsa ${blob.toString('base64')}`;
}

/** Nova's fingerprint: MD5 of the key blob, as colon-separated hex. Undefined if not a key. */
export function fingerprintOf(publicKey: string): string | undefined {
  const parts = publicKey.trim().split(/\s+/);
  if (parts.length < 2 || !/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521))$/.test(parts[0])) return undefined;
  const blob = Buffer.from(parts[1], 'base64');
  // The blob starts with its own type name; a mismatch means the data is not a key.
  if (blob.length < 20 || blob.readUInt32BE(0) !== parts[0].length || blob.subarray(4, 4 + parts[0].length).toString() !== parts[0]) return undefined;
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}
