// Issue 8, findings 7 and 8, over HTTP against the real service (auth off, loopback):
// - the callback is no open server-side POST: a 307 to an internal path is not followed, a
//   private address is refused at submission with a clear error, and a URL's credentials are
//   used (HTTP Basic) but never shown, in the log, the deployment or the process output;
// - a password with `"` and `\` is hidden in every form a playbook prints it (JSON), in /log and
//   the event stream, and an output computed from it (a `token`) is masked whole.
// The configuration runner stands in for the playbook (no SSH host runs in this suite): like an
// Ansible debug task it prints its inputs as JSON and, as a client would, URL-encoded and base64.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudSimulator } from '@lib/openstack';
import { startSimulatorProvider, type ConfigurationRunner, type OperationResult, type OperationRun } from '@lib/orchestrator';
import { startBaton, type RunningBaton } from './support/baton.harness';
import { request, waitFor } from './support/http.client';

const TEMPLATE = readFileSync(join(__dirname, 'fixtures/secret-echo.yaml'), 'utf8');
const ONE_VM = `tosca_definitions_version: tosca_simple_yaml_1_0
topology_template:
  node_templates:
    vm:
      type: tosca.nodes.Compute
`;
/** A password with a quote and a backslash; `frag-5521` is in every readable spelling of it. */
const PASSWORD = 'Qx"7\\pw:frag-5521';

class EchoingRunner implements ConfigurationRunner {
  async waitForSsh(): Promise<void> {}
  async run(op: OperationRun): Promise<OperationResult> {
    op.onLine(`TASK [debug] ok: [${op.target.host}] => ${JSON.stringify({ msg: op.vars })}`);
    op.onLine(`GET /api?password=${encodeURIComponent(String(op.vars.db_password))}`);
    op.onLine(`Authorization: Basic ${Buffer.from(`admin:${String(op.vars.db_password)}`).toString('base64')}`);
    return { ok: true, outputs: {} };
  }
}

interface Recorder {
  server: Server;
  url: string;
  requests: Array<{ method: string; path: string; authorization?: string }>;
}

/** A loopback HTTP server that records requests and answers with `answer`. */
async function recorder(answer: (req: IncomingMessage) => { status: number; headers?: Record<string, string> }): Promise<Recorder> {
  const requests: Recorder['requests'] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      const a = answer(req);
      res.writeHead(a.status, a.headers).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests };
}

let simulator: CloudSimulator;
let baton: RunningBaton;
let internal: Recorder;
let redirecting: Recorder;
let failing: Recorder;
let stderr = '';
const realWrite = process.stderr.write.bind(process.stderr);

