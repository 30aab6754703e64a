// The baton API as the dashboard uses it, over HTTP with the user's access token, as the INFN
// dashboard does (reference §1, §4). The token is only ever sent to the configured API origin: a
// `next` link pointing elsewhere is re-rooted on it, never followed. Errors keep the API's status,
// message and, for a refused template, its diagnostics.
import type { ApiDiagnostic } from './catalogue/deploy-submission';

/** The members of a deployment the pages show (reference §1.3). */
export interface DeploymentSummary {
  uuid: string;
  status: string;
  statusReason?: string;
  task?: string;
  creationTime?: string;
  updateTime?: string;
  userGroup?: string;
  cloudProviderName?: string;
  outputs?: Record<string, unknown>;
}

/** The members of a resource the deployment page shows (reference §1.4). */
export interface ResourceSummary {
  uuid: string;
  state: string;
  toscaNodeType: string;
  toscaNodeName: string;
  physicalId?: string;
  creationTime?: string;
  /** `VirtualMachineInfo`: JSON text of `{"vmProperties":[...]}` (addresses, flavor, image). */
  metadata?: { VirtualMachineInfo?: string };
}

/** What the list shows: the deployments of `createdBy=me` (or all, for an admin), of one group or all. */
export interface ListFilter {
  all?: boolean;
  userGroup?: string;
}

/** The options of a deployment request beyond template and parameters (reference §1.3). */
export interface CreateOptions {
  userGroup?: string;
  timeoutMins?: number;
  keepLastAttempt?: boolean;
  maxProvidersRetry?: number;
}

export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly diagnostics: ApiDiagnostic[] = [],
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

interface Page<T> {
  content?: T[];
  links?: { rel: string; href: string }[];
}

const MAX_PAGES = 50;

export class DeploymentsClient {
  private readonly base: URL;

  constructor(
    apiUrl: string,
    private readonly timeoutMs: number,
  ) {
    this.base = new URL(`${apiUrl.replace(/\/+$/, '')}/`);
  }

  list(token: string | null, filter: ListFilter = {}): Promise<DeploymentSummary[]> {
    const query = new URLSearchParams();
    if (!filter.all) query.set('createdBy', 'me');
    if (filter.userGroup) query.set('userGroup', filter.userGroup);
    query.set('size', '100');
    return this.allPages<DeploymentSummary>(`deployments?${query.toString()}`, token);
  }

  async template(id: string, token: string | null): Promise<string> {
    return (await this.call('GET', `deployments/${encodeURIComponent(id)}/template`, token)).text();
  }

  /** PUT: a new template and the inputs that change (the API keeps the others). */
  async update(id: string, template: string, parameters: Record<string, unknown>, token: string | null): Promise<void> {
    await (await this.call('PUT', `deployments/${encodeURIComponent(id)}`, token, { template, parameters })).arrayBuffer();
  }

  /** PATCH: a deletion stuck in DELETE_IN_PROGRESS becomes DELETE_FAILED (then deletable again). */
  async reset(id: string, token: string | null): Promise<void> {
    await (await this.call('PATCH', `deployments/${encodeURIComponent(id)}`, token, { status: 'DELETE_FAILED' })).arrayBuffer();
  }

  async resourceAction(id: string, resourceId: string, type: 'start' | 'stop', token: string | null): Promise<void> {
    const path = `deployments/${encodeURIComponent(id)}/resources/${encodeURIComponent(resourceId)}/actions`;
    await (await this.call('POST', path, token, { type })).arrayBuffer();
  }

  /** The API's server-sent events of a deployment, as a stream to pass on; aborted with `signal`. */
  async events(id: string, token: string | null, signal: AbortSignal, lastEventId?: string): Promise<ReadableStream<Uint8Array>> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (lastEventId) headers['last-event-id'] = lastEventId;
    const res = await fetch(new URL(`deployments/${encodeURIComponent(id)}/events`, this.base), { headers, signal });
    if (!res.ok || !res.body) {
      await res.arrayBuffer().catch(() => undefined);
      throw new ApiCallError(res.status, `HTTP ${res.status}`);
    }
    return res.body;
  }

  async get(id: string, token: string | null): Promise<DeploymentSummary> {
    return (await this.call('GET', `deployments/${encodeURIComponent(id)}`, token)).json() as Promise<DeploymentSummary>;
  }

  resources(id: string, token: string | null): Promise<ResourceSummary[]> {
    return this.allPages<ResourceSummary>(`deployments/${encodeURIComponent(id)}/resources?size=100`, token);
  }

  async log(id: string, token: string | null): Promise<string> {
    return (await this.call('GET', `deployments/${encodeURIComponent(id)}/log`, token)).text();
  }

  async create(template: string, parameters: Record<string, unknown>, token: string | null, options: CreateOptions = {}): Promise<DeploymentSummary> {
    return (await this.call('POST', 'deployments', token, { template, parameters, ...options })).json() as Promise<DeploymentSummary>;
  }

  async delete(id: string, token: string | null, force = false): Promise<void> {
    await (await this.call('DELETE', `deployments/${encodeURIComponent(id)}${force ? '?force=true' : ''}`, token)).arrayBuffer();
  }

  private async allPages<T>(first: string, token: string | null): Promise<T[]> {
    let next: URL | null = new URL(first, this.base);
    const out: T[] = [];
    for (let page = 0; next !== null && page < MAX_PAGES; page += 1) {
      const body = (await (await this.call('GET', next, token)).json()) as Page<T>;
      out.push(...(body.content ?? []));
      const href = body.links?.find((l) => l.rel === 'next')?.href;
      next = href ? this.reroot(href) : null;
    }
    return out;
  }

  private async call(method: string, target: string | URL, token: string | null, json?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(typeof target === 'string' ? new URL(target, this.base) : target, {
      method,
      headers,
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (res.ok) return res;
    const body = (await res.json().catch(() => ({}))) as { message?: unknown; diagnostics?: unknown };
    const message = typeof body.message === 'string' ? body.message : `HTTP ${res.status}`;
    throw new ApiCallError(res.status, message, Array.isArray(body.diagnostics) ? (body.diagnostics as ApiDiagnostic[]) : []);
  }

  private reroot(href: string): URL {
    const link = new URL(href, this.base);
    const basePath = this.base.pathname.replace(/\/$/, '');
    const path = link.pathname.startsWith(`${basePath}/`) ? link.pathname.slice(basePath.length + 1) : link.pathname.replace(/^\/+/, '');
    return new URL(`${path}${link.search}`, this.base);
  }
}
