// Long deployments must outlive the caller's access token (reference §3.3): on a mutating call
// the caller's token is exchanged for a refresh token of our client, kept sealed (AES-256-GCM)
// per (issuer, subject, client), and later turned into fresh access tokens for the cloud
// (Keystone federation). Access tokens are cached and refreshed when they have less than five
// minutes left; a cloud 401 calls `accessToken(owner, { force: true })` once.
import { TokenExchangeError } from './errors';
import type { TokenExchangeClient, TokenSet } from './token-exchange.client';

/** Seals and opens secrets at rest; `SecretBox` of @lib/persistence is one (AES-256-GCM). */
export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** Where sealed refresh tokens live: a table in production, a Map when embedded or in tests. */
export interface RefreshTokenStore {
  load(key: string): Promise<string | null>;
  save(key: string, sealed: string): Promise<void>;
  remove(key: string): Promise<void>;
}

/** The owner whose token is delegated. */
export interface TokenOwner {
  issuer: string;
  subject: string;
}

export interface DelegatedTokensOptions {
  clientId: string;
  scopes: readonly string[];
  audience: string | null;
  /** Refresh when the cached access token has less than this left (ms). Default 5 min. */
  minRemainingMs?: number;
}

/** A store that keeps sealed tokens in memory (the embedded default, and tests). */
export class InMemoryRefreshTokenStore implements RefreshTokenStore {
  readonly entries = new Map<string, string>();
  async load(key: string): Promise<string | null> {
    return this.entries.get(key) ?? null;
  }
  async save(key: string, sealed: string): Promise<void> {
    this.entries.set(key, sealed);
  }
  async remove(key: string): Promise<void> {
    this.entries.delete(key);
  }
}

export class DelegatedTokensService {
  private readonly cache = new Map<string, { accessToken: string; expiresAt: number }>();
  /** One refresh at a time per owner: concurrent steps must not burn a rotated refresh token twice. */
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly client: TokenExchangeClient,
    private readonly store: RefreshTokenStore,
    private readonly sealer: Sealer,
    private readonly options: DelegatedTokensOptions,
  ) {}

  /** The store key of an owner: (issuer, subject, client), as the reference keys it. */
  keyOf(owner: TokenOwner): string {
    return JSON.stringify([owner.issuer, owner.subject, this.options.clientId]);
  }

  /**
   * Exchanges the caller's access token (RFC 8693) and keeps the refresh token sealed. Always a
   * new exchange: the newest refresh token lives longest. Throws TokenExchangeError.
   */
  async delegate(owner: TokenOwner, subjectToken: string): Promise<void> {
    const set = await this.client.exchange(owner.issuer, subjectToken, { scopes: this.options.scopes, audience: this.options.audience });
    if (!set.refreshToken) {
      throw new TokenExchangeError('no_refresh_token', `Token exchange at ${owner.issuer} returned no refresh token (is offline_access allowed for the client?)`);
    }
    await this.keep(owner, set);
  }

  /** A valid access token for the owner, from the cache or by refreshing. `force` skips the cache. */
  async accessToken(owner: TokenOwner, options: { force?: boolean } = {}): Promise<string> {
    const key = this.keyOf(owner);
    const cached = this.cache.get(key);
    if (!options.force && cached && cached.expiresAt - Date.now() > (this.options.minRemainingMs ?? 300_000)) return cached.accessToken;
    const running = this.inflight.get(key);
    if (running) return running;
    const job = this.refresh(owner).finally(() => this.inflight.delete(key));
    this.inflight.set(key, job);
    return job;
  }

  /** Forgets an owner's tokens (e.g. after the last deployment is deleted). */
  async forget(owner: TokenOwner): Promise<void> {
    const key = this.keyOf(owner);
    this.cache.delete(key);
    await this.store.remove(key);
  }

  private async refresh(owner: TokenOwner): Promise<string> {
    const key = this.keyOf(owner);
    const sealed = await this.store.load(key);
    if (sealed === null) throw new TokenExchangeError('no_refresh_token', `No delegated token is stored for ${owner.subject}@${owner.issuer}`);
    const set = await this.client.refresh(owner.issuer, this.sealer.open(sealed));
    await this.keep(owner, set);
    return set.accessToken;
  }

  private async keep(owner: TokenOwner, set: TokenSet): Promise<void> {
    const key = this.keyOf(owner);
    // Issuers that rotate refresh tokens invalidate the old one: store the new one first.
    if (set.refreshToken) await this.store.save(key, this.sealer.seal(set.refreshToken));
    this.cache.set(key, { accessToken: set.accessToken, expiresAt: set.expiresAt.getTime() });
  }
}
