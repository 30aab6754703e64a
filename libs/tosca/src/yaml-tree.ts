// YAML text -> plain JS values that remember where they came from (TOSCA 1.3 §3.1: a service
// template is a YAML 1.2 document). Every map and list carries a hidden META record with the
// offsets of its entries, so any later phase can point a diagnostic at file:line:column
// without keeping YAML nodes around (STYLE.md rule 9). Parsed trees are shared between
// compiles through the file cache, so nothing downstream may mutate them.
//
// The text goes through js-yaml's event parser (a flat list of events carrying source offsets)
// and is composed here in one pass with an explicit stack: no YAML node objects are built, which
// made npm `yaml`'s parseDocument about two thirds of a large compile, and nesting depth costs
// no call stack. Flow collections used as mapping keys (YAML 1.2 §7.4, a function call as a
// key in the TOSCA 1.3 tutorial) are kept as canonical JSON text plus the structured key.
import { EVENT_ID, getScalarValue, parseEvents, type Event, type ScalarEvent } from 'js-yaml';
import { diag, type DiagnosticBag } from './diagnostics';
import { LineTable, resolvePlain, resolveTagged } from './yaml-scalar';

/** A file as read: its name and the line table to turn offsets into positions. */
export interface SourceText {
  file: string;
  lines: LineTable;
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
  /** Keys that were collections (`{ concat: [a, b] }: v`): the JSON text key -> the key as written. */
  complexKeys?: Map<string, YValue>;
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
  /** Most nodes (scalars, maps, lists, aliases) in the document; absent = unbounded. */
  maxNodes?: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxAliasNodes: 100_000, maxDepth: 256, duplicateKeysLastWins: true };

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


/** A complex (collection) key as canonical JSON text, without position records. */
function keyText(v: YValue): string {
  return JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x)) : x));
}

interface Frame {
  value: YMap | YList;
  meta: Meta;
  size: number;
  isMap: boolean;
  anchor?: string;
  /** Maps: the key waiting for its value. */
  key?: string;
  keyOff: number;
}

