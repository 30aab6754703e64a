// The text algorithms of replace, mount and authorized_key, ported from their Python modules.
import { describe, expect, it } from 'vitest';
import { parseKey, parseOptions } from './authorized-key.module';
import { setMount, unsetMount } from './mount.module';
import { pyExpand, pyPattern } from './replace.module';

describe('replace', () => {
  it('expands Python replacement templates and reads leading inline flags', () => {
    const m = pyPattern('^(?P<k>\\w+)=(\\d+)$', 'gm').exec('port=80')!;
    expect(pyExpand(m, m.groups, '\\g<k>: \\2\\n\\\\')).toBe('port: 80\n\\');
    expect(pyPattern('(?i)^abc', 'gm').flags).toBe('gim');
  });
});

describe('mount fstab edits', () => {
  const args = { name: '/mnt/a b', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=1m', dump: '0', passno: '0', fstab: '/etc/fstab', boot: 'yes', warnings: [], backup_file: '' };
  it('adds a line with escaped fields, and leaves an equal one alone', () => {
    const added = setMount('# c\nproc /proc proc defaults 0 0', args);
    expect(added).toEqual({ changed: true, text: '# c\nproc /proc proc defaults 0 0\ntmpfs /mnt/a\\040b tmpfs size=1m 0 0\n' });
    expect(setMount(added.text, args)).toEqual({ changed: false, text: added.text });
    expect(setMount(added.text, { ...args, opts: 'size=2m' }).text).toContain('tmpfs /mnt/a\\040b tmpfs size=2m 0 0\n');
  });
  it('removes only six-field lines naming the path', () => {
    expect(unsetMount('tmpfs /mnt/a\\040b tmpfs size=1m 0 0\nx /mnt/a\\040b y\n', args)).toEqual({ changed: true, text: 'x /mnt/a\\040b y\n' });
  });
});

describe('authorized_key parsing', () => {
  it('splits options, type, key and comment as parsekey does', () => {
    expect(parseKey('no-pty,command="a b" ssh-ed25519 AAAA me@x y', 0)).toEqual({ id: 'AAAA', type: 'ssh-ed25519', options: [['no-pty', null], ['command', '"a b"']], comment: 'me@x y', rank: 0 });
    expect(parseKey('# note\n', 1)).toMatchObject({ type: 'skipped', id: '# note\n' });
    expect(parseKey('hello world', 2)).toBeUndefined();
    expect(parseOptions("a='x,y',b")).toEqual([['a', "'x,y'"], ['b', null]]);
  });
});
