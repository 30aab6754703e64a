import { describe, expect, it } from 'vitest';
import { MemoryHostKeyStore } from '../ssh/host-key-store';
import { connectConfig, DEFAULT_KEEPALIVE_MS } from '../ssh/ssh-target';
import { Templater } from '../template/templater';
import { endpointFor, sshOptions } from './connect';

describe('the ssh2 configuration a run builds', () => {
  const templater = new Templater();
  const endpoint = endpointFor('web1', templater.scope({ ansible_host: '10.0.0.5', ansible_port: 2222, ansible_user: 'deploy' }), { hostKeys: new MemoryHostKeyStore() });

  it('carries the run keep-alive interval (0 turns keep-alives off) and time-out', () => {
    const hostKeys = new MemoryHostKeyStore();
    const { config } = connectConfig(endpoint, sshOptions({ hostKeys, keepaliveIntervalMs: 5_000, connectTimeoutMs: 7_000 }));
    expect(config).toMatchObject({ host: '10.0.0.5', port: 2222, username: 'deploy', keepaliveInterval: 5_000, keepaliveCountMax: 4, readyTimeout: 7_000 });
    expect(connectConfig(endpoint, sshOptions({ hostKeys, keepaliveIntervalMs: 0 })).config.keepaliveInterval).toBe(0);
    expect(connectConfig(endpoint, sshOptions({ hostKeys })).config).toMatchObject({ keepaliveInterval: DEFAULT_KEEPALIVE_MS, readyTimeout: 10_000 });
  });

  it('trusts a host key on first use and refuses another one later', () => {
    const hostKeys = new MemoryHostKeyStore();
    const first = connectConfig(endpoint, sshOptions({ hostKeys }));
    const verify = first.config.hostVerifier as (key: Buffer) => boolean;
    expect(verify(Buffer.from('key-a'))).toBe(true);
    expect(hostKeys.get('10.0.0.5:2222')).toMatch(/^SHA256:/);
    const later = connectConfig(endpoint, sshOptions({ hostKeys }));
    expect((later.config.hostVerifier as (key: Buffer) => boolean)(Buffer.from('key-a'))).toBe(true);
    expect(later.mismatched()).toBe(false);
    expect((later.config.hostVerifier as (key: Buffer) => boolean)(Buffer.from('key-b'))).toBe(false);
    expect(later.mismatched()).toBe(true);
  });
});
