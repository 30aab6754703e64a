import { describe, expect, it } from 'vitest';
import { CallbackPolicy, CallbackRefusedError, maskUrl, type HostLookup } from './callback-policy';

/** DNS answers for names that cannot be resolved here (no resolver in the test machine's reach). */
function dns(table: Record<string, string[]>): HostLookup {
  return async (host) => {
    const hit = table[host];
    if (!hit) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return hit.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof CallbackRefusedError) return e.message;
    throw e;
  }
  throw new Error('not refused');
};

describe('CallbackPolicy', () => {
  const open = new CallbackPolicy({ hosts: null, privateNetworks: [] });

  it('refuses loopback, private, link-local and mapped addresses at submission, with the reason and the setting to change', () => {
    for (const url of ['http://10.1.2.3/hook', 'http://127.0.0.1:9/', 'http://0x7f.1/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[fd00::5]/', 'http://localhost:8080/', 'http://api.localhost/']) {
      expect(refusal(() => open.checkUrl(url)), url).toMatch(/is (127\.0\.0\.1, )?an? .*address; callbacks reach only public addresses unless BATON_CALLBACK_PRIVATE_NETWORKS allows the range/);
    }
    expect(refusal(() => open.checkUrl('http://10.1.2.3/hook'))).toBe(
      'callback http://10.1.2.3/hook: 10.1.2.3 is a private address; callbacks reach only public addresses unless BATON_CALLBACK_PRIVATE_NETWORKS allows the range',
    );
    expect(refusal(() => open.checkUrl('ftp://example.org/'))).toMatch(/only http and https/);
    expect(open.checkUrl('https://hooks.example.org/x').hostname).toBe('hooks.example.org');
  });

  it('lets BATON_CALLBACK_PRIVATE_NETWORKS open a range, and BATON_CALLBACK_HOSTS restrict names', () => {
    const p = new CallbackPolicy({ hosts: ['hooks.example.org', '*.ci.example.org', '10.0.0.7'], privateNetworks: ['10.0.0.0/24'] });
    expect(p.checkUrl('http://10.0.0.7/').hostname).toBe('10.0.0.7');
    expect(p.checkUrl('https://a.ci.example.org/').hostname).toBe('a.ci.example.org');
    expect(refusal(() => p.checkUrl('https://evil.example.net/'))).toMatch(/evil\.example\.net is not a callback host of this service \(BATON_CALLBACK_HOSTS\)/);
    expect(refusal(() => p.checkUrl('https://ci.example.org.evil.net/'))).toMatch(/not a callback host/);
  });

  it('resolves a name, checks every address and returns the checked one to connect to', async () => {
    const lookup = dns({ 'hooks.example.org': ['192.0.43.10'], 'split.example.org': ['192.0.43.10', '10.0.0.5'], 'inner.example.org': ['127.0.0.1'] });
    const p = new CallbackPolicy({ hosts: null, privateNetworks: [] }, lookup);
    expect(await p.resolve('https://hooks.example.org/x')).toMatchObject({ address: '192.0.43.10', family: 4 });
    await expect(p.resolve('https://split.example.org/x')).rejects.toThrow('split.example.org is 10.0.0.5, a private address');
    await expect(p.resolve('https://inner.example.org/x')).rejects.toThrow('inner.example.org is 127.0.0.1, a loopback address');
    await expect(p.resolve('https://nowhere.example.org/x')).rejects.toThrow('nowhere.example.org does not resolve (ENOTFOUND)');
    const allowed = new CallbackPolicy({ hosts: null, privateNetworks: ['127.0.0.0/8'] }, lookup);
    expect(await allowed.resolve('http://inner.example.org/x')).toMatchObject({ address: '127.0.0.1' });
  });

  it('never shows the credentials of a URL', () => {
    expect(maskUrl('https://user:pass@hooks.example.org/x?y=1')).toBe('https://****@hooks.example.org/x?y=1');
    expect(refusal(() => open.checkUrl('http://user:pass@10.0.0.1/'))).not.toContain('user:pass');
  });
});
