// Issue 8, findings 1, 2 and 6, over HTTP as an attacker with an ordinary account would: request
// values carrying code and lookups, connection variables as operation inputs, `hosts: localhost`
// with `connection: local`, and a `src:` from an input or through a symbolic link leading out of
// the playbook's folder. The orchestrator is this process; the node is a testbed host (its own
// address and filesystem), so a file tells where a command ran.
// Needs root (the testbed makes namespaces).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatorProvider } from '@lib/orchestrator';
import type { CloudSimulator } from '@lib/openstack';
import { startBaton, type RunningBaton } from './support/baton.harness';
import { request, waitFor, type HttpAnswer } from './support/http.client';
import { hostsDown, hostsUp, onHost, withKeyDelivery, type TestbedHost } from './support/testbed.harness';

const VMS = ['e2esec-n1'];
const work = mkdtempSync(join(tmpdir(), 'baton-e2e-security-'));
const templatesDir = join(work, 'catalogue');
const sealingKey = join(work, 'orchestrator', 'sealing.key');
const marker = join(work, 'orchestrator', 'pwned');
const SECRET = `SEALING-${randomBytes(8).toString('hex')}`;
const ENV_PROBE = 'BATON_E2E_SECURITY_PROBE';

// The operator's playbook, as IM's contract writes them (hosts: localhost, connection: local).
const PROBE = `- hosts: localhost
  connection: local
  gather_facts: false
  vars: { users: [], ship: motd }
  tasks:
    - { name: where, command: hostname, register: where }
    - { name: mark, copy: { content: "{{ where.stdout }}\\n", dest: /tmp/e2esec-where } }
    - { name: each user, debug: { msg: "user {{ item }}" }, loop: "{{ users }}" }
    - { name: ship, copy: { src: "{{ ship }}", dest: /tmp/e2esec-shipped }, ignore_errors: true }
    - { name: linked, copy: { src: linked.txt, dest: /tmp/e2esec-linked }, ignore_errors: true }
`;

const template = (inputs: string) => `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  inputs:
    users: { type: list, entry_schema: { type: string }, default: [] }
    ship: { type: string, default: motd }
  node_templates:
    probe:
      type: tosca.nodes.SoftwareComponent
      requirements: [ { host: vm } ]
      interfaces:
        Standard:
          configure:
            implementation: artifacts/probe.yml
            inputs:
              users: { get_input: users }
              ship: { get_input: ship }
${inputs}
    vm:
      type: tosca.nodes.Compute
      capabilities:
        host: { properties: { num_cpus: 1, mem_size: 1 GB } }
`;

