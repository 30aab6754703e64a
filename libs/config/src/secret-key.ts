// BATON_SECRET_KEY: 32 bytes, base64, the AES-256-GCM key for secrets at rest. With PostgreSQL
// it is required (several workers on several hosts must share it); with embedded PGlite a key is
// generated once and kept beside the data (`<dataDir>/secret.key`, mode 0600), so a restart can
// still open what the last run sealed.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretKeySource } from './config.types';
import type { EnvReader } from './env-reader';

const EXPECTED = '32 random bytes in base64, e.g. the output of `openssl rand -base64 32`';
const KEY_FILE = 'secret.key';

/** True when `text` is base64 (standard or url-safe, padded or not) of exactly 32 bytes. */
export function isSecretKeyText(text: string): boolean {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return false;
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64').length === 32;
}

export function resolveSecretKey(
  env: EnvReader,
  opts: { dataDir: string; inMemory: boolean; databaseUrl: string | null },
): { secretKey: string; secretKeySource: SecretKeySource } {
  const given = env.raw('BATON_SECRET_KEY');
  if (given !== undefined) {
    if (!isSecretKeyText(given)) env.fail('BATON_SECRET_KEY', EXPECTED, 'does not decode to 32 bytes');
    return { secretKey: given, secretKeySource: 'env' };
  }
  if (opts.databaseUrl !== null) {
    env.fail('BATON_SECRET_KEY', EXPECTED, 'required when DATABASE_URL is set (every process must share one key)');
    return { secretKey: '', secretKeySource: 'env' };
  }
  if (opts.inMemory) return { secretKey: randomBytes(32).toString('base64'), secretKeySource: 'ephemeral' };
  const file = join(opts.dataDir, KEY_FILE);
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (!isSecretKeyText(stored)) {
      env.fail('BATON_DATA_DIR', 'a data dir whose secret.key holds 32 bytes in base64', `${file} is corrupt`);
    }
    return { secretKey: stored, secretKeySource: 'data-dir' };
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') {
      env.fail('BATON_DATA_DIR', 'a readable and writable directory', `cannot read ${file}: ${(cause as Error).message}`);
      return { secretKey: '', secretKeySource: 'data-dir' };
    }
  }
  const key = randomBytes(32).toString('base64');
  try {
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    // 'wx': never overwrite a key another process wrote in between (it would orphan its secrets).
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return { secretKey: key, secretKeySource: 'data-dir' };
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') {
      return { secretKey: readFileSync(file, 'utf8').trim(), secretKeySource: 'data-dir' };
    }
    env.fail('BATON_DATA_DIR', 'a readable and writable directory', `cannot create ${file}: ${(cause as Error).message}`);
    return { secretKey: '', secretKeySource: 'data-dir' };
  }
}
