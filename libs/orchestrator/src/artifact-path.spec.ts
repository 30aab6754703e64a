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
