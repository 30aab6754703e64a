// Where remote artifacts (playbooks, their files, role archives) come from. A template is a
// caller's text, so the URLs it names are fetched only under the operator's allow-list, within a
// size and a time limit, and kept by the SHA-256 of their content: a deployment records the digest
// of every file it ran and an update reads the same bytes back by digest. A mirror map serves
// air-gapped sites and the tests: a URL under a mapped prefix is read from a local folder and
// never fetched.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ArtifactError } from './artifact.errors';

export interface ArtifactSourceOptions {
  /** URL prefixes that may be fetched (BATON_ARTIFACT_ALLOW). */
  allow: readonly string[];
  /** URL prefix → local folder (BATON_ARTIFACT_MIRRORS); a mirrored URL is never fetched. */
  mirrors?: ReadonlyArray<{ prefix: string; dir: string }>;
  /** Where fetched bytes are kept, one file per digest. */
  cacheDir: string;
  /** Largest artifact accepted (default 10 MiB). */
  maxBytes?: number;
  /** Time-out of one fetch (default 30 s). */
  timeoutMs?: number;
}

export interface FetchedArtifact {
  url: string;
  /** `sha256:` + hex of the content. */
  digest: string;
  bytes: Buffer;
}

/** The INDIGO and INFN Cloud tosca-types repositories: the default allow-list. */
export const DEFAULT_ARTIFACT_ALLOW = [
  'https://raw.githubusercontent.com/indigo-dc/tosca-types/',
  'https://raw.githubusercontent.com/infn-cloud/tosca-types/',
  'https://baltig.infn.it/infn-cloud/tosca-types/',
];

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

export function digestOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export class ArtifactSource {
  private readonly byUrl = new Map<string, string>();

  constructor(private readonly options: ArtifactSourceOptions) {
    mkdirSync(options.cacheDir, { recursive: true });
  }

  /** True when `url` may be read: under a mirrored or an allowed prefix. */
  allows(url: string): boolean {
    return this.mirrorOf(url) !== undefined || this.options.allow.some((p) => url.startsWith(p));
  }

  /**
   * The artifact's bytes: by `digest` when given and cached (an update runs the same bytes),
   * else from the mirror or the network. Throws ArtifactError saying why not.
   */
  async get(url: string, digest?: string): Promise<FetchedArtifact> {
    if (digest) {
      const cached = this.cached(digest);
      if (cached) return { url, digest, bytes: cached };
    }
    const known = this.byUrl.get(url);
    if (known && !digest) {
      const cached = this.cached(known);
      if (cached) return { url, digest: known, bytes: cached };
    }
    const bytes = await this.read(url);
    const got = digestOf(bytes);
    if (digest && got !== digest) throw new ArtifactError('artifact_changed', `${url}: its content changed since the deployment recorded ${digest} (now ${got}); update with refresh to take the new one`);
    this.store(got, bytes);
    this.byUrl.set(url, got);
    return { url, digest: got, bytes };
  }

  /** The cached bytes of `digest`, or undefined. */
  cached(digest: string): Buffer | undefined {
    try {
      return readFileSync(this.pathOf(digest));
    } catch {
      return undefined;
    }
  }

  private async read(url: string): Promise<Buffer> {
    const mirror = this.mirrorOf(url);
    if (mirror) return this.readMirror(url, mirror);
    if (!this.options.allow.some((p) => url.startsWith(p))) {
      throw new ArtifactError('artifact_not_allowed', `${url} is outside the artifact allow-list (BATON_ARTIFACT_ALLOW: ${this.options.allow.join(', ') || 'empty'})`);
    }
    const max = this.options.maxBytes ?? DEFAULT_MAX_BYTES;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let response: Response;
    try {
      // No redirects: a redirect would leave the allow-listed prefix.
      response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const why = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      throw new ArtifactError('artifact_fetch_failed', `${url} could not be fetched: ${why}`);
    }
    if (!response.ok) throw new ArtifactError('artifact_fetch_failed', `${url} could not be fetched: HTTP ${response.status}`);
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > max) throw new ArtifactError('artifact_too_large', `${url} is ${declared} bytes, over the ${max}-byte limit`);
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += (chunk as Uint8Array).length;
        if (size > max) throw new ArtifactError('artifact_too_large', `${url} is over the ${max}-byte limit`);
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
    } catch (error) {
      if (error instanceof ArtifactError) throw error;
      throw new ArtifactError('artifact_fetch_failed', `${url} could not be fetched: ${error instanceof Error ? error.message : String(error)}`);
    }
    return Buffer.concat(chunks);
  }

  private readMirror(url: string, mirror: { prefix: string; dir: string }): Buffer {
    const root = resolve(mirror.dir);
    const path = resolve(root, decodeURIComponent(url.slice(mirror.prefix.length).split(/[?#]/)[0] ?? ''));
    const inside = relative(root, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw new ArtifactError('artifact_not_allowed', `${url} leaves the mirror folder of ${mirror.prefix}`);
    const max = this.options.maxBytes ?? DEFAULT_MAX_BYTES;
    try {
      const size = statSync(path).size;
      if (size > max) throw new ArtifactError('artifact_too_large', `${url} is ${size} bytes, over the ${max}-byte limit`);
      return readFileSync(path);
    } catch (error) {
      if (error instanceof ArtifactError) throw error;
      throw new ArtifactError('artifact_fetch_failed', `${url} is not in the mirror folder of ${mirror.prefix} (${path})`);
    }
  }

  private mirrorOf(url: string): { prefix: string; dir: string } | undefined {
    return (this.options.mirrors ?? []).filter((m) => url.startsWith(m.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
  }

  private store(digest: string, bytes: Buffer): void {
    const path = this.pathOf(digest);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  }

  private pathOf(digest: string): string {
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new ArtifactError('artifact_changed', `${digest} is not a sha256 digest`);
    return join(this.options.cacheDir, digest.replace(':', '-'));
  }
}
