import { describe, expect, it } from 'vitest';
import { loadClientConfig } from './client-config';
import { ConfigError } from './errors';

describe('loadClientConfig', () => {
  it('defaults to the local service without a token', () => {
    expect(loadClientConfig({})).toEqual({ url: 'http://127.0.0.1:8080', token: null });
  });

  it('reads orchent’s variables, and prefers baton’s when both are set', () => {
    expect(loadClientConfig({ ORCHENT_URL: 'https://paas.example/orchestrator/', ORCHENT_TOKEN: 'a' })).toEqual({ url: 'https://paas.example/orchestrator', token: 'a' });
    expect(loadClientConfig({ ORCHENT_URL: 'https://o/', BATON_URL: 'http://b:8080', ORCHENT_TOKEN: 'a', BATON_TOKEN: 'b' })).toEqual({ url: 'http://b:8080', token: 'b' });
  });

  it('names a bad URL without echoing the token', () => {
    try {
      loadClientConfig({ BATON_URL: 'ftp://x', BATON_TOKEN: 'secret-token' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).issues.map((i) => i.variable)).toEqual(['BATON_URL']);
      expect((e as Error).message).not.toContain('secret-token');
    }
  });
});
