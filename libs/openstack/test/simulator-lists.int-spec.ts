// List queries the simulator answers as the real services do (SIMULATOR-FIDELITY.md): Neutron's
// sort_key/sort_dir, limit/marker/page_reverse with `<collection>_links`, and Nova's changes-since.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudSimulator, OpenStackClient, startCloudSimulator } from '../src/index';
import { prefix } from './client-conformance';

let sim: CloudSimulator;
let os: OpenStackClient;
const p = prefix();
const NAMES = ['delta', 'alpha', 'echo', 'charlie', 'bravo'].map((n) => `${p}-${n}`);

beforeAll(async () => {
  sim = await startCloudSimulator({ bootTimeMs: 50, deleteTimeMs: 0 });
  os = new OpenStackClient({
    authUrl: sim.authUrl,
    auth: { type: 'password', username: sim.username, password: sim.password, projectName: sim.projectName, userDomainName: 'Default', projectDomainName: 'Default' },
  });
  for (const name of NAMES) await os.network.createNetwork({ name });
});

afterAll(async () => {
  os?.close();
  await sim?.close();
});

interface Page {
  status: number;
  body: Record<string, unknown>;
}

async function get(url: string): Promise<Page> {
  const res = await fetch(url, { headers: { 'x-auth-token': (await os.session.token()).value } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const networksUrl = (query: string): string => `${sim.url}/network/v2.0/networks?${query}`;
const names = (page: Page): string[] => (page.body['networks'] as { name: string }[]).map((n) => n.name);
const link = (page: Page, rel: string): string | undefined => (page.body['networks_links'] as { rel: string; href: string }[] | undefined)?.find((l) => l.rel === rel)?.href;
const neutronMessage = (page: Page): string => (page.body['NeutronError'] as { message: string }).message;

describe('Neutron list sorting and paging', () => {
  it('sorts by sort_key/sort_dir pairs', async () => {
    const all = [...NAMES, 'public'].sort();
    expect((await os.network.listNetworks({ sort_key: 'name', sort_dir: 'asc' })).map((n) => n.name)).toEqual(all);
    expect((await os.network.listNetworks({ sort_key: 'name', sort_dir: 'desc' })).map((n) => n.name)).toEqual([...all].reverse());
    // Two keys: external first (true > false descending), then by name.
    const mixed = await os.network.listNetworks({ sort_key: ['router:external', 'name'], sort_dir: ['desc', 'asc'] });
    expect(mixed.map((n) => n.name)).toEqual(['public', ...[...NAMES].sort()]);
  });

  it('pages with limit and marker, following next links to an empty page, and back with previous', async () => {
    const seen: string[] = [];
    let url: string | undefined = networksUrl('sort_key=name&sort_dir=asc&limit=2');
    const pages: Page[] = [];
    while (url) {
      const page = await get(url);
      expect(page.status).toBe(200);
      pages.push(page);
      seen.push(...names(page));
      url = link(page, 'next');
    }
    expect(seen).toEqual([...NAMES, 'public'].sort());
    // 6 networks in pages of 2: the third page is full, so a next link leads to an empty fourth.
    expect(pages.map((page) => names(page).length)).toEqual([2, 2, 2, 0]);
    expect(link(pages[0], 'next')).toBe(networksUrl(`sort_key=name&sort_dir=asc&limit=2&marker=${(pages[0].body['networks'] as { id: string }[])[1].id}`));

    const back = await get(link(pages[1], 'previous')!);
    expect(names(back)).toEqual(names(pages[0]));
    expect(back.body['networks']).toEqual(pages[0].body['networks']);
  });

  it('applies fields after paging, and refuses bad sort and paging parameters as Neutron does', async () => {
    const page = await get(networksUrl('limit=1&fields=name'));
    expect(page.body['networks']).toEqual([{ name: expect.any(String) }]);

    const unpaired = await get(networksUrl('sort_key=name'));
    expect(unpaired.status).toBe(400);
    expect(neutronMessage(unpaired)).toBe('The number of sort_keys and sort_dirs must be same');
    const badKey = await get(networksUrl('sort_key=nope&sort_dir=asc'));
    expect([badKey.status, neutronMessage(badKey)]).toEqual([400, "['nope'] is invalid attribute for sort_keys"]);
    const badDir = await get(networksUrl('sort_key=name&sort_dir=up'));
    expect([badDir.status, neutronMessage(badDir)]).toEqual([400, "['up'] is invalid value for sort_dirs, valid value is 'asc' and 'desc'"]);
    const badLimit = await get(networksUrl('limit=-1'));
    expect([badLimit.status, neutronMessage(badLimit)]).toEqual([400, "Limit must be an integer 0 or greater and not '-1'"]);
    const marker = '3f0e2b1c-0000-4000-8000-000000000000';
    const badMarker = await get(networksUrl(`limit=2&marker=${marker}`));
    expect([badMarker.status, neutronMessage(badMarker)]).toEqual([404, `Network ${marker} could not be found.`]);
  });
});

describe('Nova changes-since', () => {
  it('lists servers updated at or after the time given', async () => {
    const net = (await os.network.listNetworks({ name: NAMES[0] }))[0];
    const flavor = await os.compute.findFlavor('m1.tiny');
    const image = await os.image.findImage('ossim-tiny');
    const created = await os.compute.createServer({ name: `${p}-vm`, flavorId: flavor.id, imageId: image.id, networks: [{ uuid: net.id }] }, `${p}/vm`);
    const server = await os.compute.waitForServer(created.id, 'ACTIVE', { intervalMs: 20, timeoutMs: 5_000 });
    const since = async (when: string): Promise<Page> => get(`${sim.url}/compute/v2.1/servers?changes-since=${encodeURIComponent(when)}`);
    const ids = (page: Page): string[] => (page.body['servers'] as { id: string }[]).map((s) => s.id);

    // Nothing touches the server after it went ACTIVE, so its `updated` is its last change.
    expect(ids(await since(server.updated))).toEqual([server.id]);
    expect(ids(await since('1970-01-01T00:00:00'))).toEqual([server.id]); // no zone: UTC
    expect(ids(await since(new Date(Date.parse(server.updated) + 1000).toISOString()))).toEqual([]);
    const bad = await since('yesterday');
    expect(bad.status).toBe(400);
    expect((bad.body['badRequest'] as { message: string }).message).toBe("Invalid input for query parameters changes-since. Value: yesterday. 'yesterday' is not a 'date-time'");

    await os.compute.deleteServer(server.id);
    await os.compute.waitForServerGone(server.id, { intervalMs: 20, timeoutMs: 5_000 });
  });
});