describe.sequential('a caller cannot reach the orchestrator host through inputs (issue 8)', () => {
  let simulator: CloudSimulator;
  let baton: RunningBaton;
  let hosts: TestbedHost[] = [];
  const api = (method: string, path: string, body?: unknown): Promise<HttpAnswer> => request(method, `${baton.url}${path}`, body !== undefined ? { body } : {});

  beforeAll(async () => {
    mkdirSync(join(templatesDir, 'artifacts', 'files'), { recursive: true });
    mkdirSync(join(work, 'orchestrator'));
    writeFileSync(sealingKey, `${SECRET}\n`);
    writeFileSync(join(templatesDir, 'artifacts', 'probe.yml'), PROBE);
    writeFileSync(join(templatesDir, 'artifacts', 'files', 'motd'), 'welcome\n');
    symlinkSync(sealingKey, join(templatesDir, 'artifacts', 'files', 'linked.txt'));
    process.env[ENV_PROBE] = SECRET;
    await hostsDown(VMS).catch(() => undefined);
    hosts = await hostsUp(VMS);
    const started = await startSimulatorProvider({ name: 'simulator', bootTimeMs: 200, sshPool: hosts.map((h) => h.ip), sshUser: 'root' });
    simulator = started.simulator;
    baton = await startBaton(
      { BATON_TEMPLATES_DIR: templatesDir },
      { engine: { providers: [withKeyDelivery(started.provider, () => hosts)], timings: { pollMs: 250, sshTimeoutMs: 120_000, operationTimeoutMs: 120_000, backoffMs: 250 }, queuePrefix: `e2esec-${randomBytes(4).toString('hex')}` } },
    );
  }, 900_000);

  afterAll(async () => {
    delete process.env[ENV_PROBE];
    await baton?.close();
    await simulator?.close();
    await hostsDown(VMS).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
    rmSync('/tmp/e2esec-where', { force: true });
  }, 180_000);

  it.each([
    ['ansible_connection: local', '              ansible_connection: local'],
    ['the port scan (ansible_host, ansible_port)', '              ansible_host: 127.0.0.1\n              ansible_port: 5432'],
    ['baton_ssh_private_key', '              baton_ssh_private_key: x'],
  ])('refuses %s as an operation input at plan time, creating nothing', async (_what, inputs) => {
    const answer = await api('POST', '/deployments', { template: template(inputs), parameters: {} });
    expect(answer.status).toBe(400);
    const diagnostics = (answer.json as { diagnostics?: Array<{ code: string; message: string }> }).diagnostics ?? [];
    const reserved = diagnostics.filter((d) => d.code === 'reserved_input_name');
    expect(reserved.length).toBeGreaterThan(0);
    expect(reserved[0].message).toMatch(/of operation "Standard.configure" of node template "probe" is refused/);
    expect((await api('GET', '/deployments')).json).toMatchObject({ content: [] });
  });

  it('runs the playbook on the node with the inputs as literal data, reading nothing of the orchestrator', async () => {
    const rce = `{{ (['a'] | map(attribute='constructor.constructor') | first)("global.process.mainModule.require('fs').writeFileSync('${marker}', 'x')")() }}`;
    const users = [rce, `{{ lookup('file', '${sealingKey}') }}`, `{{ lookup('env', '${ENV_PROBE}') }}`];
    const ship = relative(join(templatesDir, 'artifacts'), sealingKey); // ../../orchestrator/sealing.key
    const created = await api('POST', '/deployments', { template: template(''), parameters: { users, ship } });
    expect(created.status).toBe(201);
    const id = (created.json as { uuid: string }).uuid;
    const done = await waitFor('the deployment to settle', async () => {
      const d = (await api('GET', `/deployments/${id}`)).json as { status: string; statusReason?: string };
      return d.status.endsWith('_COMPLETE') || d.status.endsWith('_FAILED') ? d : undefined;
    }, 600_000, 500);
    const log = (await api('GET', `/deployments/${id}/log`)).text;
    expect(done.status, `${done.statusReason ?? ''}\n${log.slice(-3000)}`).toBe('CREATE_COMPLETE');

    // Nothing ran here: no payload file, no hostname file of the orchestrator's; on the node, its own.
    expect(existsSync(marker)).toBe(false);
    expect(existsSync('/tmp/e2esec-where')).toBe(false);
    const node = hosts[0];
    expect((await onHost(node, 'cat /tmp/e2esec-where')).trim()).toBe((await onHost(node, 'hostname')).trim());
    // The inputs came through as text, never templated: no secret in the log, the payload literal.
    expect(log).not.toContain(SECRET);
    expect(log).toContain("map(attribute='constructor.constructor')");
    expect(log).toContain(`lookup('file', '${sealingKey}')`);
    // src: from an input and through a link: refused, nothing shipped.
    expect(log).toMatch(/src '\.\.\/\.\.\/orchestrator\/sealing\.key': a path with '\.\.' is refused/);
    expect(log).toMatch(/src 'linked\.txt' leads outside the playbook's folder \(through a symbolic link\)/);
    expect(await onHost(node, 'ls /tmp/e2esec-shipped /tmp/e2esec-linked 2>&1 || true')).toMatch(/No such file/);
    expect(readFileSync(sealingKey, 'utf8')).toBe(`${SECRET}\n`);
  }, 900_000);
});
