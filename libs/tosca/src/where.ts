// Turning a place in a parsed tree into a diagnostic location (file, line, column, path).
import type { Where } from './diagnostics';
import { keyPositionOf, positionOf } from './yaml-tree';

/**
 * Location of `key` in `container` (or of the container), labelled with `path`.
 * `onKey` points at the key instead of the value (for unknown fields). `fallbackFile` is used
 * when the value carries no position (synthesised values).
 */
export function here(container: unknown, key: string | number | undefined, path: string, fallbackFile = '', onKey = false, rule?: string): Where {
  const pos = onKey && typeof key === 'string' ? keyPositionOf(container, key) : positionOf(container, key);
  const w: Where = pos ? { path, ...pos } : { path, file: fallbackFile, line: 0, column: 0 };
  if (rule !== undefined) w.rule = rule;
  return w;
}

/** Join template path segments: `a.b`, with list indexes as `[i]`. */
export function join(path: string, seg: string | number): string {
  if (typeof seg === 'number') return `${path}[${seg}]`;
  return path === '' ? seg : `${path}.${seg}`;
}
