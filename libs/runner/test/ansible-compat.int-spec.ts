// Compatibility with Ansible: every playbook in test/ansible-compat runs through Debian's
// ansible-playbook and through libs/runner against twin testbed hosts (fresh VMs: h1/h2 for
// Ansible, h1/h2 for us); per host, the same task statuses in the same order, the same recap,
// the same exit code, and the same files and services left behind.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPAT_DIR, inventoryFor, readHeader, runAnsible, runOurs, snapshot, type SideResult } from './compat-harness';
import { testbedAvailable, vmsDown, vmsUp } from './testbed';

const ALL_PLAYBOOKS = readdirSync(COMPAT_DIR).filter((f) => /^\d\d-.*\.yml$/.test(f)).sort();
// COMPAT_ONLY=09,23 runs only the playbooks whose names start with those prefixes (one changed
// playbook, not the whole 10-minute corpus); COMPAT_VMS=name picks other VM names, so a run
// beside another one (CI) does not tear down its hosts.
const ONLY = (process.env.COMPAT_ONLY ?? '').split(',').map((p) => p.trim()).filter(Boolean);
const PLAYBOOKS = ONLY.length ? ALL_PLAYBOOKS.filter((f) => ONLY.some((p) => f.startsWith(p))) : ALL_PLAYBOOKS;
const PREFIX = process.env.COMPAT_VMS ?? 'rnca';
const VMS = { a: [`${PREFIX}-a1`, `${PREFIX}-a2`], b: [`${PREFIX}-b1`, `${PREFIX}-b2`] };

interface Outcome {
  ansible: SideResult;
  ours: SideResult;
  files: { ansible: string[]; ours: string[] };
}

async function pool<T>(items: T[], size: number, fn: (t: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: size }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  }));
}

describe.skipIf(!testbedAvailable())('ansible compatibility', () => {
  const outcomes = new Map<string, Outcome | Error>();

  beforeAll(async () => {
    const ips = await vmsUp([...VMS.a, ...VMS.b], { fresh: true });
    const invA = inventoryFor(VMS.a.map((n) => ips[n]), mkdtempSync(join(tmpdir(), 'baton-compat-inv-')));
    const invB = inventoryFor(VMS.b.map((n) => ips[n]), mkdtempSync(join(tmpdir(), 'baton-compat-inv-')));
    // Every playbook works in its own paths, so they can run side by side on the same twins.
    await pool(PLAYBOOKS, 4, async (name) => {
      const path = join(COMPAT_DIR, name);
      const header = readHeader(path);
      try {
        const [ansible, ours] = await Promise.all([runAnsible(path, invA, header), runOurs(path, invB, header)]);
        const files = {
          ansible: await Promise.all(VMS.a.map((n) => snapshot(ips[n], n, header))),
          ours: await Promise.all(VMS.b.map((n) => snapshot(ips[n], n, header))),
        };
        outcomes.set(name, { ansible, ours, files });
      } catch (error) {
        outcomes.set(name, error as Error);
      }
    });
  }, 3_600_000); // Ansible takes ~0.5 s per task on an idle machine, minutes on a loaded one.

  afterAll(async () => {
    await vmsDown([...VMS.a, ...VMS.b]);
  });

  it('has at least 20 playbooks', () => {
    expect(ALL_PLAYBOOKS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(PLAYBOOKS)('%s behaves as under ansible-playbook', (name) => {
    const o = outcomes.get(name);
    if (o instanceof Error) throw o;
    expect(o).toBeDefined();
    expect(o!.ours.tasks).toEqual(o!.ansible.tasks);
    expect(o!.ours.recap).toEqual(o!.ansible.recap);
    expect(o!.ours.rc).toBe(o!.ansible.rc);
    expect(o!.files.ours.map((s) => s.split(`${PREFIX}-b`).join('x-'))).toEqual(o!.files.ansible.map((s) => s.split(`${PREFIX}-a`).join('x-')));
  });
});
