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

  listMine(token: string | null): Promise<DeploymentSummary[]> {
    return this.allPages<DeploymentSummary>('deployments?createdBy=me&size=100', token);
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

  async create(template: string, parameters: Record<string, unknown>, token: string | null): Promise<DeploymentSummary> {
    return (await this.call('POST', 'deployments', token, { template, parameters })).json() as Promise<DeploymentSummary>;
  }

  async delete(id: string, token: string | null): Promise<void> {
    await (await this.call('DELETE', `deployments/${encodeURIComponent(id)}`, token)).arrayBuffer();
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
