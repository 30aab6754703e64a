// OpenID Connect discovery and the JWKS of each allow-listed issuer, fetched lazily and cached.
// Only allow-listed issuers are ever contacted, so a forged `iss` cannot make us fetch a URL of
// the attacker's choosing. Key rotation: jose's remote key set refetches once when a token names
// an unknown `kid` (at most once per `cooldownMs`), and refreshes anyway after `cacheMs`.
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { IssuerUnavailableError, UnknownIssuerError } from './errors';

/** The members of an issuer's discovery document that baton uses. */
export interface IssuerMetadata {
  issuer: string;
  jwks_uri: string;
  token_endpoint?: string;
  userinfo_endpoint?: string;
  authorization_endpoint?: string;
  introspection_endpoint?: string;
  grant_types_supported?: string[];
}

export interface IssuerDirectoryOptions {
  /** The allow-list: exact `iss` values. */
  issuers: readonly string[];
  /** Trust a fetched discovery document and JWKS this long (ms). */
  cacheMs: number;
  /**
   * Minimum time between two JWKS refetches caused by unknown `kid`s (ms). Default 5 s: short
   * enough that a token signed right after a key rollover is accepted within seconds, long enough
   * that a flood of random `kid`s costs the issuer one request per 5 s.
   */
  cooldownMs?: number;
  /** Time-out of each HTTP fetch (ms). */
  timeoutMs: number;
}

interface Entry {
  metadata: Promise<IssuerMetadata>;
  fetchedAt: number;
  keys?: JWTVerifyGetKey;
}

export class IssuerDirectory {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: IssuerDirectoryOptions) {}

  /** True when `issuer` is on the allow-list. */
  isTrusted(issuer: string): boolean {
    return this.options.issuers.includes(issuer);
  }

  /** The discovery document of an allow-listed issuer (cached; a failure is not cached). */
  async metadata(issuer: string): Promise<IssuerMetadata> {
    return (await this.entry(issuer)).metadata;
  }

  /** The key-set function jose verifies against. */
  async keys(issuer: string): Promise<JWTVerifyGetKey> {
    const entry = await this.entry(issuer);
    if (!entry.keys) {
      const meta = await entry.metadata;
      entry.keys = createRemoteJWKSet(new URL(meta.jwks_uri), {
        timeoutDuration: this.options.timeoutMs,
        cooldownDuration: this.options.cooldownMs ?? 5_000,
        cacheMaxAge: this.options.cacheMs,
      });
    }
    return entry.keys;
  }

  private async entry(issuer: string): Promise<Entry> {
    if (!this.isTrusted(issuer)) throw new UnknownIssuerError(issuer);
    const now = Date.now();
    const cached = this.entries.get(issuer);
    if (cached && now - cached.fetchedAt < this.options.cacheMs) {
      await cached.metadata;
      return cached;
    }
    const entry: Entry = { metadata: this.discover(issuer), fetchedAt: now, keys: cached?.keys };
    this.entries.set(issuer, entry);
    try {
      await entry.metadata;
    } catch (e) {
      if (this.entries.get(issuer) === entry) this.entries.delete(issuer);
      throw e;
    }
    return entry;
  }

  private async discover(issuer: string): Promise<IssuerMetadata> {
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    let doc: Partial<IssuerMetadata>;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs), headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`discovery answered HTTP ${res.status}`);
      doc = (await res.json()) as Partial<IssuerMetadata>;
    } catch (cause) {
      throw new IssuerUnavailableError(issuer, { cause });
    }
    // OpenID Connect Discovery 1.0 §4.3: the document's issuer must be the one we asked for.
    if (doc.issuer !== issuer || typeof doc.jwks_uri !== 'string') {
      throw new IssuerUnavailableError(issuer, { cause: new Error('discovery document does not match the issuer') });
    }
    return doc as IssuerMetadata;
  }
}
