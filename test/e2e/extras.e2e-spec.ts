// The endpoints beyond the reference (issue 5), over HTTP against the real service with tokens
// from a real OpenID provider: POST /templates/validate (every diagnostic, line and column; 400 as POST /deployments),
// the progress events of a deployment (server-sent events, read until its terminal status), its
// log followed as it grows, /openapi.json with the reference's paths, the /docs page, /healthz
// and /readyz.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudSimulator } from '@lib/openstack';
import { startSimulatorProvider } from '@lib/orchestrator';
import { oidcEnv, startBaton, type RunningBaton } from './support/baton.harness';
import { request, waitFor } from './support/http.client';
import { startTestIssuer, type TestIssuer } from './support/issuer.harness';

const TEMPLATE = readFileSync(join(__dirname, 'fixtures/compute-pair.yaml'), 'utf8');
/** Boot time of simulated servers: long enough that a deployment is surely in progress while a stream is first read. */
const BOOT_MS = 3_000;

/** Three errors on three lines: an unknown node type, an unknown input, a get_input of an undeclared input. */
const BROKEN = `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  node_templates:
    a:
      type: no.such.Type
    b:
      type: tosca.nodes.Compute
      properties:
        no_such_property: 1
  outputs:
    x:
      value: { get_input: undeclared }
`;

type Json = Record<string, unknown>;

interface SseEvent {
  event: string;
  id?: string;
  data: Json;
}

let idp: TestIssuer;
let simulator: CloudSimulator;
let baton: RunningBaton;
let token = '';

const auth = () => ({ authorization: `Bearer ${token}` });

