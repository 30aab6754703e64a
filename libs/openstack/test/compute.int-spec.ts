// The compute client's less travelled paths against the in-process simulator: boot from a
// volume, a server on a given port, availability zones, reboots, server groups (and the 400 for
// an unknown group), compute quotas (cores, ram) and quota sets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudSimulator, OpenStackClient, type OpenStackClientOptions, OpenStackHttpError, type ServerCreateSpec, startCloudSimulator } from '../src/index';
import { prefix } from './client-conformance';

let sim: CloudSimulator;
const clients: OpenStackClient[] = [];
const WAIT = { intervalMs: 20, timeoutMs: 10_000 };

function client(extra: Partial<OpenStackClientOptions> = {}): OpenStackClient {
  const c = new OpenStackClient({
    authUrl: sim.authUrl,
    auth: { type: 'password', username: sim.username, password: sim.password, projectName: sim.projectName, userDomainName: 'Default', projectDomainName: 'Default' },
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    timeoutMs: 5_000,
    ...extra,
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  sim = await startCloudSimulator({ bootTimeMs: 100, deleteTimeMs: 50, volumeTimeMs: 50 });
});

afterAll(async () => {
  clients.forEach((c) => c.close());
  await sim?.close();
});

/** A network with a subnet, and the tiny flavor and image. */
async function base(os: OpenStackClient, p: string, cidr: string) {
  const net = await os.network.createNetwork({ name: `${p}-net` });
  await os.network.createSubnet({ name: `${p}-sub`, networkId: net.id, cidr });
  const flavor = await os.compute.findFlavor('m1.tiny');
  const image = await os.image.findImage('ossim-tiny');
  return { net, flavor, image };
}

async function deleteAndWait(os: OpenStackClient, serverId: string): Promise<void> {
  await os.compute.deleteServer(serverId);
  await os.compute.waitForServerGone(serverId, WAIT);
}

const httpError = (e: unknown): OpenStackHttpError => {
  expect(e).toBeInstanceOf(OpenStackHttpError);
  return e as OpenStackHttpError;
};

describe('boot from volume, ports, availability zone, reboot', () => {
  it('boots from an existing volume on a given port, reboots soft and hard back to ACTIVE', async () => {
    const os = client();
    const p = prefix();
    const { net, flavor, image } = await base(os, p, '10.31.0.0/24');
    const port = await os.network.createPort({ name: `${p}-port`, networkId: net.id });
    expect(port.device_id).toBe('');
    const volume = await os.volume.createVolume({ name: `${p}-root`, sizeGb: 1, imageId: image.id }, `${p}/root`);
    await os.volume.waitForVolume(volume.id, 'available', WAIT);

    const spec: ServerCreateSpec = { name: `${p}-vm`, flavorId: flavor.id, bootVolume: { volumeId: volume.id }, networks: [{ port: port.id }], availabilityZone: 'nova' };
    const created = await os.compute.createServer(spec, `${p}/vm`);
    const server = await os.compute.waitForServer(created.id, 'ACTIVE', WAIT);
    expect(server.image).toBe(''); // Nova shows no image for a volume-backed server
    expect(server['os-extended-volumes:volumes_attached']).toEqual([{ id: volume.id }]);
    expect(server['OS-EXT-AZ:availability_zone']).toBe('nova');
    expect(server.addresses[`${p}-net`]?.map((a) => a.addr)).toEqual([port.fixed_ips[0].ip_address]);
    const [bound] = await os.network.listPorts({ id: port.id });
    expect(bound).toMatchObject({ device_id: server.id, device_owner: 'compute:nova' });
    const root = await os.volume.getVolume(volume.id);
    expect(root).toMatchObject({ status: 'in-use', attachments: [expect.objectContaining({ server_id: server.id, device: '/dev/vda' })] });

    await os.compute.serverAction(server.id, 'reboot-soft');
    expect((await os.compute.waitForServer(server.id, 'ACTIVE', WAIT)).status).toBe('ACTIVE');
    await os.compute.serverAction(server.id, 'stop');
    await os.compute.waitForServer(server.id, 'SHUTOFF', WAIT);
    // A stopped server takes a hard reboot only, as in Nova.
    await expect(os.compute.serverAction(server.id, 'reboot-soft')).rejects.toMatchObject({ status: 409 });
    await os.compute.serverAction(server.id, 'reboot-hard');
    expect((await os.compute.waitForServer(server.id, 'ACTIVE', WAIT))['OS-EXT-STS:power_state']).toBe(1);

    await deleteAndWait(os, server.id);
    // The user's port and volume outlive the server (delete_on_termination false), released.
    expect((await os.network.listPorts({ id: port.id }))[0]).toMatchObject({ device_id: '', device_owner: '' });
    expect(await os.volume.getVolume(volume.id)).toMatchObject({ status: 'available', attachments: [] });
    await os.volume.deleteVolume(volume.id);
    await os.network.deletePort(port.id);
    await os.network.deleteNetwork(net.id);
  });

  it('boots from a new volume made from an image, deleted with the server', async () => {
    const os = client({ computeMicroversion: '2.3' });
    const p = prefix();
    const { net, flavor, image } = await base(os, p, '10.32.0.0/24');
    const before = new Set((await os.volume.listVolumes()).map((v) => v.id));
    const spec: ServerCreateSpec = { name: `${p}-vm`, flavorId: flavor.id, imageId: image.id, bootVolume: { sizeGb: 2 }, networks: [{ uuid: net.id }] };
    const server = await os.compute.waitForServer((await os.compute.createServer(spec, `${p}/vm`)).id, 'ACTIVE', WAIT);
    const made = (await os.volume.listVolumes()).filter((v) => !before.has(v.id));
    expect(made).toEqual([expect.objectContaining({ size: 2, bootable: 'true', status: 'in-use' })]);
    expect(server['os-extended-volumes:volumes_attached']).toEqual([{ id: made[0].id, delete_on_termination: true }]);
    await deleteAndWait(os, server.id);
    expect((await os.volume.listVolumes()).map((v) => v.id)).not.toContain(made[0].id);
    await os.network.deleteNetwork(net.id);
  });

  it('refuses an unknown availability zone, user data that is not base64, and a boot volume that does not exist', async () => {
    const os = client();
    const p = prefix();
    const { net, flavor, image } = await base(os, p, '10.33.0.0/24');
    const zone = httpError(await os.compute.postServer({ name: `${p}-a`, flavorId: flavor.id, imageId: image.id, networks: [{ uuid: net.id }], availabilityZone: 'elsewhere' }).catch((e: unknown) => e));
    expect(zone).toMatchObject({ status: 400, providerMessage: 'The requested availability zone is not available' });
    const userData = httpError(
      await os.session.request('compute', 'POST', '/servers', { body: { server: { name: `${p}-u`, flavorRef: flavor.id, imageRef: image.id, networks: [{ uuid: net.id }], user_data: '#cloud-config' } } }).catch((e: unknown) => e),
    );
    expect(userData).toMatchObject({ status: 400, providerMessage: "Invalid input for field/attribute user_data. Value: #cloud-config. '#cloud-config' is not a 'base64'" });
    const missing = httpError(await os.compute.postServer({ name: `${p}-b`, flavorId: flavor.id, bootVolume: { volumeId: '5e1b8d5e-0000-4000-8000-000000000000' }, networks: [{ uuid: net.id }] }).catch((e: unknown) => e));
    expect(missing).toMatchObject({ status: 400, providerMessage: 'Block Device Mapping is Invalid: failed to get volume 5e1b8d5e-0000-4000-8000-000000000000.' });
    expect(sim.admin.servers().filter((s) => s.name.startsWith(p))).toEqual([]);
    expect((await os.network.listPorts({ network_id: net.id })).filter((port) => port.device_owner === 'compute:nova')).toEqual([]);
    await os.network.deleteNetwork(net.id);
  });
});

describe('server groups', () => {
  it('creates, lists, shows and deletes groups; servers join the group named in the hint', async () => {
    const os = client();
    const p = prefix();
    const group = await os.compute.createServerGroup(`${p}-group`, 'anti-affinity');
    // Microversion 2.1: `policies` and the always-empty `metadata`.
    expect(group).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: `${p}-group`, policies: ['anti-affinity'], metadata: {}, members: [] });
    expect((await os.compute.listServerGroups()).map((g) => g.id)).toContain(group.id);

    const { net, flavor, image } = await base(os, p, '10.34.0.0/24');
    const server = await os.compute.createServer({ name: `${p}-vm`, flavorId: flavor.id, imageId: image.id, networks: [{ uuid: net.id }], serverGroupId: group.id }, `${p}/vm`);
    expect((await os.compute.getServerGroup(group.id)).members).toEqual([server.id]);
    await deleteAndWait(os, server.id);
    expect((await os.compute.getServerGroup(group.id)).members).toEqual([]);

    await os.compute.deleteServerGroup(group.id);
    expect(httpError(await os.compute.getServerGroup(group.id).catch((e: unknown) => e))).toMatchObject({ status: 404, providerMessage: `Instance group ${group.id} could not be found.` });
    await os.compute.deleteServerGroup(group.id); // already gone counts as deleted
    await os.network.deleteNetwork(net.id);
  });

  it('fails a second anti-affinity member with no valid host (one compute host), as the real control plane', async () => {
    const os = client({ computeMicroversion: '2.64' });
    const p = prefix();
    const { net, flavor, image } = await base(os, p, '10.37.0.0/24');
    const anti = await os.compute.createServerGroup(`${p}-anti`, 'anti-affinity');
    const soft = await os.compute.createServerGroup(`${p}-soft`, 'soft-anti-affinity');
    const boot = async (name: string, groupId: string) =>
      (await os.compute.createServer({ name: `${p}-${name}`, flavorId: flavor.id, imageId: image.id, networks: [{ uuid: net.id }], serverGroupId: groupId }, `${p}/${name}`)).id;
    const first = await boot('a1', anti.id);
    await os.compute.waitForServer(first, 'ACTIVE', WAIT);
    const second = await boot('a2', anti.id);
    await expect(os.compute.waitForServer(second, 'ACTIVE', WAIT)).rejects.toMatchObject({ code: 'resource_failed', faultMessage: 'No valid host was found. There are not enough hosts available.' });
    expect((await os.compute.getServerGroup(anti.id)).members).toEqual([first, second]);
    const softIds = [await boot('s1', soft.id), await boot('s2', soft.id)];
    for (const id of softIds) await os.compute.waitForServer(id, 'ACTIVE', WAIT);
    for (const id of [first, second, ...softIds]) await deleteAndWait(os, id);
    await os.compute.deleteServerGroup(anti.id);
    await os.compute.deleteServerGroup(soft.id);
    await os.network.deleteNetwork(net.id);
  });

  it('speaks `policy` and `rules` from microversion 2.64', async () => {
    const os = client({ computeMicroversion: '2.64' });
    const p = prefix();
    const group = await os.compute.createServerGroup(`${p}-group`, 'soft-affinity');
    expect(group).toMatchObject({ name: `${p}-group`, policy: 'soft-affinity', rules: {}, members: [], project_id: sim.projectId });
    expect(group).not.toHaveProperty('policies');
    expect(group).not.toHaveProperty('metadata');
    await os.compute.deleteServerGroup(group.id);
  });

  it('answers 400 to a create whose group hint is unknown or not a UUID, making nothing', async () => {
    const os = client();
    const p = prefix();
    const { net, flavor, image } = await base(os, p, '10.35.0.0/24');
    const spec = { name: `${p}-vm`, flavorId: flavor.id, imageId: image.id, networks: [{ uuid: net.id }] };
    const unknown = '0b7f4c33-1111-4222-8333-444455556666';
    const missing = httpError(await os.compute.createServer({ ...spec, serverGroupId: unknown }, `${p}/vm`).catch((e: unknown) => e));
    expect(missing).toMatchObject({ status: 400, code: 'bad_request', providerMessage: `Instance group ${unknown} could not be found.` });
    const malformed = httpError(await os.compute.postServer({ ...spec, serverGroupId: 'not-a-uuid' }).catch((e: unknown) => e));
    expect(malformed).toMatchObject({ status: 400, providerMessage: "Invalid input for field/attribute group. Value: not-a-uuid. 'not-a-uuid' is not a 'uuid'" });
    expect(sim.admin.servers().filter((s) => s.name.startsWith(p))).toEqual([]);
    await os.network.deleteNetwork(net.id);
  });
});

