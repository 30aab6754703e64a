// Primitive and special types (TOSCA 1.3 §3.3.1 primitives via YAML 1.2, §3.3.2 version,
// §3.3.3 range, §3.3.6 scalar-unit, §3.3.1 timestamp per YAML 1.1 timestamp grammar).
// Pure value checks; the caller reports diagnostics.

export const SCALAR_UNITS: Record<string, Record<string, number>> = {
  'scalar-unit.size': { B: 1, kB: 1e3, KiB: 1024, MB: 1e6, MiB: 1024 ** 2, GB: 1e9, GiB: 1024 ** 3, TB: 1e12, TiB: 1024 ** 4 },
  'scalar-unit.time': { d: 86400, h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 },
  'scalar-unit.frequency': { Hz: 1, kHz: 1e3, MHz: 1e6, GHz: 1e9 },
  'scalar-unit.bitrate': {
    bps: 1, Kbps: 1e3, Kibps: 1024, Mbps: 1e6, Mibps: 1024 ** 2, Gbps: 1e9, Gibps: 1024 ** 3, Tbps: 1e12, Tibps: 1024 ** 4,
    Bps: 8, KBps: 8e3, KiBps: 8 * 1024, MBps: 8e6, MiBps: 8 * 1024 ** 2, GBps: 8e9, GiBps: 8 * 1024 ** 3, TBps: 8e12, TiBps: 8 * 1024 ** 4,
  },
};

export const PRIMITIVE_TYPES = new Set([
  // `password` is not TOSCA's: it is a string that is secret (an input the orchestrator stores
  // sealed and never shows), as the INDIGO orchestrator's callers declare secrets.
  'string', 'password', 'integer', 'float', 'boolean', 'timestamp', 'null', 'version', 'range', 'list', 'map',
  ...Object.keys(SCALAR_UNITS),
]);

// §3.3.6.4: size, time and frequency units are case-insensitive; bitrate is not (b vs B).
const FOLDED: Record<string, Map<string, number>> = Object.fromEntries(
  Object.entries(SCALAR_UNITS).map(([kind, units]) => [
    kind,
    new Map(Object.entries(units).map(([u, f]) => [kind === 'scalar-unit.bitrate' ? u : u.toLowerCase(), f])),
  ]),
);

const SCALAR = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]+)\s*$/;

/** The value of a scalar-unit string in the base unit (bytes, seconds, Hz, bit/s), or undefined. */
export function parseScalarUnit(kind: string, value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = SCALAR.exec(value);
  const table = FOLDED[kind];
  if (!m || !table) return undefined;
  const factor = table.get(kind === 'scalar-unit.bitrate' ? m[2] : m[2].toLowerCase());
  return factor === undefined ? undefined : Number(m[1]) * factor;
}

const VERSION = /^(\d+)\.(\d+)(?:\.(\d+)(?:\.([A-Za-z0-9_]+)(?:-(\d+))?)?)?$/;

/** §3.3.2: major.minor[.fix[.qualifier[-build]]] -> comparable tuple, or undefined. */
export function parseVersion(text: string): Array<number | string> | undefined {
  const m = VERSION.exec(text);
  if (!m) return /^\d+$/.test(text) ? [Number(text), 0, 0, '', 0] : undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), m[4] ?? '', Number(m[5] ?? 0)];
}

const TIMESTAMP =
  /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?$/;

export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || !TIMESTAMP.test(value)) return undefined;
  // Date.parse wants ISO 8601: a `T`, a 2-digit zone hour with minutes (YAML 1.1 allows `+2`).
  const iso = value
    .replace(/[ \t]+(?=\d{1,2}:)/, 'T')
    .replace(/[ \t]+(?=[Z+-])/, '')
    .replace(/([-+])(\d{1,2})(?::(\d{2}))?$/, (_m, sign: string, h: string, min: string | undefined) => (value.includes(':') ? `${sign}${h.padStart(2, '0')}:${min ?? '00'}` : _m));
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

export type PrimitiveCheck = { ok: true; value: unknown } | { ok: false; scalar?: boolean };

const YAML11_TRUE = new Set(['true', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'y', 'Y']);
const YAML11_FALSE = new Set(['false', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'n', 'N']);

/** A YAML 1.1 boolean spelling, for the yaml11Booleans quirk. */
export function yaml11Boolean(value: unknown): boolean | undefined {
  if (typeof value !== 'string') return undefined;
  if (YAML11_TRUE.has(value)) return true;
  if (YAML11_FALSE.has(value)) return false;
  return undefined;
}

/**
 * Check `value` against a primitive type. `raw` is the YAML source text of a plain number,
 * which keeps `18.0` exact for versions and strings.
 */
export function checkPrimitive(type: string, value: unknown, raw: string | undefined): PrimitiveCheck {
  switch (type) {
    case 'string':
    case 'password':
      return typeof value === 'string' ? { ok: true, value } : { ok: false };
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? { ok: true, value } : { ok: false };
    case 'float':
      // An integer is a valid float (INDEX.md §0): YAML 1.2 core `1` is an int, TOSCA wants a number.
      return typeof value === 'number' && Number.isFinite(value) ? { ok: true, value } : { ok: false };
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false };
    case 'null':
      return value === null ? { ok: true, value } : { ok: false };
    case 'timestamp':
      return parseTimestamp(value) !== undefined ? { ok: true, value } : { ok: false };
    case 'version': {
      const text = typeof value === 'number' ? (raw ?? String(value)) : value;
      return typeof text === 'string' && parseVersion(text) ? { ok: true, value: text } : { ok: false };
    }
    case 'range': {
      if (!Array.isArray(value) || value.length !== 2) return { ok: false };
      const [lo, hi] = value;
      if (!Number.isInteger(lo)) return { ok: false };
      if (hi === 'UNBOUNDED') return { ok: true, value };
      return Number.isInteger(hi) && (lo as number) <= (hi as number) ? { ok: true, value } : { ok: false };
    }
    case 'list':
      return Array.isArray(value) ? { ok: true, value } : { ok: false };
    case 'map':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ok: true, value } : { ok: false };
    default:
      if (type in SCALAR_UNITS) return parseScalarUnit(type, value) !== undefined ? { ok: true, value } : { ok: false, scalar: true };
      return { ok: false };
  }
}

/** A value mapped to something `<` can compare, for constraint operators. */
export function comparable(type: string, value: unknown): number | string | Array<number | string> | undefined {
  if (type in SCALAR_UNITS) return parseScalarUnit(type, value);
  if (type === 'version') return typeof value === 'string' ? parseVersion(value) : typeof value === 'number' ? parseVersion(String(value)) : undefined;
  if (type === 'timestamp') return parseTimestamp(value);
  if (typeof value === 'number' || typeof value === 'string') return value;
  return undefined;
}

/** Compare two comparables: negative, zero, positive. */
export function compare(a: number | string | Array<number | string>, b: number | string | Array<number | string>): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      const c = compare(a[i] ?? 0, b[i] ?? 0);
      if (c !== 0) return c;
    }
    return 0;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
