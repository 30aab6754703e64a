// SSH public keys as users paste them (RFC 4253 §6.6 blobs in the OpenSSH one-line form), their
// SHA256 fingerprints as ssh-keygen prints them, and a new Ed25519 pair in OpenSSH's own formats
// (PROTOCOL.key of OpenSSH), made here so that the private key is shown once and never stored.
import { createHash } from 'node:crypto';
import { generateKeyPair as generateSshKeyPair } from '@lib/runner';

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

/**
 * A new Ed25519 pair: the public key (parsed, with its fingerprint) and the private key in
 * OpenSSH's PEM form, written by the runner's key-pair writer (the one the deployments use).
 */
export function generateKeyPair(comment: string): { publicKey: PublicKey; privateKeyPem: string } {
  const pair = generateSshKeyPair(comment);
  const publicKey = parsePublicKey(pair.publicKey);
  if ('error' in publicKey) throw new Error(`generated an unreadable public key: ${publicKey.error}`);
  return { publicKey, privateKeyPem: pair.privateKey };
}
