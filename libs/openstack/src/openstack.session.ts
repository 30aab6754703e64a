// The one place an OpenStack API call is made: token, endpoint, headers, time-out, retries with
// back-off and jitter (idempotent calls only), one token renewal on 401, and error mapping.
import type { OpenStackAuth } from './auth.types';
import { type EndpointInterface, selectEndpoint, type ServiceType, versionedBase } from './catalog';
import { parseRetryAfter, toHttpError } from './error-mapping';
import { OpenStackAbortedError, OpenStackError, OpenStackInvalidResponseError } from './errors';
import { type HttpResponse, type HttpTransport, NodeHttpTransport } from './http.transport';
import { header, type KeystoneToken, requestIdOf } from './keystone-auth';
import { DEFAULT_RETRY_POLICY, isIdempotentMethod, nextRetryDelay, type RetryPolicy } from './retry-policy';
import { TokenManager } from './token-manager';

/** One line of the client's log: never a header, body, token or query string. */
export interface OpenStackLogEvent {
  event: 'response' | 'retry' | 'token_renewed';
  service: string;
  method: string;
  path: string;
  status?: number;
  requestId?: string;
  attempt: number;
  durationMs?: number;
  delayMs?: number;
  errorCode?: string;
}

export interface OpenStackClientOptions {
  /** Keystone v3 URL, e.g. `http://127.0.0.1:5000/v3`. */
  authUrl: string;
  auth: OpenStackAuth;
  region?: string;
  interface?: EndpointInterface;
  /** Nova microversion sent on every compute call (default `2.1`). */
  computeMicroversion?: string;
  /** Time-out of one HTTP attempt, in ms (default 30 s). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  logger?: (event: OpenStackLogEvent) => void;
  /** Replaces catalog endpoints (e.g. when the catalog's URLs are not reachable from here). */
  endpointOverrides?: Partial<Record<ServiceType, string>>;
  transport?: HttpTransport;
  /** Injected for deterministic tests. */
  random?: () => number;
}

/** Per-call options: every public method of the client takes these. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Time-out of one HTTP attempt, in ms (overrides the client's default). */
  timeoutMs?: number;
}

export interface RequestOptions extends CallOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | readonly string[]>;
  headers?: Record<string, string>;
  /** Defaults to the method's idempotency; POST actions that are safe to repeat say true. */
  idempotent?: boolean;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  requestId?: string;
  headers: HttpResponse['headers'];
}

export class OpenStackSession {
  readonly tokens: TokenManager;
  readonly transport: HttpTransport;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly bases = new WeakMap<KeystoneToken, Map<ServiceType, string>>();
  /** Attempts made, per service, for tests and metrics (retries included). */
  readonly attempts: Record<string, number> = {};

  constructor(readonly options: OpenStackClientOptions) {
    this.transport = options.transport ?? new NodeHttpTransport();
    this.tokens = new TokenManager(this.transport, options.authUrl, options.auth);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The current token's project id (logs in if needed). */
  async projectId(options: CallOptions = {}): Promise<string> {
    return (await this.tokens.get(options.signal, options.timeoutMs ?? this.timeoutMs)).projectId;
  }

  /** The current token (logs in if needed). Its `value` is a secret: do not log it. */
  token(options: CallOptions = {}): Promise<KeystoneToken> {
    return this.tokens.get(options.signal, options.timeoutMs ?? this.timeoutMs);
  }

  async request<T>(service: ServiceType, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const idempotent = options.idempotent ?? isIdempotentMethod(method);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const query = encodeQuery(options.query);
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      let failure: unknown;
      try {
        const token = await this.tokens.get(options.signal, timeoutMs);
        const response = await this.transport.send({
          method,
          url: new URL(this.base(token, service) + path + query),
          headers: this.headers(service, token, options.headers, body !== undefined),
          body,
          signal: options.signal,
          timeoutMs,
          label: { service, path },
        });
        this.attempts[service] = (this.attempts[service] ?? 0) + 1;
        const requestId = requestIdOf(response);
        this.log({ event: 'response', service, method, path, status: response.status, requestId, attempt, durationMs: performance.now() - started });
        if (response.status === 401 && !renewed) {
          // The token was revoked or expired early: log in again, once, and repeat the call.
          renewed = true;
          this.tokens.invalidate(token);
          this.log({ event: 'token_renewed', service, method, path, attempt });
          attempt--;
          continue;
        }
        if (response.status < 400) return { status: response.status, body: parseBody<T>(response, service, method, path), requestId, headers: response.headers };
        failure = toHttpError(
          { status: response.status, method, service, path, requestId, retryAfterSeconds: parseRetryAfter(header(response, 'retry-after')) },
          response.body,
          header(response, 'content-type'),
        );
      } catch (error) {
        failure = error;
      }
      const delay = nextRetryDelay(this.policy, attempt, failure, idempotent, this.options.random);
      if (delay === undefined) throw failure;
      this.log({ event: 'retry', service, method, path, attempt, delayMs: delay, errorCode: failure instanceof OpenStackError ? failure.code : undefined });
      await sleep(delay, options.signal, `${service} ${method} ${path}`);
    }
  }

  /** The versioned base URL of a service, from the catalog (or an override). */
  async endpoint(service: ServiceType, options: CallOptions = {}): Promise<string> {
    return this.base(await this.token(options), service);
  }

  close(): void {
    this.transport.close();
  }

  private base(token: KeystoneToken, service: ServiceType): string {
    let perToken = this.bases.get(token);
    if (!perToken) this.bases.set(token, (perToken = new Map()));
    let base = perToken.get(service);
    if (base === undefined) {
      const url =
        this.options.endpointOverrides?.[service] ??
        selectEndpoint(token.catalog, service, { region: this.options.region, interface: this.options.interface });
      base = versionedBase(service, url, token.projectId);
      perToken.set(service, base);
    }
    return base;
  }

  private headers(service: ServiceType, token: KeystoneToken, extra: Record<string, string> | undefined, hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', 'x-auth-token': token.value, 'user-agent': 'baton-openstack/0.1' };
    if (hasBody) headers['content-type'] = 'application/json';
    if (service === 'compute') {
      const version = this.options.computeMicroversion ?? '2.1';
      headers['openstack-api-version'] = `compute ${version}`;
      headers['x-openstack-nova-api-version'] = version;
    }
    return extra ? { ...headers, ...extra } : headers;
  }

  private log(event: OpenStackLogEvent): void {
    this.options.logger?.(event);
  }
}

function parseBody<T>(response: HttpResponse, service: string, method: string, path: string): T {
  if (response.status === 204 || response.body === '') return undefined as T;
  try {
    return JSON.parse(response.body) as T;
  } catch {
    throw new OpenStackInvalidResponseError(`${service} ${method} ${path}`, `HTTP ${response.status} body is not JSON`);
  }
}

function encodeQuery(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value as readonly string[]) params.append(key, v);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Waits, unless the signal fires first. */
export function sleep(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  if (signal?.aborted) return Promise.reject(new OpenStackAbortedError(what, signal.reason));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new OpenStackAbortedError(what, signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
