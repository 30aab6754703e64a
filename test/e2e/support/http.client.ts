// A tiny HTTP client for the e2e tests: real requests with fetch, the answer read once and kept
// as text and (when it parses) JSON, so assertions can look at both.
export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RequestOptions {
  /** Full header value, e.g. `bearer abc` (lower-case on purpose in the dashboard tests). */
  authorization?: string;
  headers?: Record<string, string>;
  /** A value is sent as JSON; a string is sent as is (set the content type in `headers`). */
  body?: unknown;
  /** Milliseconds before the request is aborted. */
  timeoutMs?: number;
}

export async function request(method: string, url: string, options: RequestOptions = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.authorization) headers.Authorization = options.authorization;
  let body: string | undefined;
  if (options.body !== undefined) {
    if (typeof options.body === 'string') body = options.body;
    else {
      body = JSON.stringify(options.body);
      headers['Content-Type'] ??= 'application/json';
    }
  }
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`; a throw from `probe` fails at once. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Every key path whose value is null, e.g. `["content[0].statusReason"]`: the reference omits nulls. */
export function nullPaths(value: unknown, path = ''): string[] {
  if (value === null) return [path || '(root)'];
  if (Array.isArray(value)) return value.flatMap((v, i) => nullPaths(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== undefined) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => nullPaths(v, path ? `${path}.${k}` : k));
  }
  return [];
}
