// Reads the user's deployments from the API, as the INFN dashboard does (reference §4):
// `GET /deployments?createdBy=me`, following `next` links. The token is only ever sent to the
// configured API origin: a link pointing elsewhere is re-rooted on it, never followed.

/** The members of a deployment the list page shows. */
export interface DeploymentSummary {
  uuid: string;
  status: string;
  statusReason?: string;
  task?: string;
  creationTime?: string;
  userGroup?: string;
  cloudProviderName?: string;
}

export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

const MAX_PAGES = 50;

export async function listMyDeployments(apiUrl: string, accessToken: string | null, timeoutMs: number): Promise<DeploymentSummary[]> {
  const base = new URL(`${apiUrl}/`);
  let next: URL | null = new URL('deployments?createdBy=me&size=100', base);
  const out: DeploymentSummary[] = [];
  for (let page = 0; next !== null && page < MAX_PAGES; page += 1) {
    const res: Response = await fetch(next, {
      headers: { accept: 'application/json', ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await res.json().catch(() => ({}))) as { content?: DeploymentSummary[]; links?: { rel: string; href: string }[]; message?: string };
    if (!res.ok) throw new ApiCallError(res.status, typeof body.message === 'string' ? body.message : `HTTP ${res.status}`);
    out.push(...(body.content ?? []));
    const href = body.links?.find((l) => l.rel === 'next')?.href;
    next = href ? reroot(href, base) : null;
  }
  return out;
}

function reroot(href: string, base: URL): URL {
  const link = new URL(href, base);
  const basePath = base.pathname.replace(/\/$/, '');
  const path = link.pathname.startsWith(`${basePath}/`) ? link.pathname.slice(basePath.length + 1) : link.pathname.replace(/^\/+/, '');
  return new URL(`${path}${link.search}`, base);
}
