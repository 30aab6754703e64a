import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, keyLine, parsePublicKey } from './ssh-keys';

// A public key made by `ssh-keygen -t ed25519 -C test@host` (a fixture, no secret).
const PUB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINM5P0g4XDXlpNHA59WNzqd7uag8ihS3/HNQDDscjX6B test@host';

describe('SSH public keys', () => {
  it('reads a pasted key and prints its fingerprint as ssh-keygen does', () => {
    expect(parsePublicKey(`  ${PUB}\n`)).toEqual({
      type: 'ssh-ed25519',
      blob: 'AAAAC3NzaC1lZDI1NTE5AAAAINM5P0g4XDXlpNHA59WNzqd7uag8ihS3/HNQDDscjX6B',
      comment: 'test@host',
      fingerprint: 'SHA256:P6xHJXOUdhO3xtj3ei3cg0fPz06qF4eRMWpWxEx5Z3Y',
    });
  });

  it('says what is wrong with a bad paste', () => {
    expect(parsePublicKey('hello')).toHaveProperty('error');
    expect(parsePublicKey('ssh-dss AAAA')).toMatchObject({ error: expect.stringContaining('Unknown key type') });
    expect(parsePublicKey('ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAINM5P0g4XDXlpNHA59WNzqd7uag8ihS3/HNQDDscjX6B')).toMatchObject({ error: expect.stringContaining('does not match') });
    expect(parsePublicKey('-----BEGIN OPENSSH PRIVATE KEY----- abc')).toMatchObject({ error: expect.stringContaining('private key') });
  });

  it('makes an Ed25519 pair that ssh-keygen reads back: the same public key and fingerprint', () => {
    const pair = generateKeyPair('ann@baton');
    const line = keyLine(pair.publicKey);
    expect(parsePublicKey(line)).toEqual(pair.publicKey);
    const dir = mkdtempSync(join(tmpdir(), 'baton-key-'));
    try {
      const file = join(dir, 'id');
      writeFileSync(file, pair.privateKeyPem, { mode: 0o600 });
      expect(execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim()).toBe(line);
      expect(execFileSync('ssh-keygen', ['-lf', file], { encoding: 'utf8' })).toContain(pair.publicKey.fingerprint);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
