// The YAML reader (phase 1): core-schema values, positions of every entry, flow collections
// as mapping keys (YAML 1.2 §7.4), and the errors it reports with their positions.
import { describe, expect, it } from 'vitest';
import { DiagnosticBag } from './diagnostics';
import { keyPositionOf, META, parseYaml, positionOf, rawTextOf, type YMap } from './yaml-tree';

function parse(text: string): { value: unknown; bag: DiagnosticBag } {
  const bag = new DiagnosticBag();
  return { value: parseYaml(text, 't.yaml', bag), bag };
}

const at = (c: unknown, k?: string | number) => {
  const p = positionOf(c, k);
  return p ? `${p.line}:${p.column}` : undefined;
};

describe('parseYaml', () => {
  it('resolves scalars by the YAML 1.2 core schema and keeps numeric source text', () => {
    const { value, bag } = parse('a: 1\nb: 1.50\nc: yes\nd: ~\ne: "2"\nf: True\ng: 0x1f\nh: !!str 12\ni: .inf\nj:\n');
    expect(bag.items).toEqual([]);
    const { i, ...rest } = value as YMap;
    expect(JSON.parse(JSON.stringify(rest))).toEqual({ a: 1, b: 1.5, c: 'yes', d: null, e: '2', f: true, g: 31, h: '12', j: null });
    expect(i).toBe(Infinity);
    expect(rawTextOf(value, 'b')).toBe('1.50');
    expect(rawTextOf(value, 'e')).toBeUndefined();
  });

  it('points at every value, key and list item (quotes and block headers included)', () => {
    const { value } = parse('top:\n  s: "quoted"\n  b: |-\n    text\n  l:\n    - x\n    - { k: v }\n');
    const top = (value as YMap).top as YMap;
    expect([at(value, 'top'), at(top, 's'), at(top, 'b'), at(top, 'l')]).toEqual(['2:3', '2:6', '3:6', '6:5']);
    expect(keyPositionOf(top, 'b')).toEqual({ file: 't.yaml', line: 3, column: 3 });
    expect([at(top.l, 0), at(top.l, 1)]).toEqual(['6:7', '7:7']);
    expect(top.b).toBe('text');
  });

  it('keeps a flow mapping used as a key as JSON text plus the key as written', () => {
    const { value, bag } = parse('m:\n  plain: 1\n  { concat: [ a, b ] }: 2\n');
    expect(bag.items).toEqual([]);
    const m = (value as YMap).m as YMap;
    expect(Object.keys(m)).toEqual(['plain', '{"concat":["a","b"]}']);
    expect(JSON.stringify(m[META]?.complexKeys?.get('{"concat":["a","b"]}'))).toBe('{"concat":["a","b"]}');
    expect(at(m, '{"concat":["a","b"]}')).toBe('3:25');
  });

  it('shares anchored values with their aliases', () => {
    const { value } = parse('a: &x { k: [1, 2] }\nb: *x\n');
    expect((value as YMap).b).toBe((value as YMap).a);
  });

  it('reports syntax errors, duplicate keys and several documents with their positions', () => {
    const codes = (text: string) => parse(text).bag.items.map((d) => `${d.code} ${d.line}:${d.column}`);
    expect(codes('a: [\nb')).toEqual(['yaml_syntax 2:1']);
    expect(codes('a: 1\nb: 2\na: 3\n')).toEqual(['duplicate_key 3:1']);
    expect(codes('a: 1\n---\nb: 2\n')).toEqual(['yaml_multiple_documents 3:1']);
    expect(codes('a: *nope\n')).toEqual(['yaml_syntax 1:5']);
  });
});
