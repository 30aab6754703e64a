// Reading a TOSCA file from disk (or text) into a parsed tree, with a cache shared across
// compiles keyed by path + mtime + size: the 100 KB INDIGO custom_types.yaml is parsed once
// per process, not once per template (tosca-parser re-reads it every time: INDEX.md §6.3).
import { statSync, readFileSync } from 'node:fs';
import { diag, DiagnosticBag } from './diagnostics';
import type { Diagnostic } from './model';
import { parseYaml, type ParseLimits, type YValue } from './yaml-tree';

export interface ParsedFile {
  value: YValue | undefined;
  /** Diagnostics found while reading and parsing; replayed on every compile that uses the file. */
  diagnostics: Diagnostic[];
}

interface CacheEntry {
  mtimeMs: number;
  size: number;
  limitsKey: string;
  parsed: ParsedFile;
}

const cache = new Map<string, CacheEntry>();
const MAX_CACHE_ENTRIES = 512;

const at = (file: string) => ({ path: '', file, line: 1, column: 1 });

/** Index of the first byte that breaks UTF-8, or -1 when the buffer is valid UTF-8. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0 || i + need >= buf.length) return i;
    for (let k = 1; k <= need; k += 1) if ((buf[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

/** Decode bytes as UTF-8 (BOM dropped), reporting file_not_utf8 on a bad sequence. */
export function decodeUtf8(buf: Uint8Array, file: string, bag: DiagnosticBag): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    bag.add(diag.fileNotUtf8(at(file), { file, offset: Math.max(0, firstInvalidUtf8(buf)) }));
    return undefined;
  }
}

/** Parse text that is already in memory (an uploaded template); not cached. */
export function parseText(text: string, file: string, limits: ParseLimits, maxBytes: number): ParsedFile {
  const bag = new DiagnosticBag();
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) {
    bag.add(diag.fileTooLarge(at(file), { file, size, limit: maxBytes }));
    return { value: undefined, diagnostics: bag.items };
  }
  return { value: parseYaml(text, file, bag, limits), diagnostics: bag.items };
}

/** Bytes fetched from elsewhere (a URL): size-checked, decoded and parsed. */
export function parseBytes(buf: Uint8Array, file: string, limits: ParseLimits, maxBytes: number): ParsedFile {
  const bag = new DiagnosticBag();
  if (buf.length > maxBytes) {
    bag.add(diag.fileTooLarge(at(file), { file, size: buf.length, limit: maxBytes }));
    return { value: undefined, diagnostics: bag.items };
  }
  const text = decodeUtf8(buf, file, bag);
  return { value: text === undefined ? undefined : parseYaml(text, file, bag, limits), diagnostics: bag.items };
}

/** True when `path` was read before (cheap existence hint; readParsedFile still re-validates it). */
export function isCachedFile(path: string): boolean {
  return cache.has(path);
}

/** Read and parse a local file, reusing the cached tree while mtime and size are unchanged. */
export function readParsedFile(path: string, display: string, limits: ParseLimits, maxBytes: number): ParsedFile | undefined {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st || !st.isFile()) return undefined;
  const limitsKey = `${limits.maxAliasNodes}/${limits.maxDepth}/${limits.duplicateKeysLastWins}/${limits.maxNodes ?? ''}/${maxBytes}/${display}`;
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size && hit.limitsKey === limitsKey) return hit.parsed;
  let parsed: ParsedFile;
  if (st.size > maxBytes) {
    const bag = new DiagnosticBag();
    bag.add(diag.fileTooLarge(at(display), { file: display, size: st.size, limit: maxBytes }));
    parsed = { value: undefined, diagnostics: bag.items };
  } else {
    parsed = parseBytes(readFileSync(path), display, limits, maxBytes);
  }
  if (cache.size >= MAX_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, limitsKey, parsed });
  return parsed;
}
