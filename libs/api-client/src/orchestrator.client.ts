// A typed client of baton's REST API (the INDIGO orchestrator's, so it talks to either), for the
// command line, the dashboard and the end-to-end tests. Its paths, parameters and bodies are
// the types openapi-typescript generates from the committed `apps/api/openapi.json`, so a
// change of the API that a client does not follow fails the type check.
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './openapi.types';

export type DeploymentView = components['schemas']['DeploymentDto'];
export type DeploymentRequest = components['schemas']['DeploymentRequestDto'];
export type DeploymentEventView = components['schemas']['DeploymentEventDto'];
export type ResourceView = components['schemas']['ResourceDto'];
export type DiagnosticView = components['schemas']['DiagnosticDto'];
export type TemplateValidation = components['schemas']['TemplateValidationDto'];

/** The API said no (or could not be reached): `status` 0 when no answer came. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    /** The compiler's findings, when a template was at fault. */
    readonly diagnostics: DiagnosticView[] = [],
  ) {
    super(message);
  }
}

interface PageOf<T> {
  content?: T[];
  links?: Array<{ rel: string; href: string }>;
}

export class OrchestratorClient {
  private readonly api: Client<paths>;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string | null,
  ) {
    this.api = createClient<paths>({
      baseUrl: baseUrl.replace(/\/+$/, ''),
      headers: { Accept: 'application/json, text/plain', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      fetch: (request) => this.send(request),
    });
  }

  async create(request: DeploymentRequest): Promise<DeploymentView> {
    return this.ok(await this.api.POST('/deployments', { body: request }), 'POST /deployments');
  }

  /** PUT answers 202 with no body; the caller reads the deployment afterwards. */
  async update(id: string, request: DeploymentRequest): Promise<void> {
    this.ok(await this.api.PUT('/deployments/{id}', { params: { path: { id } }, body: request, parseAs: 'text' }), `PUT /deployments/${id}`);
  }

  async get(id: string): Promise<DeploymentView> {
    return this.ok(await this.api.GET('/deployments/{id}', { params: { path: { id } } }), `GET /deployments/${id}`);
  }

  /** The caller's deployments, every page (following the `next` links as the dashboard does). */
  async listMine(): Promise<DeploymentView[]> {
    const all: DeploymentView[] = [];
    let page = 0;
    for (;;) {
      const body = this.ok(
        await this.api.GET('/deployments', { params: { query: { createdBy: 'me', page: String(page), size: '100' } } }),
        'GET /deployments',
      ) as PageOf<DeploymentView>;
      all.push(...(body.content ?? []));
      if (!body.links?.some((l) => l.rel === 'next')) return all;
      page += 1;
    }
  }

  async delete(id: string, force: boolean): Promise<void> {
    this.ok(await this.api.DELETE('/deployments/{id}', { params: { path: { id }, query: force ? { force: 'true' } : {} }, parseAs: 'text' }), `DELETE /deployments/${id}`);
  }

  async log(id: string): Promise<string> {
    return this.ok(await this.api.GET('/deployments/{id}/log', { params: { path: { id } }, parseAs: 'text' }), `GET /deployments/${id}/log`) as string;
  }

  async resources(id: string): Promise<ResourceView[]> {
    const body = this.ok(await this.api.GET('/deployments/{id}/resources', { params: { path: { id }, query: { size: '1000' } } }), `GET /deployments/${id}/resources`);
    return ((body as PageOf<ResourceView>).content ?? []) as ResourceView[];
  }

  async validate(template: string, parameters: Record<string, unknown> = {}): Promise<TemplateValidation> {
    const answer = await this.api.POST('/templates/validate', { body: { template, parameters } });
    // 400 carries the verdict too: every diagnostic of a template with errors.
    if (answer.response.status === 400 && answer.error && typeof answer.error === 'object' && 'valid' in answer.error) return answer.error as TemplateValidation;
    return this.ok(answer, 'POST /templates/validate');
  }

  /**
   * The deployment's server-sent events (`status`, `resource`, `outputs`, `log`, `deleted`), one
   * call per event, until `onEvent` returns `'stop'`, the stream ends or `signal` aborts.
   */
  async followEvents(id: string, onEvent: (event: DeploymentEventView) => 'stop' | void, signal?: AbortSignal): Promise<void> {
    const stop = new AbortController();
    signal?.addEventListener('abort', () => stop.abort(), { once: true });
    const answer = await this.api.GET('/deployments/{id}/events', { params: { path: { id } }, parseAs: 'stream', signal: stop.signal });
    const body = this.ok(answer, `GET /deployments/${id}/events`) as ReadableStream<Uint8Array> | null;
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of body ?? []) {
        buffered += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const data = dataOf(buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
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

  /** fetch, with "did not answer" as an ApiError of status 0. */
  private async send(request: Request): Promise<Response> {
    try {
      return await fetch(request);
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, `${this.baseUrl} did not answer: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`);
    }
  }

  /** The body of a 2xx answer; any other answer becomes an ApiError with the API's own message. */
  private ok<T>(answer: { data?: T; error?: unknown; response: Response }, what: string): NonNullable<T> {
    if (answer.response.ok) return answer.data as NonNullable<T>;
    throw errorOf(answer.response.status, answer.error, what);
  }
}

function dataOf(frame: string): string {
  return frame
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trimStart())
    .join('\n');
}

/** The orchestrator's error body `{code, title, message, diagnostics?}`, or a proxy's page as it is. */
function errorOf(status: number, body: unknown, what: string): ApiError {
  if (body && typeof body === 'object') {
    const parsed = body as { message?: string; title?: string; diagnostics?: DiagnosticView[] };
    const diagnostics = parsed.diagnostics ?? [];
    const message = diagnostics.length
      ? ['the template has errors:', ...diagnostics.map((d) => `  ${d.file ?? 'template'}:${d.line ?? '?'}:${d.column ?? '?'} ${d.severity ?? 'error'}[${d.code}] ${d.message}${d.path ? ` (at ${d.path})` : ''}`)].join('\n')
      : (parsed.message ?? parsed.title ?? '');
    return new ApiError(status, `${what}: ${status} ${message}`.trim(), diagnostics);
  }
  return new ApiError(status, `${what}: ${status} ${typeof body === 'string' ? body : ''}`.trim());
}