/** Reads a streamed body chunk by chunk, handing the text so far to `until` after each chunk. */
async function readStream(path: string, until: (text: string) => boolean, headers: Record<string, string> = {}): Promise<{ text: string; contentType: string | null; chunks: string[] }> {
  const controller = new AbortController();
  const res = await fetch(`${baton.url}${path}`, { headers: { Authorization: `Bearer ${token}`, ...headers }, signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const chunks: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before the awaited content:\n${chunks.join('')}`);
      chunks.push(value);
      if (until(chunks.join(''))) break;
    }
  } finally {
    controller.abort();
  }
  return { text: chunks.join(''), contentType: res.headers.get('content-type'), chunks };
}

function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const frame of text.split('\n\n')) {
    const fields: Record<string, string> = {};
    for (const line of frame.split('\n')) {
      const m = /^([a-z]+): ?(.*)$/.exec(line);
      if (m) fields[m[1]] = m[2];
    }
    if (fields.event && fields.data) events.push({ event: fields.event, ...(fields.id ? { id: fields.id } : {}), data: JSON.parse(fields.data) as Json });
  }
  return events;
}

async function create(): Promise<string> {
  const a = await request('POST', `${baton.url}/deployments`, { ...auth(), body: { template: TEMPLATE, parameters: { count: 1 } } });
  expect(a.status, a.text).toBe(201);
  return (a.json as { uuid: string }).uuid;
}

beforeAll(async () => {
  idp = await startTestIssuer();
  const started = await startSimulatorProvider({ name: 'simulator', bootTimeMs: BOOT_MS });
  simulator = started.simulator;
  baton = await startBaton(oidcEnv(idp), { engine: { providers: [started.provider] } });
  token = await idp.mintToken({ sub: 'alice', scope: 'openid profile offline_access', groups: ['team'] });
}, 300_000);

afterAll(async () => {
  await baton?.close();
  await simulator?.close();
  await idp?.close();
}, 120_000);

describe('POST /templates/validate', () => {
  it('answers 400 with every diagnostic, each with its line and column, as POST /deployments does', async () => {
    const a = await request('POST', `${baton.url}/templates/validate`, { ...auth(), body: { template: BROKEN } });
    expect(a.status, a.text).toBe(400);
    const body = a.json as Json;
    expect(body).toMatchObject({ code: 400, title: 'Bad Request', valid: false });
    const errors = (body.diagnostics as Json[]).filter((d) => d.severity === 'error');
    expect(body.message).toBe(`The template has ${errors.length} error(s)`);
    for (const d of body.diagnostics as Json[]) {
      expect(typeof d.code).toBe('string');
      expect(typeof d.message).toBe('string');
      expect(typeof d.path).toBe('string');
      expect(d.line).toEqual(expect.any(Number));
      expect(d.column).toEqual(expect.any(Number));
      expect(d.line as number).toBeGreaterThanOrEqual(1);
      expect(d.column as number).toBeGreaterThanOrEqual(1);
    }
    // All three errors together, each at its own line (1-based) of BROKEN.
    const lines = errors.map((d) => d.line).sort((x, y) => Number(x) - Number(y));
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(lines).toEqual(expect.arrayContaining([5, 9, 12]));
    const at = (line: number) => errors.find((d) => d.line === line)!;
    expect(at(5).path).toMatch(/node_templates\.a/);
    expect(at(9).path).toMatch(/node_templates\.b\.properties\.no_such_property/);
    expect(String(at(12).message)).toMatch(/undeclared/);

    // POST /deployments refuses the same template with the same status and diagnostics.
    const created = await request('POST', `${baton.url}/deployments`, { ...auth(), body: { template: BROKEN } });
    expect(created.status).toBe(400);
    expect((created.json as Json).diagnostics).toEqual(body.diagnostics);
  });

  it('answers the error of a text route (/template, /extrainfo) as JSON, with a JSON content type', async () => {
    for (const path of ['template', 'extrainfo']) {
      const a = await request('GET', `${baton.url}/deployments/00000000-0000-0000-0000-000000000000/${path}`, auth());
      expect(a.status).toBe(404);
      expect(a.headers.get('content-type')).toMatch(/^application\/json/);
      expect(a.json).toMatchObject({ code: 404, title: 'Not Found' });
    }
  });

  it('answers 200 with valid: true for a valid template, as JSON or as the YAML text', async () => {
    const json = await request('POST', `${baton.url}/templates/validate`, { ...auth(), body: { template: TEMPLATE, parameters: { count: '2' } } });
    expect(json.status, json.text).toBe(200);
    expect(json.json).toMatchObject({ valid: true });
    expect(((json.json as Json).diagnostics as Json[]).filter((d) => d.severity === 'error')).toEqual([]);
    const yaml = await request('POST', `${baton.url}/templates/validate`, { ...auth(), headers: { 'Content-Type': 'text/yaml' }, body: TEMPLATE });
    expect(yaml.status, yaml.text).toBe(200);
    expect(yaml.json).toMatchObject({ valid: true });
  });

  it('needs a token', async () => {
    expect((await request('POST', `${baton.url}/templates/validate`, { body: { template: TEMPLATE } })).status).toBe(401);
  });
});

describe('a deployment followed as it runs', () => {
  it('GET /deployments/{id}/events streams status, resource and outputs events up to CREATE_COMPLETE', async () => {
    const id = await create();
    const terminal = (text: string) => parseSse(text).some((e) => e.event === 'status' && /_(COMPLETE|FAILED)$/.test(String(e.data.status)));
    const { text, contentType } = await readStream(`/deployments/${id}/events`, terminal);
    expect(contentType).toMatch(/^text\/event-stream/);
    const events = parseSse(text);
    for (const e of events) {
      expect(e.data.kind).toBe(e.event);
      expect(e.data.deploymentId).toBe(id);
      expect(Number.isNaN(Date.parse(String(e.data.at)))).toBe(false);
    }
    const statuses = events.filter((e) => e.event === 'status').map((e) => e.data.status);
    expect(statuses[0]).toBe('CREATE_IN_PROGRESS');
    expect(statuses.at(-1)).toBe('CREATE_COMPLETE');
    const last = events.findIndex((e) => e.event === 'status' && e.data.status === 'CREATE_COMPLETE');
    const started = events.findIndex((e) => e.event === 'resource' && e.data.state === 'STARTED' && e.data.toscaNodeName === 'server');
    expect(started).toBeGreaterThanOrEqual(0);
    expect(started).toBeLessThan(last);
    // One instance: get_attribute gives its address itself, not a list.
    const outputs = events.find((e) => e.event === 'outputs');
    expect((outputs?.data.outputs as Json | undefined)?.server_addresses).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(events.indexOf(outputs!)).toBeLessThan(last);
    // Log lines carry their sequence as the SSE id, for Last-Event-ID.
    const logs = events.filter((e) => e.event === 'log');
    expect(logs.length).toBeGreaterThan(0);
    for (const e of logs) expect(e.id).toBe(String(e.data.seq));

    // Resuming after the last log line seen sends no line again.
    const lastSeq = String(logs.at(-1)!.data.seq);
    const resumed = await readStream(`/deployments/${id}/events`, terminal, { 'Last-Event-ID': lastSeq });
    const again = parseSse(resumed.text).filter((e) => e.event === 'log');
    for (const e of again) expect(Number(e.data.seq)).toBeGreaterThan(Number(lastSeq));
  }, 120_000);

  it('GET /deployments/{id}/log?follow=true sends the log as it grows', async () => {
    const id = await create();
    const { text, contentType, chunks } = await readStream(`/deployments/${id}/log?follow=true`, (t) => /CREATE_COMPLETE/.test(t));
    expect(contentType).toMatch(/^text\/plain/);
    // The response began while the server was still booting (BOOT_MS), and the same response went
    // on to carry the completion: the log came as it was written, not once at the end.
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks[0]).not.toMatch(/CREATE_COMPLETE/);
    const whole = await request('GET', `${baton.url}/deployments/${id}/log`, auth());
    expect(whole.status).toBe(200);
    expect(whole.text.startsWith(text.split('\n')[0])).toBe(true);
    expect(whole.text).toContain('CREATE_COMPLETE');
  }, 120_000);
});

describe('the service documents and probes', () => {
  it('/openapi.json is an OpenAPI 3 document with every path of the reference and the extras', async () => {
    const a = await request('GET', `${baton.url}/openapi.json`);
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = a.json as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    const methods = (p: string) => Object.keys(doc.paths[p] ?? {}).sort();
    expect(methods('/')).toEqual(['get']);
    expect(methods('/info')).toEqual(['get']);
    expect(methods('/configuration')).toEqual(['get']);
    expect(methods('/deployments')).toEqual(['get', 'post']);
    expect(methods('/deployments/{id}')).toEqual(['delete', 'get', 'patch', 'put']);
    for (const p of ['template', 'log', 'extrainfo', 'resources', 'resources/filter', 'resources/{rid}', 'events']) expect(methods(`/deployments/{id}/${p}`)).toEqual(['get']);
    expect(methods('/deployments/{id}/resources/{rid}/actions')).toEqual(['post']);
    expect(methods('/templates/validate')).toEqual(['post']);
    for (const p of ['/healthz', '/readyz', '/metrics']) expect(methods(p)).toEqual(['get']);
  });

  it('/docs is a browsable HTML page', async () => {
    const a = await request('GET', `${baton.url}/docs`);
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toMatch(/^text\/html/);
    expect(a.text).toMatch(/<html/i);
    expect(a.text).toContain('baton API');
  });

  it('/healthz and /readyz answer without a token', async () => {
    const health = await request('GET', `${baton.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok' });
    const ready = await waitFor('/readyz', async () => {
      const r = await request('GET', `${baton.url}/readyz`);
      return r.status === 200 ? r : undefined;
    }, 30_000);
    expect(ready.json).toEqual({ status: 'ok' });
  });
});
