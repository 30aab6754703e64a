// Opt-in fetch of an import URL that the offline catalog does not know (TOSCA 1.3 §3.6.8
// allows URL imports). Bounded on every side: allow-list, size limit, time-out, and a
// process-wide cache so one URL is fetched once.
import type { FetchOptions } from './options';

export type FetchOutcome =
  | { ok: true; body: Uint8Array }
  | { ok: false; kind: 'not_allowed' | 'timeout' | 'failed' | 'too_large'; reason: string; size?: number };

const cache = new Map<string, Uint8Array>();

export const DEFAULT_FETCH_MAX_BYTES = 4 * 1024 * 1024;
export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;

/** Fetch `url` under the limits of `options`; never throws. */
export async function fetchImport(url: string, options: FetchOptions): Promise<FetchOutcome> {
  if (!options.allow.some((prefix) => url.startsWith(prefix))) return { ok: false, kind: 'not_allowed', reason: 'not allowed' };
  const cached = cache.get(url);
  if (cached) return { ok: true, body: cached };
  const maxBytes = options.maxBytes ?? DEFAULT_FETCH_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: 'error' });
    if (!response.ok) return { ok: false, kind: 'failed', reason: `HTTP ${response.status}` };
    // A declared length over the limit is refused unread; an undeclared one is counted as it comes.
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > maxBytes) {
      await response.body?.cancel();
      return { ok: false, kind: 'too_large', reason: 'too large', size: declared };
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body?.getReader();
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await reader.cancel();
        return { ok: false, kind: 'too_large', reason: 'too large', size };
      }
      chunks.push(value);
    }
    const body = Buffer.concat(chunks);
    cache.set(url, body);
    return { ok: true, body };
  } catch (error) {
    if (controller.signal.aborted) return { ok: false, kind: 'timeout', reason: 'time-out' };
    return { ok: false, kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
