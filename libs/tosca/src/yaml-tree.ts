// YAML text -> plain JS values that remember where they came from (TOSCA 1.3 §3.1: a service
// template is a YAML 1.2 document). Every map and list carries a hidden META record with the
// offsets of its entries, so any later phase can point a diagnostic at file:line:column
// without keeping YAML nodes around (STYLE.md rule 9). Parsed trees are shared between
// compiles through the file cache, so nothing downstream may mutate them.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { diag, type DiagnosticBag } from './diagnostics';

/** A file as read: its name and the line table to turn offsets into positions. */
export interface SourceText {
  file: string;
  lines: LineCounter;
}

export interface Meta {
  src: SourceText;
  /** Offset of the map or list itself. */
  off: number;
  /** Offset of each entry's value (maps: by key; lists: by index). */
  at: Map<string | number, number>;
  /** Offset of each map key (for unknown-field diagnostics). */
  keyAt?: Map<string, number>;
  /** Source text of plain numeric scalars, e.g. `18.0` for a version (quirk-free exactness). */
  raw?: Map<string | number, string>;
}

export const META: unique symbol = Symbol('tosca.yaml.meta');

export type YValue = null | boolean | number | string | YMap | YList;
export interface YMap {
  [key: string]: YValue;
  [META]?: Meta;
}
export type YList = YValue[] & { [META]?: Meta };

export interface ParseLimits {
  /** Nodes that aliases may expand to, in total (YAML "billion laughs" guard). */
  maxAliasNodes: number;
  /** Deepest nesting of maps and lists accepted. */
  maxDepth: number;
  /** Quirk duplicate-keys-last-wins: accept duplicate keys (the last wins) with a warning. */
  duplicateKeysLastWins: boolean;
}

export const DEFAULT_LIMITS: ParseLimits = { maxAliasNodes: 100_000, maxDepth: 256, duplicateKeysLastWins: true };

class LimitError extends Error {
  constructor(readonly kind: 'alias' | 'depth', readonly off: number) {
    super(kind);
  }
}

export function isYMap(v: unknown): v is YMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Position of `key` inside `container` (or of the container itself) as file/line/column. */
export function positionOf(container: unknown, key?: string | number): { file: string; line: number; column: number } | undefined {
  if (typeof container !== 'object' || container === null) return undefined;
  const meta = (container as YMap)[META];
  if (!meta) return undefined;
  const off = key === undefined ? meta.off : (meta.at.get(key) ?? meta.off);
  const pos = meta.src.lines.linePos(off);
  return { file: meta.src.file, line: pos.line, column: pos.col };
}

/** Position of a map key itself (not its value). */
export function keyPositionOf(container: unknown, key: string): { file: string; line: number; column: number } | undefined {
  const meta = isYMap(container) ? container[META] : undefined;
  const off = meta?.keyAt?.get(key);
  if (!meta || off === undefined) return positionOf(container, key);
  const pos = meta.src.lines.linePos(off);
  return { file: meta.src.file, line: pos.line, column: pos.col };
}

/** The source text of a plain numeric scalar entry, e.g. "18.0", when the YAML had one. */
export function rawTextOf(container: unknown, key: string | number): string | undefined {
  if (typeof container !== 'object' || container === null) return undefined;
  return (container as YMap)[META]?.raw?.get(key);
}

