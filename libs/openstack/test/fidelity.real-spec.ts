// The simulator against the real control plane of ../shared/openstack-sim: the same 67 raw
// requests to both (fidelity/probes.ts), and no difference in status, key headers, body members
// and their JSON types, server states or error messages.
import { beforeAll, describe, expect, it } from 'vitest';
import { compareWithRealServices } from './fidelity/compare';
import { ensureOpenStackSim } from './support/openstack-sim';

beforeAll(() => ensureOpenStackSim(), 900_000);

describe('simulator fidelity', () => {
  it('answers every probe as the real Keystone, Nova, Neutron and Glance do', async () => {
    const report = await compareWithRealServices();
    expect(report.probes).toBeGreaterThan(60);
    expect(report.differences).toEqual([]);
  }, 600_000);
});
