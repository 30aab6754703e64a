import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArtifactPathError, resolveArtifactPath } from './artifact-path';

describe('resolveArtifactPath', () => {
  it('resolves a relative path inside the artifacts folder', () => {
    expect(resolveArtifactPath('/srv/baton/templates', 'artifacts/web/install.yml')).toBe('/srv/baton/templates/artifacts/web/install.yml');
    expect(resolveArtifactPath('/srv/baton/templates/', './artifacts/../artifacts/a.yml')).toBe('/srv/baton/templates/artifacts/a.yml');
  });

  it.each(['/etc/passwd', '../secrets.yml', 'artifacts/../../x.yml', '.', ''])('refuses %j, which is not a file inside the folder', (implementation) => {
    expect(() => resolveArtifactPath('/srv/baton/templates', implementation)).toThrow(ArtifactPathError);
  });

  it('says that remote artifacts are not fetched', () => {
    expect(() => resolveArtifactPath('/srv/t', 'https://example.org/play.yml')).toThrow(/remote artifacts are not fetched/);
  });
});

describe('resolveArtifactPath and symbolic links', () => {
  const root = mkdtempSync(join(tmpdir(), 'baton-artifacts-'));
  mkdirSync(join(root, 'artifacts'));
  writeFileSync(join(root, 'artifacts', 'ok.yml'), '- hosts: all\n');
  symlinkSync('/etc/passwd', join(root, 'artifacts', 'leak.yml'));
  symlinkSync('/etc', join(root, 'etc'));
  symlinkSync(join(root, 'artifacts', 'ok.yml'), join(root, 'artifacts', 'alias.yml'));

  it('refuses a link that leads out of the folder', () => {
    expect(() => resolveArtifactPath(root, 'artifacts/leak.yml')).toThrow(/symbolic link .* leads outside/);
    expect(() => resolveArtifactPath(root, 'etc/passwd')).toThrow(ArtifactPathError);
  });

  it('keeps a link that stays inside', () => {
    expect(resolveArtifactPath(root, 'artifacts/alias.yml')).toBe(join(root, 'artifacts', 'alias.yml'));
  });
});