/** Where a scalar starts: at its quote for quoted scalars, at the `|`/`>` header for block scalars. */
function scalarStart(text: string, e: ScalarEvent): number {
  if (e.valueStart < 0) return -1;
  if (e.style === 2 || e.style === 3) return e.valueStart - 1;
  if (e.style === 4 || e.style === 5) {
    // valueStart is the line after the header; the header is the last '|' or '>' before it.
    const lineStart = text.lastIndexOf('\n', e.valueStart - 2) + 1;
    const header = text.slice(lineStart, e.valueStart);
    const m = /[|>][-+0-9]*[ \t]*(?:#.*)?\r?\n?$/.exec(header);
    return m ? lineStart + m.index : e.valueStart;
  }
  return e.valueStart;
}

/** Parse one YAML document into a YValue with positions. Diagnostics go into `bag`. */
export function parseYaml(text: string, file: string, bag: DiagnosticBag, limits: ParseLimits = DEFAULT_LIMITS): YValue | undefined {
  const lines = new LineTable(text);
  const src: SourceText = { file, lines };
  const where = (off: number, path = '') => {
    const p = lines.linePos(Math.max(0, off));
    return { path, file, line: p.line, column: p.col };
  };
  let events: Event[];
  try {
    events = parseEvents(text, { filename: file, maxDepth: limits.maxDepth });
  } catch (error) {
    const e = error as { reason?: string; message?: string; mark?: { position?: number } };
    const off = e.mark?.position ?? 0;
    const detail = e.reason ?? (e.message ?? String(error)).split('\n')[0];
    if (/maxDepth/.test(detail)) bag.add(diag.yamlTooDeep(where(off), { limit: limits.maxDepth }));
    else bag.add(diag.yamlSyntax(where(off), { detail }));
    return undefined;
  }

  const anchors = new Map<string, { value: YValue; size: number }>();
  let aliasBudget = limits.maxAliasNodes;
  let documents = 0;
  let root: YValue | undefined;
  let rootSet = false;
  const stack: Frame[] = [];
  const paths: string[] = [''];

  // Attach a finished value (with its offset, source text and size) to the enclosing collection.
  const place = (value: YValue, off: number, size: number, rawText: string | undefined): void => {
    const top = stack[stack.length - 1];
    if (!top) {
      root = value;
      rootSet = true;
      return;
    }
    top.size += size;
    if (!top.isMap) {
      const list = top.value as YList;
      const index = list.length;
      list.push(value);
      top.meta.at.set(index, off < 0 ? top.meta.off : off);
      if (rawText !== undefined) (top.meta.raw ??= new Map()).set(index, rawText);
      return;
    }
    const obj = top.value as YMap;
    if (top.key === undefined) {
      // A key. Collections as keys keep their JSON text plus the structure.
      let key: string;
      if (value !== null && typeof value === 'object') {
        key = keyText(value);
        (top.meta.complexKeys ??= new Map()).set(key, value);
      } else key = String(value);
      const keyOff = off < 0 ? top.meta.off : off;
      if (Object.prototype.hasOwnProperty.call(obj, key)) {
        bag.add(diag.duplicateKey(where(keyOff, joinPath(paths[paths.length - 1], key)), { key, quirk: limits.duplicateKeysLastWins }));
      }
      top.key = key;
      top.keyOff = keyOff;
      return;
    }
    const key = top.key;
    obj[key] = value;
    top.meta.at.set(key, off < 0 ? top.keyOff : off);
    top.meta.keyAt!.set(key, top.keyOff);
    if (rawText !== undefined) (top.meta.raw ??= new Map()).set(key, rawText);
    top.key = undefined;
  };

  const childPath = (): string => {
    const top = stack[stack.length - 1];
    const base = paths[paths.length - 1];
    if (!top) return base;
    if (!top.isMap) return `${base}[${(top.value as YList).length}]`;
    return top.key === undefined ? base : joinPath(base, top.key);
  };

  let nodeBudget = limits.maxNodes ?? Number.POSITIVE_INFINITY;
  for (let i = 0; i < events.length; i += 1) {
    const e = events[i];
    if (e.type === EVENT_ID.SCALAR || e.type === EVENT_ID.ALIAS || e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) {
      nodeBudget -= 1;
      if (nodeBudget < 0) {
        bag.add(diag.yamlTooManyNodes(where(e.type === EVENT_ID.SCALAR ? e.valueStart : e.type === EVENT_ID.ALIAS ? e.anchorStart : e.start), { limit: limits.maxNodes ?? 0 }));
        return undefined;
      }
    }
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        documents += 1;
        if (documents > 1) {
          bag.add(diag.yamlMultipleDocuments(where(nextOffset(events, i))));
          return undefined;
        }
        break;
      case EVENT_ID.SCALAR: {
        const raw = getScalarValue(text, e);
        const tag = e.tagStart >= 0 ? text.slice(e.tagStart, e.tagEnd) : undefined;
        const plain = e.style === 1;
        const value = tag !== undefined ? resolveTagged(tag, raw, plain) : plain ? resolvePlain(raw) : raw;
        const rawText = plain && typeof value === 'number' && e.valueStart >= 0 ? text.slice(e.valueStart, e.valueEnd) : undefined;
        if (e.anchorStart >= 0) anchors.set(text.slice(e.anchorStart, e.anchorEnd), { value, size: 1 });
        place(value, scalarStart(text, e), 1, rawText);
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = text.slice(e.anchorStart, e.anchorEnd);
        const hit = anchors.get(name);
        if (!hit) {
          bag.add(diag.yamlSyntax(where(e.anchorStart), { detail: `unknown alias *${name}` }));
          return undefined;
        }
        aliasBudget -= hit.size;
        if (aliasBudget < 0) {
          bag.add(diag.yamlAliasLimit(where(e.anchorStart), { limit: limits.maxAliasNodes }));
          return undefined;
        }
        place(hit.value, e.anchorStart - 1, hit.size, undefined);
        break;
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const isMap = e.type === EVENT_ID.MAPPING;
        const meta: Meta = isMap ? { src, off: e.start, at: new Map(), keyAt: new Map() } : { src, off: e.start, at: new Map() };
        const value: YMap | YList = isMap ? {} : [];
        value[META] = meta;
        const frame: Frame = { value, meta, size: 1, isMap, keyOff: e.start };
        if (e.anchorStart >= 0) frame.anchor = text.slice(e.anchorStart, e.anchorEnd);
        paths.push(childPath());
        stack.push(frame);
        break;
      }
      case EVENT_ID.POP: {
        const frame = stack.pop();
        if (!frame) break; // end of the document
        paths.pop();
        if (frame.anchor !== undefined) anchors.set(frame.anchor, { value: frame.value, size: frame.size });
        place(frame.value, frame.meta.off, frame.size, undefined);
        break;
      }
    }
  }
  return rootSet ? root : null;
}

function joinPath(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

/** Offset of the first node after event `i` (for a diagnostic about a document start). */
function nextOffset(events: Event[], i: number): number {
  for (let k = i + 1; k < events.length; k += 1) {
    const e = events[k];
    if (e.type === EVENT_ID.SCALAR && e.valueStart >= 0) return e.valueStart;
    if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) return e.start;
  }
  return 0;
}
