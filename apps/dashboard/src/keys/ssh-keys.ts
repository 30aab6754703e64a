// SSH public keys as users paste them (RFC 4253 §6.6 blobs in the OpenSSH one-line form), their
// SHA256 fingerprints as ssh-keygen prints them, and a new Ed25519 pair in OpenSSH's own formats
// (PROTOCOL.key of OpenSSH), made here so that the private key is shown once and never stored.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';

export interface PublicKey {
  type: string;
  /** The base64 blob. */
  blob: string;
  comment: string;
  /** `SHA256:...`, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

const TYPES = new Set(['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com']);

/** A pasted public key, or why it is not one. */
export function parsePublicKey(text: string): PublicKey | { error: string } {
  const parts = text.trim().split(/\s+/);
  if (parts.length < 2 || parts[0] === '') return { error: 'Paste one public key line: its type, its key, then an optional comment (ssh-ed25519 AAAA… you@host).' };
  const [type, blob, ...rest] = parts;
  if (text.includes('PRIVATE KEY')) return { error: 'This is a private key: paste the public one (the .pub file), and keep the private key to yourself.' };
  if (!TYPES.has(type)) return { error: `Unknown key type "${type.slice(0, 40)}": use ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256.` };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return { error: 'The key is not base64.' };
  const raw = Buffer.from(blob, 'base64');
  // The blob starts with its own type as an SSH string; a mismatch is a damaged paste.
  const len = raw.length >= 4 ? raw.readUInt32BE(0) : -1;
  if (len < 0 || raw.length < 4 + len || raw.subarray(4, 4 + len).toString() !== type) return { error: 'The key does not match its type: it may have been cut or changed.' };
  return { type, blob, comment: rest.join(' ').slice(0, 100), fingerprint: fingerprintOf(raw) };
}

export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The one-line form of a key. */
export function keyLine(key: PublicKey): string {
  return `${key.type} ${key.blob}${key.comment ? ` ${key.comment}` : ''}`;
}

/** A new Ed25519 pair: the public key (one line) and the private key in OpenSSH's PEM form. */
export function generateKeyPair(comment: string): { publicKey: PublicKey; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  const type = sshString('ssh-ed25519');
  const pubBlob = Buffer.concat([type, sshString(pub)]);
  const check = randomBytes(4);
  let section = Buffer.concat([check, check, type, sshString(pub), sshString(Buffer.concat([seed, pub])), sshString(comment)]);
  const pad = Buffer.from(Array.from({ length: (8 - (section.length % 8)) % 8 }, (_, i) => i + 1));
  section = Buffer.concat([section, pad]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(pubBlob),
    sshString(section),
  ]);
  const base64 = body.toString('base64').replace(/(.{70})/g, '$1\n').replace(/\n$/, '');
  const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${base64}\n-----END OPENSSH PRIVATE KEY-----\n`;
  const blob = pubBlob.toString('base64');
  return { publicKey: { type: 'ssh-ed25519', blob, comment, fingerprint: fingerprintOf(pubBlob) }, privateKeyPem: pem };
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function sshString(value: string | Buffer): Buffer {
  const data = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([uint32(data.length), data]);
}
