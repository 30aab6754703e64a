// Reads raw environment variables into typed values, collecting every problem instead of
// stopping at the first: loadConfig() throws one ConfigError listing them all (STYLE.md rule 19).
import { isIP } from 'node:net';
import type { ConfigIssue, } from './errors';
import type { ListenAddress } from './config.types';

/** Variables whose value is never echoed, not even in part. */
const SECRET_VARIABLES = new Set(['BATON_SECRET_KEY', 'BATON_OIDC_CLIENT_SECRET']);

export class EnvReader {
  readonly issues: ConfigIssue[] = [];

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  /** The trimmed value, or undefined when unset or blank (blank counts as unset). */
  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  fail(variable: string, expected: string, reason: string): void {
    this.issues.push({ variable, value: printable(variable, this.env[variable]), expected, reason });
  }

  listen(name: string, fallback: string): ListenAddress {
    const value = this.raw(name) ?? fallback;
    const parsed = parseListen(value);
    if (typeof parsed === 'string') {
      this.fail(name, 'host:port, e.g. 127.0.0.1:8080 or [::1]:8080', parsed);
      return { host: '127.0.0.1', port: 0, loopback: true };
    }
    return parsed;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.fail(name, `an integer from ${min} to ${max}`, 'not an integer in range');
      return fallback;
    }
    return n;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase();
    const hit = allowed.find((a) => a === lower);
    if (!hit) this.fail(name, `one of ${allowed.join(', ')}`, 'unknown value');
    return hit ?? fallback;
  }

  /** An absolute URL whose scheme is one of `schemes`; null when unset. */
  url(name: string, schemes: readonly string[], expected: string): URL | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    return this.parseUrl(name, value, schemes, expected);
  }

  parseUrl(name: string, value: string, schemes: readonly string[], expected: string): URL | null {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      this.fail(name, expected, 'not an absolute URL');
      return null;
    }
    if (!schemes.includes(url.protocol.slice(0, -1))) {
      this.fail(name, expected, `scheme ${url.protocol.slice(0, -1)} is not one of ${schemes.join(', ')}`);
      return null;
    }
    return url;
  }

  /** Comma-separated list, blanks dropped. */
  list(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  }
}

/** Parses `host:port`, `[v6]:port`; returns a reason string when it is not one. */
export function parseListen(value: string): ListenAddress | string {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  if (!match) return 'not host:port';
  const host = (match[1] ?? match[2]).toLowerCase();
  const port = Number(match[3]);
  if (port > 65535) return `port ${port} is above 65535`;
  if (match[1] !== undefined && isIP(host) !== 6) return `${host} is not an IPv6 address`;
  if (match[2] !== undefined && isIP(host) === 0 && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host)) {
    return `${host} is not a host name or address`;
  }
  return { host, port, loopback: isLoopbackHost(host) };
}

/** 127.0.0.0/8, ::1 (and its IPv4-mapped forms) and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** The value as it may appear in an error: secrets as their length only, URL passwords masked. */
function printable(variable: string, value: string | undefined): string {
  if (value === undefined) return '<unset>';
  if (SECRET_VARIABLES.has(variable)) return `<secret, ${value.length} chars>`;
  const masked = value.replace(/(\/\/[^:/@\s]*:)[^@/\s]*@/, '$1****@');
  const shown = masked.length > 120 ? `${masked.slice(0, 117)}...` : masked;
  return JSON.stringify(shown);
}
