import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT_USAGE } from './exit-codes';
import { parseTemplateArgs } from './template-args';

const USAGE = 'usage: baton x FILE\n';

describe('parseTemplateArgs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('overlays --input pairs on the inputs file and reads the command’s own flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-args-'));
    const inputsFile = join(dir, 'inputs.yaml');
    writeFileSync(inputsFile, 'count: 2\nsite: from-file\n');
    const args = parseTemplateArgs('x', USAGE, ['t.yaml', '--inputs-file', inputsFile, '--input', 'site=a=b', '--strict'], ['strict', 'require-inputs']);
    expect(args).toEqual({ file: 't.yaml', inputs: { count: 2, site: 'a=b' }, json: false, flags: { strict: true, 'require-inputs': false } });
  });

  it.each([[[]], [['a.yaml', 'b.yaml']], [['a.yaml', '--bogus']], [['a.yaml', '--input', 'novalue']], [['a.yaml', '--input', '=x']]])('answers EX_USAGE to %j', (argv) => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(parseTemplateArgs('x', USAGE, argv)).toBe(EXIT_USAGE);
    expect(stderr).toHaveBeenCalled();
  });

  it('refuses an inputs file that is not a map', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-args-'));
    const inputsFile = join(dir, 'inputs.yaml');
    writeFileSync(inputsFile, '- a\n- b\n');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(parseTemplateArgs('x', USAGE, ['t.yaml', '--inputs-file', inputsFile])).toBe(EXIT_USAGE);
    expect(String(stderr.mock.calls[0]?.[0])).toContain('holds a map');
  });
});
