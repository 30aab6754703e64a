import { describe, expect, it } from 'vitest';
import { checkPrimitive, compare, comparable, parseScalarUnit, parseTimestamp, parseVersion, PRIMITIVE_TYPES } from './primitive-types';

describe('primitive types (TOSCA 1.3 §3.3)', () => {
  it('takes `password` (baton’s secret string) as a string and nothing else', () => {
    expect(PRIMITIVE_TYPES.has('password')).toBe(true);
    expect(checkPrimitive('password', 's3cret', undefined)).toEqual({ ok: true, value: 's3cret' });
    expect(checkPrimitive('password', 4711, undefined).ok).toBe(false);
  });

  it('reads scalar units in their base unit, size/time/frequency case-insensitively, bitrate exactly', () => {
    expect(parseScalarUnit('scalar-unit.size', '4 GB')).toBe(4e9);
    expect(parseScalarUnit('scalar-unit.size', '4096MiB')).toBe(4096 * 1024 ** 2);
    expect(parseScalarUnit('scalar-unit.size', '1 gb')).toBe(1e9);
    expect(parseScalarUnit('scalar-unit.time', '1.5 h')).toBe(5400);
    expect(parseScalarUnit('scalar-unit.frequency', '2 GHz')).toBe(2e9);
    expect(parseScalarUnit('scalar-unit.bitrate', '1 Mbps')).toBe(1e6);
    expect(parseScalarUnit('scalar-unit.bitrate', '1 MBps')).toBe(8e6);
    expect(parseScalarUnit('scalar-unit.bitrate', '1 mbps')).toBeUndefined();
    expect(parseScalarUnit('scalar-unit.size', 10)).toBeUndefined();
    expect(parseScalarUnit('scalar-unit.size', '10 parsecs')).toBeUndefined();
  });

  it('keeps version source text exact and compares versions by parts', () => {
    expect(checkPrimitive('version', 18, '18.0')).toEqual({ ok: true, value: '18.0' });
    expect(parseVersion('1.2.3.beta-4')).toEqual([1, 2, 3, 'beta', 4]);
    expect(parseVersion('1.x')).toBeUndefined();
    expect(compare(comparable('version', '1.10')!, comparable('version', '1.9')!)).toBeGreaterThan(0);
  });

  it('accepts an integer as a float, not a float as an integer', () => {
    expect(checkPrimitive('float', 1, undefined).ok).toBe(true);
    expect(checkPrimitive('integer', 1.5, undefined).ok).toBe(false);
    expect(checkPrimitive('boolean', 'yes', undefined).ok).toBe(false);
    expect(checkPrimitive('string', 3, undefined).ok).toBe(false);
  });

  it('checks ranges and timestamps', () => {
    expect(checkPrimitive('range', [1, 'UNBOUNDED'], undefined).ok).toBe(true);
    expect(checkPrimitive('range', [5, 1], undefined).ok).toBe(false);
    expect(parseTimestamp('2001-12-14t21:59:43.10-05:00')).toBe(Date.parse('2001-12-15T02:59:43.100Z'));
    expect(parseTimestamp('2002-12-14')).toBe(Date.parse('2002-12-14'));
    // YAML 1.1 allows a one-digit zone hour without minutes (the TOSCA 1.3 tutorial writes `+2`).
    expect(parseTimestamp('1975-09-15 12:34:56.7 +2')).toBe(Date.parse('1975-09-15T10:34:56.700Z'));
    expect(parseTimestamp('yesterday')).toBeUndefined();
  });
});
