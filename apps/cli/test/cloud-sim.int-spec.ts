// `baton cloud-sim --listen` as an operator runs it: a child process printing openrc lines, which
// the real `openstack` CLI (Debian python3-openstackclient) then uses; SIGTERM stops it.
// The child runs the sources through tsx's loader (as the other CLI specs do) rather than
// bin/baton.js, which runs the built dist/ and would test whatever was built last. `node --import
// tsx` keeps it one process, so the SIGTERM lands on the command itself, not on a wrapper.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = join(__dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'baton-cli-cloudsim-'));
let child: ChildProcess | undefined;

/** Starts the command and resolves with its stdout once the openrc block (ending in the admin line) is out. */
function startCloudSim(): Promise<{ child: ChildProcess; stdout: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'apps/cli/src/main.ts'), 'cloud-sim', '--listen', '127.0.0.1:0'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/^# admin API: /m.test(stdout)) resolve({ child: proc, stdout });
    });
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('exit', (code, signal) => reject(new Error(`baton cloud-sim ended early (${signal ?? code}): ${stderr}`)));
  });
}

/** The `export NAME=value` lines, as a map. */
function openrc(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^export (OS_[A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
}

function openstack(env: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Debian's python3 first: another python earlier in PATH lacks the OpenStack modules.
    execFile('/usr/bin/openstack', args, { timeout: 90_000, env: { PATH: '/usr/bin:/bin', HOME: work, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function exited(proc: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve({ code: proc.exitCode, signal: proc.signalCode });
  return new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
}

afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

describe('baton cloud-sim --listen', () => {
  it('prints openrc lines the real openstack CLI logs in with, and exits 0 on SIGTERM', async () => {
    const { child: proc, stdout } = await startCloudSim();
    const env = openrc(stdout);
    const url = /^OpenStack simulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/m.exec(stdout);
    expect(url, stdout).not.toBeNull();
    expect(Number(url![2])).toBeGreaterThan(0); // port 0 was resolved to the real one
    expect(env).toMatchObject({
      OS_AUTH_URL: `${url![1]}/identity/v3`,
      OS_USERNAME: 'admin',
      OS_PROJECT_NAME: 'admin',
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_IDENTITY_API_VERSION: '3',
    });
    expect(env['OS_PASSWORD']).toMatch(/\S/);

    const token = await openstack(env, ['token', 'issue', '-f', 'json']);
    expect(token.code, token.stderr).toBe(0);
    const issued = JSON.parse(token.stdout) as Record<string, string>;
    expect(issued['id']).toMatch(/^gAAAAA/);
    expect(issued['project_id']).toMatch(/^[0-9a-f]{32}$/);
    expect(Date.parse(issued['expires'])).toBeGreaterThan(Date.now());

    const wrong = await openstack({ ...env, OS_PASSWORD: `${env['OS_PASSWORD']}-wrong` }, ['token', 'issue', '-f', 'json']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/HTTP 401/);

    proc.kill('SIGTERM');
    expect(await exited(proc)).toEqual({ code: 0, signal: null });
    // Closed: nothing listens on the port any more.
    await expect(fetch(`${url![1]}/identity/v3`)).rejects.toThrow();
  }, 240_000);
});