/** Parse one YAML document into a YValue with positions. Diagnostics go into `bag`. */
export function parseYaml(text: string, file: string, bag: DiagnosticBag, limits: ParseLimits = DEFAULT_LIMITS): YValue | undefined {
  const lines = new LineCounter();
  const src: SourceText = { file, lines };
  const where = (off: number, path = '') => {
    const p = lines.linePos(off);
    return { path, file, line: p.line, column: p.col };
  };
  let doc;
  try {
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
  } catch (error) {
    // yaml throws (rather than reports) on a few pathological inputs, e.g. stack exhaustion.
    bag.add(diag.yamlSyntax({ path: '', file, line: 1, column: 1 }, { detail: error instanceof Error ? error.message : String(error) }));
    return undefined;
  }
  if (doc.errors.length > 0) {
    for (const e of doc.errors.slice(0, 20)) {
      const msg = e.message.split('\n')[0] ?? e.message;
      if (e.code === 'MULTIPLE_DOCS') bag.add(diag.yamlMultipleDocuments(where(e.pos[0])));
      else bag.add(diag.yamlSyntax(where(e.pos[0]), { detail: msg }));
    }
    return undefined;
  }
  const memo = new Map<YamlNode, { value: YValue; size: number }>();
  let aliasBudget = limits.maxAliasNodes;

  const convert = (node: unknown, depth: number, path: string): { value: YValue; size: number } => {
    if (depth > limits.maxDepth) throw new LimitError('depth', (node as { range?: number[] })?.range?.[0] ?? 0);
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) return { value: null, size: 1 };
      const hit = memo.get(target) ?? convert(target, depth, path);
      aliasBudget -= hit.size;
      if (aliasBudget < 0) throw new LimitError('alias', node.range?.[0] ?? 0);
      return hit;
    }
    let out: { value: YValue; size: number };
    if (isMap(node)) {
      const obj: YMap = {};
      const meta: Meta = { src, off: node.range?.[0] ?? 0, at: new Map(), keyAt: new Map() };
      let size = 1;
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : keyNode === null ? '' : String(keyNode.toJSON());
        const keyOff = keyNode?.range?.[0] ?? meta.off;
        if (Object.prototype.hasOwnProperty.call(obj, key)) {
          bag.add(diag.duplicateKey(where(keyOff, path ? `${path}.${key}` : key), { key, quirk: limits.duplicateKeysLastWins }));
        }
        const valueNode = pair.value as YamlNode | null;
        const child = valueNode === null ? { value: null, size: 1 } : convert(valueNode, depth + 1, path ? `${path}.${key}` : key);
        obj[key] = child.value;
        size += child.size;
        meta.at.set(key, valueNode?.range?.[0] ?? keyOff);
        meta.keyAt!.set(key, keyOff);
        if (isScalar(valueNode) && typeof valueNode.value === 'number' && valueNode.source !== undefined) {
          (meta.raw ??= new Map()).set(key, valueNode.source);
        }
      }
      obj[META] = meta;
      out = { value: obj, size };
    } else if (isSeq(node)) {
      const list: YList = [];
      const meta: Meta = { src, off: node.range?.[0] ?? 0, at: new Map() };
      let size = 1;
      node.items.forEach((item, index) => {
        const child = convert(item, depth + 1, `${path}[${index}]`);
        list.push(child.value);
        size += child.size;
        meta.at.set(index, (item as YamlNode | null)?.range?.[0] ?? meta.off);
        if (isScalar(item) && typeof item.value === 'number' && item.source !== undefined) (meta.raw ??= new Map()).set(index, item.source);
      });
      list[META] = meta;
      out = { value: list, size };
    } else if (isScalar(node)) {
      const v = node.value;
      out = { value: typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : (v as YValue), size: 1 };
    } else {
      out = { value: null, size: 1 };
    }
    if ((node as { anchor?: string }).anchor) memo.set(node as YamlNode, out);
    return out;
  };

  try {
    return convert(doc.contents, 0, '').value;
  } catch (error) {
    if (error instanceof LimitError) {
      if (error.kind === 'alias') bag.add(diag.yamlAliasLimit(where(error.off), { limit: limits.maxAliasNodes }));
      else bag.add(diag.yamlTooDeep(where(error.off), { limit: limits.maxDepth }));
      return undefined;
    }
    if (error instanceof RangeError) {
      bag.add(diag.yamlTooDeep(where(0), { limit: limits.maxDepth }));
      return undefined;
    }
    throw error;
  }
}
