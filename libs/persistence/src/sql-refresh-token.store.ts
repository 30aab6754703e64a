// The durable `RefreshTokenStore` of libs/auth (a port it declares; matched structurally here so
// persistence needs no auth import): one row per (issuer, subject, client) key, in the database
// every API and worker process shares. The auth lib seals tokens with `SecretBox` before saving.
import type { SqlExecutor } from './sql-client.port';

// What SecretBox.seal produces: `v1:<iv>:<tag>:<body>`, all base64.
const SEALED = /^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$/;

export class SqlRefreshTokenStore {
  constructor(private readonly sql: SqlExecutor) {}

  async load(key: string): Promise<string | null> {
    const [row] = await this.sql.query<{ sealed: string }>('SELECT sealed FROM delegated_tokens WHERE token_key = $1', [key]);
    return row?.sealed ?? null;
  }

  /** Upserts. A value that is not SecretBox output is a caller's bug: refused, so a plain token never reaches disk. */
  async save(key: string, sealed: string): Promise<void> {
    if (!SEALED.test(sealed)) throw new TypeError('refusing to store a refresh token that is not sealed (SecretBox output)');
    await this.sql.query(
      `INSERT INTO delegated_tokens (token_key, sealed, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (token_key) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = now()`,
      [key, sealed],
    );
  }

  async remove(key: string): Promise<void> {
    await this.sql.query('DELETE FROM delegated_tokens WHERE token_key = $1', [key]);
  }
}
