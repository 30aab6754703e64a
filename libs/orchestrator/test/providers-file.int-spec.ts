// The providers file as operators write it: the example shipped at the repository root, as is
// and with its commented OpenStack entries switched on, and a file with mistakes in it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadProvidersFile } from '@lib/orchestrator';
import { describe, expect, it } from 'vitest';

const EXAMPLE = resolve(__dirname, '../../../providers.example.yaml');

function write(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'baton-providers-')), 'providers.yaml');
  writeFileSync(file, text);
  return file;
}

describe('providers file', () => {
  it('loads the shipped example: one simulator that answers', async () => {
    const loaded = await loadProvidersFile(EXAMPLE);
    try {
      expect(loaded.providers.map((p) => p.name)).toEqual(['simulator']);
      const auth = await fetch(loaded.simulators.simulator!.authUrl);
      expect(auth.ok).toBe(true);
    } finally {
      await loaded.close();
    }
  });

  it('loads every commented entry of the example once switched on', async () => {
    // Uncomment the `# - name:` blocks: drop the "  # " prefix of each commented YAML line.
    const text = readFileSync(EXAMPLE, 'utf8')
      .split('\n')
      .map((line) => (/^ {2}# {0,3}(- name:| {2}\S)/.test(line) ? `  ${line.slice(4)}` : line))
      .join('\n');
    const loaded = await loadProvidersFile(write(text));
    try {
      expect(loaded.providers.map((p) => [p.name, p.rank])).toEqual([
        ['simulator', 100],
        ['site-a', 1],
        ['site-b', 3],
        ['site-c', 4],
      ]);
    } finally {
      await loaded.close();
    }
  });

  it('names every bad entry at once', async () => {
    const file = write(
      [
        'providers:',
        '  - type: openstack', // no name, no auth_url, no auth
        '  - name: x',
        '    type: aws',
        '  - name: y',
        '    type: openstack',
        '    auth_url: https://k/v3',
        '    auth: { method: oidc }',
      ].join('\n'),
    );
    const error = (await loadProvidersFile(file).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('providers[0].name is required');
    expect(error.message).toContain('providers[0].auth_url is required');
    expect(error.message).toContain('providers[1].type must be openstack or simulator');
    expect(error.message).toContain('providers[2].auth: oidc needs identity_provider and protocol');
  });
});
