// Issue 10 defect 6: a host whose sshd refuses the deployment's key used to fail the step at once
// with "SSH on HOST:22 did not answer within 300 s". The reason now says what the runner met: a
// refused key, a changed host key, or no answer (connection refused) until the wait ran out.
// Real OpenSSH sshd (libs/runner's fixture) and the real playbook runner.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateKeyPair, MemoryHostKeyStore } from '@lib/runner';
import { MemoryCloudProvider, PlaybookConfigurationRunner } from '@lib/orchestrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestUser, freePort, startSshd, TEST_USER, type SshdHandle } from '../../runner/test/sshd-fixture';
import { startHarness, type Harness } from './engine-harness';

const FIXTURES = resolve(__dirname, 'fixtures');
const TEMPLATE = readFileSync(resolve(FIXTURES, 'scale-in-teardown.yaml'), 'utf8');
const ADDRESS = '127.0.10.61';

let sshd: SshdHandle;
let cleanupUser: () => void;

async function deployOn(bind: { host: string; port: number }, hostKeys = new MemoryHostKeyStore()): Promise<{ harness: Harness<PlaybookConfigurationRunner>; reason: string }> {
  const cloud = new MemoryCloudProvider({ bindSsh: () => bind, bootMs: 50, sshUser: TEST_USER });
  const runner = new PlaybookConfigurationRunner({ artifactsDir: FIXTURES, hostKeys, connectTimeoutMs: 2000 });
  const harness = await startHarness([cloud], runner, undefined, { sshTimeoutMs: 3000 });
  const d = await harness.orchestrator.deployments.create({ template: TEMPLATE, parameters: { count: 1 }, owner: null });
  const failed = await harness.waitFor(d.uuid, ['CREATE_FAILED']);
  return { harness, reason: failed.statusReason ?? '' };
}

beforeAll(async () => {
  cleanupUser = ensureTestUser();
  // sshd trusts another key than any deployment's: it refuses every deployment's key.
  sshd = await startSshd(ADDRESS, generateKeyPair('not-the-deployment'));
}, 60_000);

afterAll(async () => {
  await sshd?.stop();
  cleanupUser?.();
});

describe('waiting for SSH says what the host answered', () => {
  it('a refused key: failed at once, saying the key was refused', async () => {
    const { harness, reason } = await deployOn({ host: sshd.address, port: sshd.port });
    try {
      expect(reason).toContain(`SSH on ${sshd.address}:${sshd.port} refused the deployment's key`);
      expect(reason).not.toContain('did not answer');
    } finally {
      await harness.close();
    }
  }, 120_000);

  it('a host key that changed since it was first trusted: a host key mismatch', async () => {
    const hostKeys = new MemoryHostKeyStore();
    hostKeys.set(`${sshd.address}:${sshd.port}`, 'SHA256:somebody-else');
    const { harness, reason } = await deployOn({ host: sshd.address, port: sshd.port }, hostKeys);
    try {
      expect(reason).toContain('host key mismatch');
    } finally {
      await harness.close();
    }
  }, 120_000);

  it('nothing listening: connection refused until the wait runs out, and it says so', async () => {
    const port = await freePort(ADDRESS);
    const { harness, reason } = await deployOn({ host: ADDRESS, port });
    try {
      expect(reason).toMatch(/did not answer within \d+ s \(cannot connect to .*ECONNREFUSED/);
    } finally {
      await harness.close();
    }
  }, 120_000);
});
