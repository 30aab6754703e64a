import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse, HttpTransport } from './http.transport';
import { TokenManager } from './token-manager';

// A strict stand-in for Keystone: answers POST /auth/tokens only, and counts the logins.
class FakeKeystone implements HttpTransport {
  logins = 0;
  constructor(private readonly lifetimeMs: number, private readonly now: () => number) {}
  async send(request: HttpRequest): Promise<HttpResponse> {
    if (request.method !== 'POST' || !request.url.pathname.endsWith('/auth/tokens')) throw new Error(`unexpected ${request.method} ${request.url.pathname}`);
    this.logins++;
    await new Promise((r) => setTimeout(r, 5));
    const issued = this.now();
    return {
      status: 201,
      headers: { 'x-subject-token': `tok-${this.logins}` },
      body: JSON.stringify({
        token: { issued_at: new Date(issued).toISOString(), expires_at: new Date(issued + this.lifetimeMs).toISOString(), project: { id: 'p' }, user: { id: 'u' }, catalog: [] },
      }),
    };
  }
  close(): void {}
}

const auth = { type: 'password' as const, username: 'u', password: 'secret', projectName: 'p' };

describe('TokenManager', () => {
  it('shares one login among concurrent callers and caches the token', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const keystone = new FakeKeystone(3_600_000, () => now);
    const tokens = new TokenManager(keystone, 'http://k/v3', auth, () => now);
    const all = await Promise.all([tokens.get(undefined, 1000), tokens.get(undefined, 1000), tokens.get(undefined, 1000)]);
    expect(new Set(all.map((t) => t.value))).toEqual(new Set(['tok-1']));
    now += 30 * 60_000;
    expect((await tokens.get(undefined, 1000)).value).toBe('tok-1');
    expect(keystone.logins).toBe(1);
  });

  it('renews 2 minutes before expiry (or a tenth of a short lifetime)', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const keystone = new FakeKeystone(3_600_000, () => now);
    const tokens = new TokenManager(keystone, 'http://k/v3', auth, () => now);
    await tokens.get(undefined, 1000);
    now += 3_600_000 - 121_000;
    expect((await tokens.get(undefined, 1000)).value).toBe('tok-1');
    now += 2_000;
    expect((await tokens.get(undefined, 1000)).value).toBe('tok-2');

    const short = new FakeKeystone(60_000, () => now);
    const shortTokens = new TokenManager(short, 'http://k/v3', auth, () => now);
    await shortTokens.get(undefined, 1000);
    now += 53_000;
    expect((await shortTokens.get(undefined, 1000)).value).toBe('tok-1');
    now += 2_000;
    expect((await shortTokens.get(undefined, 1000)).value).toBe('tok-2');
  });

  it('drops the token on invalidate, but only if it is still the cached one', async () => {
    const now = Date.now();
    const keystone = new FakeKeystone(3_600_000, () => now);
    const tokens = new TokenManager(keystone, 'http://k/v3', auth, () => now);
    const first = await tokens.get(undefined, 1000);
    tokens.invalidate(first);
    const second = await tokens.get(undefined, 1000);
    tokens.invalidate(first); // a late 401 for the old token must not drop the new one
    expect((await tokens.get(undefined, 1000)).value).toBe(second.value);
    expect(keystone.logins).toBe(2);
  });
});
