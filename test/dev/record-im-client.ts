// Development check (not CI): runs the real IM command-line client (grycap/im-client, with
// grycap/RADL) against baton through a recording proxy and writes what it sent to
// test/e2e/fixtures/im-client-requests.json, which test/e2e/im-api.e2e-spec.ts replays in CI.
// It fetches nothing: give it checkouts you have, and Debian's python3 with python3-requests,
// python3-ply and python3-packaging.
//
//   npx tsx test/dev/record-im-client.ts /path/to/im-client /path/to/RADL
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSimulatorProvider } from '@lib/orchestrator';
import { oidcEnv, startBaton } from '../e2e/support/baton.harness';
import { startRecorder, type RecordedRequest } from '../e2e/support/im-recorder';
import { startTestIssuer } from '../e2e/support/issuer.harness';

const [clientDir, radlDir] = process.argv.slice(2).map((p) => resolve(p));
if (!clientDir || !radlDir) {
  console.error('usage: npx tsx test/dev/record-im-client.ts <im-client checkout> <RADL checkout>');
  process.exit(2);
}
const FIXTURES = join(__dirname, '..', 'e2e', 'fixtures');
const PYTHON = '/usr/bin/python3';

async function main(): Promise<void> {
  const issuer = await startTestIssuer();
  const { provider, simulator } = await startSimulatorProvider({ name: 'simulator', bootTimeMs: 200 });
  const baton = await startBaton(oidcEnv(issuer), { engine: { providers: [provider] } });
  const recorder = await startRecorder(baton.url);
  const token = await issuer.mintToken({ sub: 'alice', scope: 'openid profile email offline_access' });
  const work = mkdtempSync(join(tmpdir(), 'im-client-'));
  const cloudHost = new URL(simulator.authUrl).origin;
  const authLines = join(work, 'auth.dat');
  writeFileSync(authLines, `id = im; type = InfrastructureManager; token = ${token}\nid = ost; type = OpenStack; host = ${cloudHost}; username = ${simulator.username}; password = ${simulator.password}; tenant = ${simulator.projectName}; auth_version = 3.x_password; domain = ${simulator.userDomain}\n`);
  const authBearer = join(work, 'bearer.dat');
  writeFileSync(authBearer, `Bearer ${token}\n`);
  const ids: string[] = [];

  // Asynchronous: baton answers from this very process, so a blocking spawn would deadlock.
  const run = (label: string, auth: string, ...args: string[]): Promise<string> =>
    new Promise((done) => {
      recorder.step(label);
      execFile(PYTHON, ['-m', 'imclient.cli', '-r', recorder.url, '-a', auth, ...args], { cwd: work, env: { PATH: process.env.PATH ?? '', PYTHONPATH: `${clientDir}:${radlDir}` }, timeout: 600_000 }, (error, stdout, stderr) => {
        const out = `${stdout}${stderr}`;
        console.log(`$ im_client ${args.join(' ')} -> ${error ? `exit ${error.code}` : 'ok'}\n${out.split(token).join('<token>')}`);
        done(out);
      });
    });
  const tosca = (name: string) => join(FIXTURES, name);
  const created = (out: string): string => {
    const id = /"infid": "([0-9a-f-]{36})"/.exec(out)?.[1];
    if (!id) throw new Error(`create_wait_outputs gave no infid:\n${out}`);
    ids.push(id);
    return id;
  };

  await run('getversion', authLines, 'getversion');
  const id = created(await run('create_wait_outputs', authLines, 'create_wait_outputs', tosca('im-vms.yaml')));
  await run('list', authLines, 'list');
  await run('getstate', authLines, 'getstate', id);
  await run('getinfo', authLines, 'getinfo', id);
  await run('getvminfo', authLines, 'getvminfo', id, '0');
  await run('getcontmsg', authLines, 'getcontmsg', id);
  await run('getvmcontmsg', authLines, 'getvmcontmsg', id, '0');
  await run('getoutputs', authLines, 'getoutputs', id);
  await run('addresource', authLines, 'addresource', id, tosca('im-vms-add.yaml'));
  await run('wait (after addresource)', authLines, 'wait', id);
  await run('removeresource', authLines, 'removeresource', id, '2');
  await run('wait (after removeresource)', authLines, 'wait', id);
  await run('stop', authLines, 'stop', id);
  await run('start', authLines, 'start', id);
  await run('rebootvm', authLines, 'rebootvm', id, '0');
  await run('destroy', authLines, '-y', 'destroy', id);
  const second = created(await run('create_wait_outputs (Bearer)', authBearer, 'create_wait_outputs', tosca('im-vms.yaml')));
  await run('list (Bearer)', authBearer, 'list');
  await run('getstate (Bearer)', authBearer, 'getstate', second);
  await run('destroy (Bearer)', authBearer, '-y', 'destroy', second);

  const scrub = (s: string): string => {
    let out = s.split(token).join('{{TOKEN}}').split(cloudHost).join('{{CLOUD_HOST}}').split(simulator.password).join('{{CLOUD_PASSWORD}}');
    ids.forEach((x, i) => (out = out.split(x).join(`{{INF_ID_${i + 1}}}`)));
    return out;
  };
  const requests: RecordedRequest[] = recorder.requests.map((r) => ({ ...r, path: scrub(r.path), headers: r.headers.map(([k, v]) => [k, scrub(v)] as [string, string]), body: scrub(r.body) }));
  writeFileSync(join(FIXTURES, 'im-client-requests.json'), `${JSON.stringify({ recordedWith: 'im_client 2.0.0 (grycap/im-client) with grycap/RADL, Debian python3', requests }, null, 2)}\n`);
  console.log(`${requests.length} requests recorded`);
  await recorder.close();
  await baton.close();
  await simulator.close();
  await issuer.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
