// The client scenarios that run against both clouds (STYLE.md rule 5): the simulator
// (client.int-spec.ts) and the real control plane of ../shared/openstack-sim
// (client.real-spec.ts). Each scenario uses a random prefix and cleans up after itself.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { OpenStackClient, type OpenStackClientOptions, OpenStackHttpError, type Server } from '../src/index';

export interface ConformanceTarget {
  name: string;
  options: () => OpenStackClientOptions;
  externalNetwork: string;
  image: string;
  flavor: string;
  /** Cinder is not part of the real control plane. */
  hasVolumes: boolean;
  /** Poll interval for waits (ms). */
  pollMs: number;
  /** Bound of one wait for a status (ms). */
  waitTimeoutMs: number;
}

/** Upper bound of the whole-server scenario; the real control plane on a loaded machine is slow. */
const SCENARIO_TIMEOUT_MS = 1_500_000;

export function prefix(): string {
  return `bt-${randomBytes(3).toString('hex')}`;
}

/** Every address of a server, fixed and floating. */
export function addressesOf(server: Server): { addr: string; type?: string }[] {
  return Object.values(server.addresses)
    .flat()
    .map((a) => ({ addr: a.addr, type: a['OS-EXT-IPS:type'] }));
}

export function defineClientConformance(target: () => ConformanceTarget): void {
  const clients: OpenStackClient[] = [];
  const make = (): OpenStackClient => {
    const c = new OpenStackClient(target().options());
    clients.push(c);
    return c;
  };
  afterAll(() => clients.forEach((c) => c.close()));

  describe('conformance: identity', () => {
    it('logs in, scopes to the project, and reuses the cached token', async () => {
      const os = make();
      const who = await os.authenticate();
      expect(who.projectId).toMatch(/^[0-9a-f]{32}$/);
      expect(who.expiresAt.getTime()).toBeGreaterThan(Date.now() + 60_000);
      await os.compute.listFlavors();
      await os.network.listNetworks();
      await os.image.listImages({ max: 1 });
      expect(os.session.tokens.issued).toBe(1);
    });

    it('refuses a wrong password with 401 and without echoing the password', async () => {
      const options = target().options();
      const secret = `wrong-${randomBytes(6).toString('hex')}`;
      const os = new OpenStackClient({ ...options, auth: { ...(options.auth as { type: 'password'; password: string }), password: secret } as never });
      clients.push(os);
      const error = await os.authenticate().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenStackHttpError);
      expect(error).toMatchObject({ status: 401, code: 'unauthorized', transient: false });
      expect((error as Error).message).toContain('The request you have made requires authentication.');
      expect(JSON.stringify(error) + (error as Error).message + String((error as Error).stack)).not.toContain(secret);
    });
  });

  describe('conformance: lookups and errors', () => {
    it('finds flavors and images by name, following Glance pages', async () => {
      const t = target();
      const os = make();
      const flavor = await os.compute.findFlavor(t.flavor);
      expect(flavor.name).toBe(t.flavor);
      expect(flavor.vcpus).toBeGreaterThan(0);
      const image = await os.image.findImage(t.image);
      expect(image).toMatchObject({ name: t.image, status: 'active' });
      expect((await os.image.findImage(image.id)).id).toBe(image.id);
      const paged = await os.image.listImages({ pageSize: 1 });
      const whole = await os.image.listImages();
      expect(paged.map((i) => i.id)).toEqual(whole.map((i) => i.id));
      const limits = await os.compute.getLimits();
      expect(limits.maxTotalInstances).toBeGreaterThan(0);
    });

    it('maps each service error body to status, provider message and request id', async () => {
      const os = make();
      const missing = '00000000-0000-4000-8000-000000000000';
      const nova = await os.compute.getServer(missing).catch((e: unknown) => e);
      expect(nova).toMatchObject({ status: 404, code: 'not_found', providerMessage: `Instance ${missing} could not be found.` });
      expect((nova as OpenStackHttpError).requestId).toMatch(/^req-[0-9a-f-]{36}$/);
      const neutron = await os.network.getNetwork(missing).catch((e: unknown) => e);
      expect(neutron).toMatchObject({ status: 404, code: 'not_found', providerMessage: `Network ${missing} could not be found.` });
      expect((neutron as OpenStackHttpError).requestId).toMatch(/^req-/);
      const glance = await os.image.getImage(missing).catch((e: unknown) => e);
      expect(glance).toMatchObject({ status: 404, code: 'not_found', providerMessage: `No image found with ID ${missing}` });
      const badFlavor = await os.compute.postServer({ name: 'x', flavorId: missing, imageId: missing }).catch((e: unknown) => e);
      expect(badFlavor).toMatchObject({ status: 400, code: 'bad_request' });
    });

    it('counts a 404 on delete as done', async () => {
      const os = make();
      const missing = '00000000-0000-4000-8000-00000000dead';
      await expect(os.compute.deleteServer(missing)).resolves.toBeUndefined();
      await expect(os.network.deleteNetwork(missing)).resolves.toBeUndefined();
      await expect(os.network.releaseFloatingIp(missing)).resolves.toBeUndefined();
      await expect(os.compute.deleteKeypair(`nope-${prefix()}`)).resolves.toBeUndefined();
      if (target().hasVolumes) await expect(os.volume.deleteVolume(missing)).resolves.toBeUndefined();
    });
  });

  describe('conformance: a whole server', () => {
    it('builds network, router, security group, key pair, server, floating IP, then tears them down', async () => {
      const t = target();
      const os = make();
      const p = prefix();
      const wait = { timeoutMs: t.waitTimeoutMs, intervalMs: t.pollMs };
      const net = await os.network.createNetwork({ name: `${p}-net` });
      const again = await os.network.createNetwork({ name: `${p}-net` });
      expect(again.id).toBe(net.id); // a create is a look-up first
      const subnet = await os.network.createSubnet({ name: `${p}-sub`, networkId: net.id, cidr: '10.77.0.0/24' });
      expect(subnet).toMatchObject({ cidr: '10.77.0.0/24', gateway_ip: '10.77.0.1', ip_version: 4 });
      const ext = await os.network.findNetwork(t.externalNetwork);
      expect(ext['router:external']).toBe(true);
      const router = await os.network.createRouter({ name: `${p}-router`, externalNetworkId: ext.id });
      expect(router.external_gateway_info?.network_id).toBe(ext.id);
      await os.network.addRouterInterface(router.id, subnet.id);
      await os.network.addRouterInterface(router.id, subnet.id); // already there: no error
      const sg = await os.network.createSecurityGroup({ name: `${p}-sg`, description: 'ssh' });
      const rule = await os.network.createSecurityGroupRule({ securityGroupId: sg.id, direction: 'ingress', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '0.0.0.0/0' });
      const same = await os.network.createSecurityGroupRule({ securityGroupId: sg.id, direction: 'ingress', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '0.0.0.0/0' });
      expect(same.id).toBe(rule.id);
      const keypair = await os.compute.createKeypair(`${p}-key`);
      expect(keypair.private_key).toContain('PRIVATE KEY');
      expect((await os.compute.getKeypair(`${p}-key`))?.fingerprint).toBe(keypair.fingerprint);
      const flavor = await os.compute.findFlavor(t.flavor);
      const image = await os.image.findImage(t.image);

      const spec = { name: `${p}-vm`, flavorId: flavor.id, imageId: image.id, networks: [{ uuid: net.id }], keyName: `${p}-key`, securityGroups: [`${p}-sg`], userData: '#cloud-config\n{}', metadata: { role: 'test' } };
      const created = await os.compute.createServer(spec, `${p}/vm`);
      const twice = await os.compute.createServer(spec, `${p}/vm`);
      expect(twice.id).toBe(created.id);
      const server = await os.compute.waitForServer(created.id, 'ACTIVE', wait);
      expect(server.metadata).toMatchObject({ role: 'test' });
      expect(server.key_name).toBe(`${p}-key`);
      const fixed = addressesOf(server).find((a) => a.type === 'fixed');
      expect(fixed?.addr).toMatch(/^10\.77\.0\.\d+$/);
      expect((await os.compute.listServers({ name: `^${p}-` })).map((s) => s.id)).toEqual([server.id]);

      await os.compute.serverAction(server.id, 'stop');
      await os.compute.waitForServer(server.id, 'SHUTOFF', wait);
      await os.compute.serverAction(server.id, 'start');
      await os.compute.waitForServer(server.id, 'ACTIVE', wait);

      const [port] = await os.network.listPorts({ device_id: server.id });
      expect(port.fixed_ips[0].ip_address).toBe(fixed?.addr);
      const fip = await os.network.allocateFloatingIp({ network: t.externalNetwork, description: `${p}/fip` });
      const fipAgain = await os.network.allocateFloatingIp({ network: t.externalNetwork, description: `${p}/fip` });
      expect(fipAgain.id).toBe(fip.id);
      const associated = await os.network.associateFloatingIp(fip.id, port.id);
      expect(associated).toMatchObject({ port_id: port.id, fixed_ip_address: fixed?.addr });
      let withFloating: Server | undefined;
      for (let i = 0; i < 30; i++) {
        withFloating = await os.compute.getServer(server.id);
        if (addressesOf(withFloating).some((a) => a.type === 'floating')) break;
        await new Promise((r) => setTimeout(r, t.pollMs));
      }
      expect(addressesOf(withFloating!)).toContainEqual({ addr: fip.floating_ip_address, type: 'floating' });

      if (t.hasVolumes) {
        const volume = await os.volume.createVolume({ name: `${p}-vol`, sizeGb: 1 }, `${p}/vol`);
        await os.volume.waitForVolume(volume.id, 'available', wait);
        const attachment = await os.compute.attachVolume(server.id, volume.id);
        expect(attachment.volumeId).toBe(volume.id);
        const inUse = await os.volume.waitForVolume(volume.id, 'in-use', wait);
        expect(inUse.attachments[0].server_id).toBe(server.id);
        await os.compute.detachVolume(server.id, volume.id);
        await os.volume.waitForVolume(volume.id, 'available', wait);
        await os.volume.deleteVolume(volume.id);
        await os.volume.waitForVolumeGone(volume.id, wait);
      }

      await os.network.associateFloatingIp(fip.id, null);
      await os.network.releaseFloatingIp(fip.id);
      await os.compute.deleteServer(server.id);
      await os.compute.waitForServerGone(server.id, wait);
      await os.compute.deleteServer(server.id); // already gone
      await os.compute.deleteKeypair(`${p}-key`);
      expect(await os.compute.getKeypair(`${p}-key`)).toBeUndefined();
      await os.network.removeRouterInterface(router.id, subnet.id);
      await os.network.deleteRouter(router.id);
      await os.network.deleteSecurityGroup(sg.id);
      await os.network.deleteSubnet(subnet.id);
      await os.network.deleteNetwork(net.id);
      expect(await os.network.listNetworks({ name: `${p}-net` })).toEqual([]);
    }, SCENARIO_TIMEOUT_MS);
  });
}
