// Fidelity probe: sends the same raw requests to the simulator and to the real control plane of
// ../shared/openstack-sim, and prints every difference in status, key headers, body shape
// (member names and JSON types, recursively) and error messages (ids masked).
// Run: npx tsx libs/openstack/test/fidelity/compare.ts   (needs up.sh to have run); the suite
// `npm run test:openstack-real` asserts there is no difference (fidelity.real-spec.ts).
// The findings are recorded in libs/openstack/SIMULATOR-FIDELITY.md.
import { startCloudSimulator } from '../../src/index';
import { PROBES, type Probe, type ProbeVars } from './probes';

interface Cloud {
  name: string;
  authUrl: string;
  username: string;
  password: string;
  project: string;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const HEADERS = ['x-openstack-request-id', 'x-compute-request-id', 'openstack-api-version', 'x-openstack-nova-api-version', 'x-subject-token', 'location', 'content-type', 'vary'];

async function login(cloud: Cloud): Promise<{ token: string; endpoints: Record<string, string>; projectId: string; userId: string; answer: Answer }> {
  const res = await fetch(`${cloud.authUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: cloud.username, domain: { name: 'Default' }, password: cloud.password } } },
        scope: { project: { name: cloud.project, domain: { name: 'Default' } } },
      },
    }),
  });
  const body = (await res.json()) as { token: { project: { id: string }; user: { id: string }; catalog: { type: string; endpoints: { interface: string; url: string }[] }[] } };
  const endpoints: Record<string, string> = {};
  for (const entry of body.token.catalog) endpoints[entry.type] = entry.endpoints.find((e) => e.interface === 'public')!.url.replace(/\/$/, '');
  return { token: res.headers.get('x-subject-token')!, endpoints, projectId: body.token.project.id, userId: body.token.user.id, answer: { status: res.status, headers: pick(res.headers), body } };
}

function pick(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of HEADERS) {
    const v = headers.get(h);
    if (v !== null) out[h] = v;
  }
  return out;
}

function base(endpoints: Record<string, string>, service: Probe['service']): string {
  switch (service) {
    case 'identity':
      return endpoints['identity'];
    case 'compute':
      return endpoints['compute'];
    case 'network':
      return `${endpoints['network']}/v2.0`;
    case 'image':
      return `${endpoints['image']}/v2`;
    case 'compute-root':
      return endpoints['compute'].replace(/\/v2\.1$/, '');
    case 'network-root':
      return endpoints['network'];
    case 'image-root':
      return endpoints['image'];
  }
}

async function run(cloud: Cloud, log: (line: string) => void): Promise<Map<string, Answer>> {
  const session = await login(cloud);
  const answers = new Map<string, Answer>([['keystone POST /auth/tokens', session.answer]]);
  const vars: ProbeVars = { projectId: session.projectId, userId: session.userId };
  for (const probe of PROBES) {
    if (probe.wait) {
      for (let i = 0; i < 120; i++) {
        const done = await probe.wait(async (path) => {
          const r = await fetch(base(session.endpoints, probe.service) + path(vars), { headers: { 'x-auth-token': session.token, accept: 'application/json' } });
          return { status: r.status, body: r.status === 200 ? await r.json() : undefined };
        }, vars);
        if (done) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      continue;
    }
    const headers: Record<string, string> = { 'x-auth-token': session.token, accept: 'application/json', ...probe.headers };
    if (probe.body) headers['content-type'] = 'application/json';
    const res = await fetch(base(session.endpoints, probe.service) + probe.path(vars), {
      method: probe.method,
      headers,
      body: probe.body ? JSON.stringify(probe.body(vars)) : undefined,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : '';
    } catch {
      // keep the text
    }
    answers.set(probe.name, { status: res.status, headers: pick(res.headers), body });
    probe.save?.(body, vars);
    log(`${cloud.name}: ${probe.name} → ${res.status}`);
  }
  return answers;
}

type Shape = string | { [key: string]: Shape } | Shape[];

function shape(value: unknown): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, shape(v)]));
  return typeof value;
}

function diffShape(a: Shape, b: Shape, path: string, out: string[]): void {
  if (typeof a === 'string' || typeof b === 'string') {
    if (JSON.stringify(a) !== JSON.stringify(b) && !(a === 'null' || b === 'null')) out.push(`${path}: sim ${JSON.stringify(a).slice(0, 60)} vs real ${JSON.stringify(b).slice(0, 60)}`);
    return;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length && b.length) diffShape(a[0], b[0], `${path}[]`, out);
    } else out.push(`${path}: array vs object`);
    return;
  }
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!(k in a)) out.push(`${path}.${k}: only in real`);
    else if (!(k in b)) out.push(`${path}.${k}: only in sim`);
    else diffShape(a[k], b[k], `${path}.${k}`, out);
  }
}

function mask(text: string): string {
  return text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}|req-[0-9a-f-]{36}/g, '<id>');
}

function messageOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() ? mask(body.replace(/\s+/g, ' ').trim()) : undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  for (const v of Object.values(body)) if (typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)['message'] === 'string') return mask(String((v as Record<string, unknown>)['message']));
  const m = (body as Record<string, unknown>)['message'];
  return typeof m === 'string' ? mask(m) : undefined;
}

/** Each probe that answered differently on the simulator and on the real services, with how. */
export interface FidelityReport {
  probes: number;
  differences: Array<{ probe: string; lines: string[] }>;
}

/** Runs every probe against a fresh simulator and the real control plane, and compares them. */
export async function compareWithRealServices(log: (line: string) => void = () => undefined): Promise<FidelityReport> {
  const sim = await startCloudSimulator({ bootTimeMs: 1500, password: 'ossim-admin' });
  try {
    const simCloud: Cloud = { name: 'sim', authUrl: sim.authUrl, username: 'admin', password: 'ossim-admin', project: 'admin' };
    const realCloud: Cloud = { name: 'real', authUrl: 'http://127.0.0.1:5000/v3', username: 'admin', password: process.env['OS_SIM_ADMIN_PASSWORD'] ?? 'ossim-admin', project: 'admin' };
    const [a, b] = await Promise.all([run(simCloud, log), run(realCloud, log)]);
    const differences: FidelityReport['differences'] = [];
    for (const [name, simAnswer] of a) {
      const realAnswer = b.get(name);
      if (!realAnswer) continue;
      const out: string[] = [];
      if (simAnswer.status !== realAnswer.status) out.push(`status: sim ${simAnswer.status} vs real ${realAnswer.status}`);
      for (const h of HEADERS) {
        if ((h in simAnswer.headers) !== (h in realAnswer.headers)) out.push(`header ${h}: ${h in simAnswer.headers ? 'only in sim' : `only in real (${realAnswer.headers[h]})`}`);
        else if ((h === 'openstack-api-version' || h === 'content-type') && simAnswer.headers[h] !== realAnswer.headers[h]) out.push(`header ${h}: sim "${simAnswer.headers[h]}" vs real "${realAnswer.headers[h]}"`);
      }
      diffShape(shape(simAnswer.body), shape(realAnswer.body), 'body', out);
      // Shapes alone miss a state that differs: a server's status and task state are compared by value.
      const serverOf = (body: unknown) => (body as { server?: Record<string, unknown> } | null)?.server;
      for (const key of ['status', 'OS-EXT-STS:task_state']) {
        const [vs, vr] = [serverOf(simAnswer.body)?.[key], serverOf(realAnswer.body)?.[key]];
        if (vs !== undefined && vr !== undefined && vs !== vr) out.push(`body.server.${key}: sim ${JSON.stringify(vs)} vs real ${JSON.stringify(vr)}`);
      }
      const ms = messageOf(simAnswer.body);
      const mr = messageOf(realAnswer.body);
      if (simAnswer.status >= 400 && ms !== mr) out.push(`message: sim ${JSON.stringify(ms)} vs real ${JSON.stringify(mr)}`);
      if (out.length) differences.push({ probe: name, lines: out });
    }
    return { probes: a.size, differences };
  } finally {
    await sim.close();
  }
}

async function main(): Promise<void> {
  const report = await compareWithRealServices((line) => process.stderr.write(`${line}\n`));
  for (const d of report.differences) process.stdout.write(`\n## ${d.probe}\n${d.lines.map((l) => `- ${l}`).join('\n')}\n`);
  const count = report.differences.reduce((n, d) => n + d.lines.length, 0);
  process.stdout.write(`\n${count} differences in ${report.probes} probes\n`);
}

// Run as a script (`npx tsx .../compare.ts`); imported by fidelity.real-spec.ts.
if (require.main === module) void main();
