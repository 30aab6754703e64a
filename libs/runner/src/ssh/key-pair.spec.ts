import { utils } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from './key-pair';
import { shQuote, shSplit } from './shell-quote';

describe('generateKeyPair', () => {
  it('writes an OpenSSH ed25519 private key that ssh2 reads, matching the public line', () => {
    const pair = generateKeyPair('deploy-1');
    expect(pair.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\S+ deploy-1$/);
    const parsed = utils.parseKey(pair.privateKey);
    if (parsed instanceof Error) throw parsed;
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    expect(key.type).toBe('ssh-ed25519');
    expect(key.getPublicSSH().toString('base64')).toBe(pair.publicKey.split(' ')[1]);
    const data = Buffer.from('sign me');
    expect(key.verify(data, key.sign(data))).toBe(true);
    expect(generateKeyPair().privateKey).not.toBe(pair.privateKey);
  });
});

describe('shell quoting', () => {
  it('round-trips through shSplit', () => {
    const words = ['a b', "it's", '$HOME', '', 'plain'];
    expect(shSplit(words.map(shQuote).join(' '))).toEqual(words);
    expect(shSplit(`echo "a \\"b\\"" 'c d' e\\ f`)).toEqual(['echo', 'a "b"', 'c d', 'e f']);
  });
});