beforeAll(async () => {
  internal = await recorder(() => ({ status: 200 }));
  redirecting = await recorder(() => ({ status: 307, headers: { location: `${internal.url}/internal/admin` } }));
  failing = await recorder(() => ({ status: 500 }));
  const started = await startSimulatorProvider({ name: 'simulator', bootTimeMs: 200, sshPool: ['127.0.0.9'] });
  simulator = started.simulator;
  // The engine logs to stderr: everything it writes while these tests run is kept and searched.
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return (realWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  baton = await startBaton({ BATON_CALLBACK_PRIVATE_NETWORKS: '127.0.0.0/8' }, { engine: { providers: [started.provider], runner: new EchoingRunner() } });
}, 120_000);

afterAll(async () => {
  process.stderr.write = realWrite;
  await baton?.close();
  await simulator?.close();
  for (const r of [internal, redirecting, failing]) await new Promise<void>((done) => r?.server.close(() => done()));
});

async function deploy(body: Record<string, unknown>): Promise<string> {
  const created = await request('POST', `${baton.url}/deployments`, { body });
  expect(created.status, created.text).toBe(201);
  const id = (created.json as { uuid: string }).uuid;
  await waitFor('CREATE_COMPLETE', async () => {
    const d = (await request('GET', `${baton.url}/deployments/${id}`)).json as { status: string; statusReason?: string };
    if (d.status === 'CREATE_FAILED') throw new Error(d.statusReason);
    return d.status === 'CREATE_COMPLETE' ? true : undefined;
  }, 60_000, 100);
  return id;
}

const logOf = async (id: string): Promise<string> => (await request('GET', `${baton.url}/deployments/${id}/log`)).text;

describe('callbacks', () => {
  it('does not follow a 307 to an internal path, and says so in the log', async () => {
    const id = await deploy({ template: ONE_VM, parameters: {}, callback: `${redirecting.url}/hook` });
    await waitFor('both callbacks', async () => (redirecting.requests.length >= 2 ? true : undefined), 20_000, 50);
    expect(redirecting.requests.every((r) => r.method === 'POST' && r.path === '/hook')).toBe(true);
    expect(internal.requests).toEqual([]);
    expect(await logOf(id)).toContain(`callback to ${redirecting.url}/hook answered 307; redirects are not followed`);
  });

  it('refuses a private, loopback-named or link-local callback at submission with a clear error', async () => {
    for (const [callback, why] of [
      ['http://10.1.2.3/hook', '10.1.2.3 is a private address'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
      ['http://[::ffff:192.168.0.1]/x', 'is a private address'],
    ]) {
      const answer = await request('POST', `${baton.url}/deployments`, { body: { template: ONE_VM, parameters: {}, callback } });
      expect(answer.status, answer.text).toBe(400);
      expect((answer.json as { message: string }).message).toContain(why);
      expect((answer.json as { message: string }).message).toContain('BATON_CALLBACK_PRIVATE_NETWORKS');
    }
  });

  it('sends a URL credentials as HTTP Basic and never shows them: log, deployment, process output', async () => {
    const callback = `${failing.url.replace('//', '//cb-user:cb-Pass-77@')}/cb`;
    const id = await deploy({ template: ONE_VM, parameters: {}, callback });
    await waitFor('both callbacks', async () => (failing.requests.length >= 2 ? true : undefined), 20_000, 50);
    expect(failing.requests[0].authorization).toBe(`Basic ${Buffer.from('cb-user:cb-Pass-77').toString('base64')}`);
    const log = await logOf(id);
    expect(log).toContain(`callback to ${failing.url.replace('//', '//****@')}/cb answered 500`);
    const shown = (await request('GET', `${baton.url}/deployments/${id}`)).text;
    for (const text of [log, shown, stderr]) {
      expect(text).not.toContain('cb-user:cb-Pass-77@');
      expect(text).not.toContain('cb-Pass-77');
    }
  });
});

describe('redaction', () => {
  it('hides a password with `"` and `\\` in /log and the event stream, and masks an output computed from it', async () => {
    const id = await deploy({ template: TEMPLATE, parameters: { db_password: PASSWORD } });
    const d = (await request('GET', `${baton.url}/deployments/${id}`)).json as { outputs: Record<string, unknown> };
    expect(d.outputs.title).toBe('visible-title');
    expect(d.outputs.password_tail).toBe('****');
    const log = await logOf(id);
    // The runner's lines are there, masked: this test would see the password if it leaked.
    expect(log).toContain('TASK [debug] ok: [127.0.0.9] => {"msg":{"site_title":"visible-title","db_password":"****"}}');
    expect(log).toContain('GET /api?password=****');

    const controller = new AbortController();
    const res = await fetch(`${baton.url}/deployments/${id}/events`, { signal: controller.signal });
    let events = '';
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    while (!events.includes('CREATE_COMPLETE') || !events.includes('TASK [debug]')) {
      const { value, done } = await reader.read();
      if (done) break;
      events += value;
    }
    controller.abort();
    expect(events).toContain('TASK [debug]');

    const base64 = Buffer.from(`admin:${PASSWORD}`).toString('base64');
    for (const text of [log, events, JSON.stringify(d), stderr]) {
      expect(text).not.toContain('frag-5521');
      expect(text).not.toContain(base64.slice(8, 24));
    }
  });
});
