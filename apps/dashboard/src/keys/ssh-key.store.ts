// Each user's SSH public keys (never a private key: a generated one is shown once and dropped).
// Kept in memory and, when the dashboard has a folder of its own (BATON_DATA_DIR, not memory://),
// in one JSON file there, rewritten whole (write then rename) on every change.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PublicKey } from './ssh-keys';

export interface StoredKey extends PublicKey {
  addedAt: string;
}

export class SshKeyStore {
  private readonly byUser: Map<string, StoredKey[]>;

  constructor(private readonly file: string | null) {
    this.byUser = new Map(file && existsSync(file) ? (Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, StoredKey[]>)) : []);
  }

  list(user: string): StoredKey[] {
    return this.byUser.get(user) ?? [];
  }

  /** Adds a key (a key already there is not added twice); false when the user has 20 already. */
  add(user: string, key: PublicKey): boolean {
    const keys = this.list(user);
    if (keys.some((k) => k.fingerprint === key.fingerprint)) return true;
    if (keys.length >= 20) return false;
    this.byUser.set(user, [...keys, { ...key, addedAt: new Date().toISOString() }]);
    this.save();
    return true;
  }

  remove(user: string, fingerprint: string): void {
    this.byUser.set(
      user,
      this.list(user).filter((k) => k.fingerprint !== fingerprint),
    );
    this.save();
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.byUser)), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
