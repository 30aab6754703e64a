// CSAR (TOSCA 1.3 §4): the entry definitions of TOSCA.meta, or the single root YAML, compiled
// with relative imports resolved inside the archive; broken archives get csar_invalid.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from './compile';
import { readCsar } from './csar';

/** A minimal zip writer (deflate, no CRC check needed by our reader: CRC written as 0). */
function zip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const raw = Buffer.from(text);
    const data = deflateRawSync(raw);
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const MAIN = `tosca_definitions_version: tosca_simple_yaml_1_2
imports: [ level1.yaml ]
topology_template:
  node_templates:
    vnf: { type: company.VNF, properties: { flavour: small } }
`;
const LEVEL1 = `tosca_definitions_version: tosca_simple_yaml_1_2
imports: [ ../Types/level2.yaml ]
`;
const LEVEL2 = `tosca_definitions_version: tosca_simple_yaml_1_2
node_types:
  company.VNF:
    derived_from: tosca.nodes.Root
    properties: { flavour: { type: string } }
`;

function write(name: string, body: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tosca-csar-')), name);
  writeFileSync(file, body);
  return file;
}

describe('CSAR', () => {
  it('compiles the Entry-Definitions of TOSCA.meta, imports resolved inside the archive', async () => {
    const file = write(
      'vnf.csar',
      zip({
        'TOSCA-Metadata/TOSCA.meta': 'TOSCA-Meta-File-Version: 1.0\nCSAR-Version: 1.1\nCreated-By: test\nEntry-Definitions: Definitions/main.yaml\n',
        'Definitions/main.yaml': MAIN,
        'Definitions/level1.yaml': LEVEL1,
        'Types/level2.yaml': LEVEL2,
      }),
    );
    const r = await compileTemplate({ file });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.topology!.nodes.vnf.properties).toEqual({ flavour: 'small' });
  });

  it('takes the single root YAML without TOSCA.meta, and points diagnostics into the archive', async () => {
    const file = write('vnf.zip', zip({ 'main.yaml': MAIN.replace('small', '{ get_input: nope }').replace('level1', 'defs/level1'), 'defs/level1.yaml': LEVEL1.replace('../Types/', ''), 'defs/level2.yaml': LEVEL2 }));
    const r = await compileTemplate({ file });
    expect(r.diagnostics.map((d) => `${d.code} ${d.file.endsWith('vnf.zip/main.yaml')} ${d.line}:${d.column}`)).toEqual(['unknown_input true 5:54']);
  });

  it('rejects what is not a usable archive', async () => {
    const limits = { maxEntries: 100, maxBytes: 1 << 20 };
    expect(readCsar(Buffer.from('not a zip at all, just some text'), limits)).toMatchObject({ ok: false, reason: expect.stringContaining('not a zip') });
    expect(readCsar(zip({ 'a.yaml': MAIN, 'b.yaml': MAIN }), limits)).toMatchObject({ ok: false, reason: expect.stringContaining('exactly one YAML') });
    expect(readCsar(zip({ 'TOSCA-Metadata/TOSCA.meta': 'Entry-Definitions: x.yaml\n' }), limits)).toMatchObject({ ok: false, reason: expect.stringContaining('not in the archive') });
    expect(readCsar(zip({ '../evil.yaml': MAIN }), limits)).toMatchObject({ ok: false, reason: expect.stringContaining('leaves the archive') });
    expect(readCsar(zip({ 'big.yaml': 'x'.repeat(5000) }), { maxEntries: 100, maxBytes: 1000 })).toMatchObject({ ok: false, reason: expect.stringContaining('inflates past') });
    const r = await compileTemplate({ file: write('bad.csar', Buffer.from('garbage')) });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['csar_invalid']);
  });
});
