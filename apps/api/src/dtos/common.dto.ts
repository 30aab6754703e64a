// Shapes shared by every resource of the INDIGO reference (§1.1): plain Spring-HATEOAS links with
// absolute hrefs, the minute-precision date format, and the base URL a link is built from.
import { ApiProperty } from '@nestjs/swagger';
import type { Request } from 'express';

/** One Spring-HATEOAS "plain" link (not HAL): `{"rel":"self","href":"http://h/deployments/ID"}`. */
export class LinkDto {
  @ApiProperty({ type: String, example: 'self' })
  rel!: string;

  @ApiProperty({ type: String, example: 'http://localhost:8080/deployments/11ed8ab3-6a40-968a-82b7-62f0862dbe46' })
  href!: string;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * `yyyy-MM-dd'T'HH:mmZ` in UTC, e.g. `2024-03-01T09:56+0000`: minute precision and an offset
 * without colon, because orchent slices the string by character position.
 */
export function formatInstant(at: Date): string {
  return (
    `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}` +
    `T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}+0000`
  );
}

/** Set on the request by the app when BATON_PUBLIC_URL fixes the external base URL. */
export const PUBLIC_URL = Symbol('publicUrl');

const firstOf = (value: string | string[] | undefined): string | undefined => {
  const raw = Array.isArray(value) ? value[0] : value;
  const first = raw?.split(',')[0]?.trim();
  return first ? first : undefined;
};

/**
 * The absolute service root as the client sees it, honouring X-Forwarded-Proto/-Host/-Port/-Prefix
 * like Spring HATEOAS's link builder does: the reference deploys behind a reverse-proxy path such
 * as `https://host/orchestrator`, and clients follow hrefs literally.
 */
export function serviceRoot(req: Request): string {
  const fixed = (req as unknown as Record<symbol, string | undefined>)[PUBLIC_URL];
  if (fixed) return fixed;
  const proto = firstOf(req.headers['x-forwarded-proto']) ?? req.protocol;
  let host = firstOf(req.headers['x-forwarded-host']) ?? req.headers.host ?? 'localhost';
  const port = firstOf(req.headers['x-forwarded-port']);
  if (port) {
    host = host.replace(/:\d+$/, '');
    const defaultPort = (proto === 'https' && port === '443') || (proto === 'http' && port === '80');
    if (!defaultPort) host = `${host}:${port}`;
  }
  const prefix = (firstOf(req.headers['x-forwarded-prefix']) ?? '').replace(/\/+$/, '');
  return `${proto}://${host}${prefix && !prefix.startsWith('/') ? `/${prefix}` : prefix}`;
}

/** `serviceRoot` + a path relative to the root (`/deployments/ID`). */
export function absolute(root: string, path: string): string {
  return `${root}${path}`;
}
