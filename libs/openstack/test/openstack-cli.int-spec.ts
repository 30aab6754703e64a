// The real `openstack` CLI (Debian python3-openstackclient) against the simulator: one
// sequential scenario, every command must exit 0 and its JSON output is checked.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudSimulator, startCloudSimulator } from '../src/index';
import { prefix } from './client-conformance';

const CLI = '/usr/bin/openstack';
const STEP_TIMEOUT = 90_000;
let sim: CloudSimulator;
let dir: string;
const p = prefix();

/** Runs one CLI command; rejects unless it exits 0. Output parsed as JSON when `-f json` is given. */
function os(...args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      CLI,
      args,
      {
        timeout: STEP_TIMEOUT,
        // Debian's python3 must come first: another python earlier in PATH lacks the OpenStack modules.
        env: {
          PATH: '/usr/bin:/bin',
          HOME: dir,
          OS_AUTH_URL: sim.authUrl,
          OS_USERNAME: sim.username,
          OS_PASSWORD: sim.password,
          OS_PROJECT_NAME: sim.projectName,
          OS_USER_DOMAIN_NAME: sim.userDomain,
          OS_PROJECT_DOMAIN_NAME: sim.projectDomain,
          OS_REGION_NAME: sim.region,
          OS_IDENTITY_API_VERSION: '3',
        },
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`openstack ${args.join(' ')} failed (${String(error.code)}): ${stderr.slice(-2000)}`));
        else resolve(args.includes('json') ? JSON.parse(stdout) : stdout);
      },
    );
  });
}

type Row = Record<string, unknown>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-oscli-'));
  sim = await startCloudSimulator({ bootTimeMs: 300, deleteTimeMs: 200, volumeTimeMs: 100 });
});

afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('openstack CLI against the simulator', () => {
  let publicNetId = '';
  let fip = '';

  it('token issue', async () => {
    const token = (await os('token', 'issue', '-f', 'json')) as Row;
    expect(token['project_id']).toBe(sim.projectId);
    expect(String(token['id'])).toMatch(/^gAAAAA/);
    expect(Date.parse(String(token['expires']))).toBeGreaterThan(Date.now());
  }, STEP_TIMEOUT);

  it('image list and show; flavor list', async () => {
    const images = (await os('image', 'list', '-f', 'json')) as Row[];
    expect(images.map((i) => i['Name'])).toContain('ossim-tiny');
    const image = (await os('image', 'show', 'ossim-tiny', '-f', 'json')) as Row;
    expect(image).toMatchObject({ name: 'ossim-tiny', status: 'active', disk_format: 'raw', visibility: 'public' });
    const flavors = (await os('flavor', 'list', '-f', 'json')) as Row[];
    expect(flavors.find((f) => f['Name'] === 'm1.tiny')).toMatchObject({ RAM: 512, VCPUs: 1, Disk: 1 });
  }, 3 * STEP_TIMEOUT);

  it('network and subnet create and list', async () => {
    const net = (await os('network', 'create', `${p}-net`, '-f', 'json')) as Row;
    expect(net).toMatchObject({ name: `${p}-net`, status: 'ACTIVE', 'router:external': false });
    const subnet = (await os('subnet', 'create', `${p}-sub`, '--network', `${p}-net`, '--subnet-range', '10.20.0.0/24', '-f', 'json')) as Row;
    expect(subnet).toMatchObject({ cidr: '10.20.0.0/24', gateway_ip: '10.20.0.1', network_id: net['id'] });
    const nets = (await os('network', 'list', '-f', 'json')) as Row[];
    expect(nets.map((n) => n['Name'])).toEqual(expect.arrayContaining([`${p}-net`, 'public']));
    publicNetId = String(nets.find((n) => n['Name'] === 'public')?.['ID']);
    const subnets = (await os('subnet', 'list', '--network', `${p}-net`, '-f', 'json')) as Row[];
    expect(subnets).toEqual([expect.objectContaining({ Name: `${p}-sub`, Subnet: '10.20.0.0/24' })]);
  }, 4 * STEP_TIMEOUT);

  it('router create, add subnet, set external gateway', async () => {
    const router = (await os('router', 'create', `${p}-router`, '-f', 'json')) as Row;
    expect(router).toMatchObject({ name: `${p}-router`, status: 'ACTIVE' });
    await os('router', 'add', 'subnet', `${p}-router`, `${p}-sub`);
    await os('router', 'set', '--external-gateway', 'public', `${p}-router`);
    const shown = (await os('router', 'show', `${p}-router`, '-f', 'json')) as Row;
    expect((shown['external_gateway_info'] as Row)['network_id']).toBe(publicNetId);
    expect(JSON.stringify(shown['interfaces_info'])).toContain('10.20.0.1');
  }, 4 * STEP_TIMEOUT);

  it('security group and rule create; keypair create', async () => {
    const sg = (await os('security', 'group', 'create', `${p}-sg`, '-f', 'json')) as Row;
    expect(sg).toMatchObject({ name: `${p}-sg` });
    const rule = (await os('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '22:22', '--remote-ip', '0.0.0.0/0', `${p}-sg`, '-f', 'json')) as Row;
    expect(rule).toMatchObject({ protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0', direction: 'ingress' });
    const keyFile = join(dir, 'key.pem');
    const key = (await os('keypair', 'create', '--private-key', keyFile, `${p}-key`, '-f', 'json')) as Row;
    expect(key).toMatchObject({ name: `${p}-key` });
    expect(String(key['fingerprint'])).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(readFileSync(keyFile, 'utf8')).toContain('PRIVATE KEY');
  }, 3 * STEP_TIMEOUT);

  it('server create --wait to ACTIVE, list, show with its address', async () => {
    const server = (await os('server', 'create', '--flavor', 'm1.tiny', '--image', 'ossim-tiny', '--network', `${p}-net`, '--key-name', `${p}-key`, '--security-group', `${p}-sg`, '--wait', `${p}-vm`, '-f', 'json')) as Row;
    expect(server).toMatchObject({ name: `${p}-vm`, status: 'ACTIVE', key_name: `${p}-key` });
    const list = (await os('server', 'list', '--name', `${p}-vm`, '-f', 'json')) as Row[];
    expect(list).toEqual([expect.objectContaining({ Name: `${p}-vm`, Status: 'ACTIVE', Image: 'ossim-tiny', Flavor: 'm1.tiny' })]);
    const shown = (await os('server', 'show', `${p}-vm`, '-f', 'json')) as Row;
    const addresses = shown['addresses'] as Record<string, string[]>;
    expect(addresses[`${p}-net`]).toEqual([expect.stringMatching(/^10\.20\.0\.\d+$/)]);
  }, 4 * STEP_TIMEOUT);

  it('floating ip create, server add floating ip', async () => {
    const created = (await os('floating', 'ip', 'create', 'public', '-f', 'json')) as Row;
    fip = String(created['floating_ip_address']);
    expect(fip).toMatch(/^203\.0\.113\.\d+$/);
    await os('server', 'add', 'floating', 'ip', `${p}-vm`, fip);
    const shown = (await os('server', 'show', `${p}-vm`, '-f', 'json')) as Row;
    expect((shown['addresses'] as Record<string, string[]>)[`${p}-net`]).toContain(fip);
    const listed = (await os('floating', 'ip', 'show', fip, '-f', 'json')) as Row;
    expect(listed['fixed_ip_address']).toMatch(/^10\.20\.0\.\d+$/);
  }, 4 * STEP_TIMEOUT);

  it('volume create, server add volume, volume delete', async () => {
    const volume = (await os('volume', 'create', '--size', '1', `${p}-vol`, '-f', 'json')) as Row;
    expect(volume).toMatchObject({ name: `${p}-vol`, size: 1 });
    const attached = (await os('server', 'add', 'volume', `${p}-vm`, `${p}-vol`, '-f', 'json')) as Row;
    expect(attached).toMatchObject({ 'Volume ID': volume['id'], Device: '/dev/vdb' });
    const shown = (await os('volume', 'show', `${p}-vol`, '-f', 'json')) as Row;
    expect(shown['status']).toBe('in-use');
    await os('server', 'remove', 'volume', `${p}-vm`, `${p}-vol`);
    await os('volume', 'delete', `${p}-vol`);
  }, 5 * STEP_TIMEOUT);

  it('floating ip delete, server delete --wait', async () => {
    await os('floating', 'ip', 'delete', fip);
    // The simulator is this file's own: the only floating IP and key pair are the deleted ones.
    expect(await os('floating', 'ip', 'list', '-f', 'json')).toEqual([]);
    await os('server', 'delete', '--wait', `${p}-vm`);
    expect(await os('server', 'list', '--name', `${p}-vm`, '-f', 'json')).toEqual([]);
    expect(sim.admin.servers()).toEqual([]);
  }, 3 * STEP_TIMEOUT);

  it('keypair, router, subnet, network and security group delete', async () => {
    await os('keypair', 'delete', `${p}-key`);
    expect(await os('keypair', 'list', '-f', 'json')).toEqual([]);
    await os('router', 'remove', 'subnet', `${p}-router`, `${p}-sub`);
    await os('router', 'delete', `${p}-router`);
    await os('subnet', 'delete', `${p}-sub`);
    await os('network', 'delete', `${p}-net`);
    await os('security', 'group', 'delete', `${p}-sg`);
    const nets = (await os('network', 'list', '-f', 'json')) as Row[];
    expect(nets.map((n) => n['Name'])).toEqual(['public']);
    expect(await os('volume', 'list', '-f', 'json')).toEqual([]);
  }, 8 * STEP_TIMEOUT);
});
