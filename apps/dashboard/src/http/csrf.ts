// The CSRF check of every POST: the form's `_csrf` field must equal the session's token. The
// session cookie is SameSite=Lax already; the token also covers browsers without SameSite and
// same-site pages (another app on the same host) that Lax lets through.
import { timingSafeEqual } from 'node:crypto';

export const CSRF_FIELD = '_csrf';

export function csrfMatches(expected: string | undefined, body: unknown): boolean {
  const given = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[CSRF_FIELD] : undefined;
  if (expected === undefined || typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
