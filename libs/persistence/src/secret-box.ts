// AES-256-GCM for secrets at rest (secret inputs, SSH private keys). The key comes from config
// (BATON_SECRET_KEY); any string is stretched to 32 bytes with SHA-256 so operators may pass a
// passphrase or 32 random bytes in base64 alike.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { PersistenceError } from './errors';

const PREFIX = 'v1';

export class SecretBox {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    if (!secretKey) throw new TypeError('SecretBox needs a non-empty key');
    this.key = createHash('sha256').update(secretKey, 'utf8').digest();
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [PREFIX, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  open(sealed: string): string {
    const [prefix, iv, tag, body] = sealed.split(':');
    if (prefix !== PREFIX || !iv || !tag || body === undefined) {
      throw new PersistenceError('secret_unreadable', 'stored secret has an unknown format');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    } catch (cause) {
      // Never echo the ciphertext or the key: only say it could not be opened.
      throw new PersistenceError('secret_unreadable', 'stored secret cannot be decrypted with the configured key', { cause });
    }
  }
}
