// The command-line client's view of the REST API (the INDIGO orchestrator's, so it talks to
// either): one method per call it makes, errors carrying the API's own message.

/** The API said no (or could not be reached): `status` 0 when no answer came. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface DeploymentView {
  uuid: string;
  status: string;
  statusReason?: string;
  task?: string;
  creationTime?: string;
  updateTime?: string;
  outputs?: Record<string, unknown>;
  cloudProviderName?: string;
}

/** One server-sent event of GET /deployments/{id}/events. */
export interface DeploymentEventView {
  kind: 'status' | 'resource' | 'outputs' | 'log' | 'deleted';
  deploymentId: string;
  at: string;
  status?: string;
  statusReason?: string;
  text?: string;
}

export interface DeploymentRequest {
  template: string;
  parameters: Record<string, unknown>;
  callback?: string;
  maxProvidersRetry?: number;
  keepLastAttempt?: boolean;
  timeoutMins?: number;
  providerTimeoutMins?: number;
  userGroup?: string;
}

/** One compiler finding, as the API reports a template's errors (400). */
interface Diagnostic {
  code: string;
  message: string;
  severity?: string;
  path?: string;
  file?: string;
  line?: number;
  column?: number;
}

interface PageOf<T> {
  content?: T[];
  links?: Array<{ rel: string; href: string }>;
}

export class OrchestratorClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | null,
  ) {}

  create(request: DeploymentRequest): Promise<DeploymentView> {
    return this.json('POST', '/deployments', request);
  }

  /** PUT answers 202 with no body; the caller reads the deployment afterwards. */
  async update(id: string, request: DeploymentRequest): Promise<void> {
    await this.call('PUT', `/deployments/${encodeURIComponent(id)}`, request);
  }

  get(id: string): Promise<DeploymentView> {
    return this.json('GET', `/deployments/${encodeURIComponent(id)}`);
  }

  /** The caller's deployments, every page (following the `next` links as the dashboard does). */
  async listMine(): Promise<DeploymentView[]> {
    const all: DeploymentView[] = [];
    let path: string | undefined = '/deployments?createdBy=me&page=0&size=100';
    while (path) {
      const page: PageOf<DeploymentView> = await this.json('GET', path);
      all.push(...(page.content ?? []));
      const next = page.links?.find((l) => l.rel === 'next')?.href;
      // The token goes only where it was meant to: a link to another origin is not followed.
      path = next && new URL(next).origin === new URL(this.baseUrl).origin ? next : undefined;
    }
    return all;
  }

  async delete(id: string, force: boolean): Promise<void> {
    await this.call('DELETE', `/deployments/${encodeURIComponent(id)}${force ? '?force=true' : ''}`);
  }

  async log(id: string): Promise<string> {
    return (await this.call('GET', `/deployments/${encodeURIComponent(id)}/log`)).text();
  }

  /**
   * The deployment's server-sent events (`status`, `resource`, `outputs`, `log`, `deleted`), one
   * call per event, until `onEvent` returns `'stop'`, the stream ends or `signal` aborts.
   */
  async followEvents(id: string, onEvent: (event: DeploymentEventView) => 'stop' | void, signal?: AbortSignal): Promise<void> {
    const stop = new AbortController();
    signal?.addEventListener('abort', () => stop.abort(), { once: true });
    const res = await this.call('GET', `/deployments/${encodeURIComponent(id)}/events`, undefined, stop.signal);
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of res.body ?? []) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const frame = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = frame
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trimStart())
            .join('\n');
          if (!data) continue; // the retry hint and keep-alive comments
          if (onEvent(JSON.parse(data) as DeploymentEventView) === 'stop') {
            stop.abort();
            return;
          }
        }
      }
    } catch (error) {
      if (!stop.signal.aborted) throw error;
    }
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.call(method, path, body)).json()) as T;
  }

  /** `path` is relative to the base URL, or a whole URL (the API's own `next` links). */
  private async call(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json, text/plain' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(/^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), ...(signal ? { signal } : {}) });
    } catch (error) {
      throw new ApiError(0, `${this.baseUrl} did not answer: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`);
    }
    if (res.ok) return res;
    const text = await res.text();
    let message = text;
    try {
      const parsed = JSON.parse(text) as { message?: string; title?: string; diagnostics?: Diagnostic[] };
      message = parsed.diagnostics?.length
        ? ['the template has errors:', ...parsed.diagnostics.map((d) => `  ${d.file ?? 'template'}:${d.line ?? '?'}:${d.column ?? '?'} ${d.severity ?? 'error'}[${d.code}] ${d.message}${d.path ? ` (at ${d.path})` : ''}`)].join('\n')
        : (parsed.message ?? parsed.title ?? text);
    } catch {
      // Not the orchestrator's JSON error body (a proxy's page): keep the text as it is.
    }
    throw new ApiError(res.status, `${method} ${path}: ${res.status} ${message}`.trim());
  }
}
