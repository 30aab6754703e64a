// Issue 8, finding 3: a template sent to the service reads no file of the server beyond the
// catalogue and the types folder, and its diagnostics say nothing of a file it did not send.
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from './compile';
import { isCachedFile } from './source-files';

const HEAD = 'tosca_definitions_version: tosca_simple_yaml_1_0\n';
const uploaded = (imports: string[]) => compileTemplate({ text: `${HEAD}imports:\n${imports.map((i) => `  - ${JSON.stringify(i)}\n`).join('')}topology_template: {}\n`, file: 'template.yaml' }, { imports: 'catalogue' });

describe('imports of an uploaded template', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tosca-policy-'));
  const secret = join(dir, 'server-secret.yaml');
  writeFileSync(secret, 'db_password: hunter2\nsealing_key: abc\n');

  it('refuses absolute, file:, escaping and encoded paths with one message that echoes nothing of the file', async () => {
    const spellings = [secret, `file://${secret}`, `file://localhost${secret}`, `${dir}//./server-secret.yaml`, `../../../../../../..${secret}`, 'file:///etc/shadow', '/etc/shadow', '/etc/no-such-file'];
    const messages = new Set<string>();
    for (const s of spellings) {
      const r = await uploaded([s]);
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => d.code), s).toEqual(['import_outside_catalogue']);
      expect(JSON.stringify(r.diagnostics)).not.toMatch(/hunter2|db_password|sealing_key|root:/);
      messages.add(errors[0].message.replace(JSON.stringify(s), 'NAME'));
    }
    // No existence oracle: an existing and a missing file answer in the same words.
    expect(messages.size).toBe(1);
    expect(isCachedFile(secret)).toBe(false);
  });

  it('turns a URL that names no usable local path into a diagnostic, not an exception', async () => {
    for (const s of ['file://host/etc/shadow', 'file:///etc%2fshadow']) {
      const r = await uploaded([s]);
      expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), s).toEqual(['import_invalid']);
    }
  });

  it('keeps an encoded ../ from walking out of a catalogued folder', async () => {
    const r = await uploaded(['https://example.com/custom_types/..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fshadow']);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['import_remote_disabled']);
  });

  it('follows no symlink out of the types folder', async () => {
    const types = mkdtempSync(join(tmpdir(), 'tosca-types-'));
    symlinkSync(secret, join(types, 'link.yaml'));
    const r = await compileTemplate({ text: `${HEAD}imports: [${JSON.stringify(join(types, 'link.yaml'))}]\n`, file: 'template.yaml' }, { imports: 'catalogue', typesDir: types, noImplicitImports: true });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['import_outside_catalogue']);
  });

  it('still imports the catalogue', async () => {
    const r = await uploaded(['https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml']);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('lets the command line import its own files (local-files, the default)', async () => {
    const r = await compileTemplate({ text: `${HEAD}imports: [${JSON.stringify(secret)}]\n`, file: 'template.yaml' });
    expect(r.diagnostics.map((d) => d.code)).toContain('unknown_field');
  });

  it('reads 600 spellings of one absolute import as one file', async () => {
    const target = join(dir, 'types.yaml');
    writeFileSync(target, `${HEAD}node_types: {}\n`);
    const spellings = Array.from({ length: 600 }, (_, i) => `${dir}${'/.'.repeat(i % 30)}${'//'.repeat(i >= 300 ? 1 : 0)}/sub${i}/../types.yaml`);
    const r = await compileTemplate({ text: `${HEAD}imports:\n${spellings.map((s) => `  - ${JSON.stringify(s)}\n`).join('')}`, file: 'template.yaml' });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(isCachedFile(target)).toBe(true);
    expect(spellings.filter((s) => s !== target && isCachedFile(s))).toEqual([]);
  });
});
