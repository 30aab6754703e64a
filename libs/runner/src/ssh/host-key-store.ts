// Trust on first use: the first key seen for host:port is recorded, any later different key is
// refused. The store is a port so the orchestrator can keep fingerprints with the deployment.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Where host key fingerprints are kept between connections. */
export interface HostKeyStore {
  get(hostPort: string): string | undefined;
  set(hostPort: string, fingerprint: string): void;
}

/** In-memory store, for one run or a long-lived process. */
export class MemoryHostKeyStore implements HostKeyStore {
  private readonly keys = new Map<string, string>();
  constructor(initial?: Record<string, string>) {
    for (const [k, v] of Object.entries(initial ?? {})) this.keys.set(k, v);
  }
  get(hostPort: string): string | undefined {
    return this.keys.get(hostPort);
  }
  set(hostPort: string, fingerprint: string): void {
    this.keys.set(hostPort, fingerprint);
  }
  toJSON(): Record<string, string> {
    return Object.fromEntries(this.keys);
  }
}

/** A JSON file of `{ "host:port": "SHA256:..." }`, used by the CLI. */
export class FileHostKeyStore implements HostKeyStore {
  private readonly memory: MemoryHostKeyStore;
  constructor(private readonly path: string) {
    const data = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>) : {};
    this.memory = new MemoryHostKeyStore(data);
  }
  get(hostPort: string): string | undefined {
    return this.memory.get(hostPort);
  }
  set(hostPort: string, fingerprint: string): void {
    this.memory.set(hostPort, fingerprint);
    writeFileSync(this.path, JSON.stringify(this.memory.toJSON(), null, 2), { mode: 0o600 });
  }
}

export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