describe('compute quotas', () => {
  it('refuses cores and ram over quota with Nova 403 messages, and reads the quota set', async () => {
    const os = client();
    const p = prefix();
    const { net, image } = await base(os, p, '10.36.0.0/24');
    const medium = await os.compute.findFlavor('m1.medium'); // 2 vCPUs, 4096 MB
    const spec = { name: `${p}-vm`, flavorId: medium.id, imageId: image.id, networks: [{ uuid: net.id }] };
    const refused = async (): Promise<OpenStackHttpError> => httpError(await os.compute.createServer(spec, `${p}/vm`).catch((e: unknown) => e));
    try {
      sim.admin.setQuota({ cores: 1 });
      expect(await os.compute.getQuotaSet()).toMatchObject({ id: sim.projectId, cores: 1, ram: 51200, instances: 10 });
      expect(await refused()).toMatchObject({ status: 403, code: 'quota_exceeded', transient: false, providerMessage: 'Quota exceeded for cores: Requested 2, but already used 0 of 1 cores' });

      sim.admin.setQuota({ cores: 20, ram: 1024 });
      expect(await refused()).toMatchObject({ status: 403, code: 'quota_exceeded', providerMessage: 'Quota exceeded for ram: Requested 4096, but already used 0 of 1024 ram' });

      // Several resources over: Nova lists them all, sorted, with the figures in the same order.
      sim.admin.setQuota({ cores: 1, ram: 1024 });
      expect(await refused()).toMatchObject({ status: 403, providerMessage: 'Quota exceeded for cores, ram: Requested 2, 4096, but already used 0, 0 of 1, 1024 cores, ram' });
      expect(await os.compute.getQuotaSet(sim.projectId)).toMatchObject({ cores: 1, ram: 1024 });
      expect(sim.admin.servers().filter((s) => s.name.startsWith(p))).toEqual([]);
    } finally {
      sim.admin.setQuota({ cores: 20, ram: 51200 });
      await os.network.deleteNetwork(net.id);
    }
  });

  it('shows the quota set members of the asked microversion', async () => {
    const legacy = await client().compute.getQuotaSet();
    expect(legacy).toMatchObject({ floating_ips: -1, injected_files: 5, server_groups: 10, server_group_members: 10, key_pairs: 100 });
    const modern = await client({ computeMicroversion: '2.57' }).compute.getQuotaSet();
    expect(Object.keys(modern).sort()).toEqual(['cores', 'id', 'instances', 'key_pairs', 'metadata_items', 'ram', 'server_group_members', 'server_groups']);
  });
});
