// The simulator's HTTP plumbing: a small router, the request context, and the response helpers
// that reproduce each service's headers and error body format.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type SimService = 'identity' | 'compute' | 'network' | 'image' | 'volume' | 'admin';

/** One incoming request, parsed. */
export interface SimRequest {
  method: string;
  service: SimService;
  /** Path below the service prefix and version, e.g. `/servers/abc`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  params: Record<string, string>;
  requestId: string;
  /** `http://host:port` as the client reached us, for links and the catalog. */
  origin: string;
}

/** What a handler answers. */
export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw text body (Glance's HTML errors); `body` is ignored when set. */
  text?: string;
  contentType?: string;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/** Method + path-pattern router (`/servers/:id/action`). */
export class SimRouter {
  private readonly routes: Route[] = [];

  on(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const pattern = new RegExp(
      '^' +
        path.replace(/[.]/g, '\\.').replace(/:([a-zA-Z_]+)/g, (_m, name: string) => {
          names.push(name);
          return '([^/]+)';
        }) +
        '/?$',
    );
    this.routes.push({ method, pattern, names, handler });
    return this;
  }

  /** The handler and path parameters, or 'method' when only the method is wrong, or undefined. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | 'method' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
      return { handler: route.handler, params };
    }
    return pathMatched ? 'method' : undefined;
  }
}

export function newRequestId(): string {
  return `req-${randomUUID()}`;
}

export function json(status: number, body?: unknown, headers?: Record<string, string>): SimResponse {
  return { status, body, headers };
}

/** An error thrown by a handler; the server renders it in the service's own error format. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Neutron's error type (NetworkNotFound...), Nova's fault key (itemNotFound...). */
    readonly kind?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

const NOVA_FAULT_KEYS: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  406: 'notAcceptable',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Renders an error the way the real service would. */
export function errorResponse(service: SimService, status: number, message: string, kind?: string, accept = ''): SimResponse {
  switch (service) {
    case 'compute':
    case 'volume': {
      const key = kind ?? NOVA_FAULT_KEYS[status] ?? 'computeFault';
      const inner: Record<string, unknown> = { code: status, message };
      if (status === 413 && service === 'volume') inner['retryAfter'] = '0';
      return { status, body: { [key]: inner }, contentType: 'application/json; charset=UTF-8' };
    }
    case 'network':
      return { status, body: { NeutronError: { type: kind ?? neutronType(status), message, detail: '' } } };
    case 'identity':
    case 'admin':
      return { status, body: { error: { code: status, message, title: REASONS[status] ?? 'Error' } } };
    case 'image': {
      // Glance answers errors with webob's error page: JSON when the client accepts it (the
      // message keeps webob's "<br /><br />" and blank lines), a small HTML page otherwise.
      if (accept.includes('application/json')) {
        return { status, body: { message: `${message}<br /><br />\n\n\n`, code: `${status} ${REASONS[status] ?? 'Error'}`, title: REASONS[status] ?? 'Error' } };
      }
      const title = `${status} ${REASONS[status] ?? 'Error'}`;
      const text = `<html>\n <head>\n  <title>${title}</title>\n </head>\n <body>\n  <h1>${title}</h1>\n  ${escapeHtml(message)}<br /><br />\n\n\n\n </body>\n</html>`;
      return { status, text, contentType: 'text/html; charset=UTF-8' };
    }
  }
}

function neutronType(status: number): string {
  if (status === 404) return 'HTTPNotFound';
  if (status === 409) return 'Conflict';
  if (status === 400) return 'HTTPBadRequest';
  return 'NeutronError';
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Writes a SimResponse with the service's usual headers. */
export function writeResponse(res: ServerResponse, req: SimRequest, out: SimResponse, extraHeaders: Record<string, string>): void {
  const headers: Record<string, string> = { ...extraHeaders, ...out.headers };
  let payload = '';
  if (out.text !== undefined) {
    payload = out.text;
    headers['Content-Type'] = out.contentType ?? 'text/plain; charset=UTF-8';
  } else if (out.body !== undefined) {
    payload = JSON.stringify(out.body);
    headers['Content-Type'] = out.contentType ?? 'application/json';
  } else if (req.service === 'compute' || req.service === 'volume') {
    headers['Content-Type'] = 'application/json';
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(out.status, headers);
  res.end(payload);
}

/** Reads a request's body as JSON (or undefined). Throws SimHttpError 400 on bad JSON. */
export async function readJsonBody(req: IncomingMessage, limit = 4 * 1024 * 1024): Promise<{ raw: Buffer; json: unknown }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new SimHttpError(413, 'Request is too large.');
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0 || !type.includes('json')) return { raw, json: undefined };
  try {
    return { raw, json: JSON.parse(raw.toString('utf8')) };
  } catch {
    throw new SimHttpError(400, 'Malformed request body');
  }
}

/** Reads a string member of an object body, or undefined. */
export function str(obj: unknown, key: string): string | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const v = (obj as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

export function obj(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function nowIso(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
