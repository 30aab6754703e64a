// `npm run bench:openstack`: 1,000 server create + wait ACTIVE + delete + wait gone cycles against
// the simulator, 50 in flight. The simulator runs in a child process so that process.cpuUsage()
// here measures the client alone. Prints calls/s and client CPU per call (target < 1 ms).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { OpenStackClient, startCloudSimulator } from '@lib/openstack';

const CYCLES = Number(process.env['BENCH_CYCLES'] ?? 1000);
const IN_FLIGHT = Number(process.env['BENCH_IN_FLIGHT'] ?? 50);
const BOOT_MS = 200;
const POLL_MS = 100;

async function child(): Promise<void> {
  const sim = await startCloudSimulator({ bootTimeMs: BOOT_MS, deleteTimeMs: 50, quota: { instances: -1, cores: -1, ram: -1, port: -1 } });
  process.stdout.write(`${JSON.stringify({ authUrl: sim.authUrl, username: sim.username, password: sim.password, projectName: sim.projectName })}\n`);
  const stop = (): void => void sim.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const sim = spawn(process.execPath, [...process.execArgv, __filename, '--sim-child'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: sim.stdout });
    rl.once('line', resolve);
    sim.once('exit', (code) => reject(new Error(`simulator exited early (${code})`)));
  });
  const info = JSON.parse(line) as { authUrl: string; username: string; password: string; projectName: string };
  let calls = 0;
  const os = new OpenStackClient({
    authUrl: info.authUrl,
    auth: { type: 'password', username: info.username, password: info.password, projectName: info.projectName },
    logger: (e) => {
      if (e.event === 'response') calls++;
    },
  });
  try {
    const net = await os.network.createNetwork({ name: 'bench-net' });
    await os.network.createSubnet({ name: 'bench-sub', networkId: net.id, cidr: '10.100.0.0/16' });
    const flavor = await os.compute.findFlavor('m1.tiny');
    const image = await os.image.findImage('ossim-tiny');
    calls = 0;

    const latencies: number[] = [];
    let next = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < CYCLES) {
        const i = next++;
        const t0 = performance.now();
        const name = `bench-${i}`;
        const server = await os.compute.createServer({ name, flavorId: flavor.id, imageId: image.id, networks: [{ uuid: net.id }] }, `bench/${i}`);
        await os.compute.waitForServer(server.id, 'ACTIVE', { intervalMs: POLL_MS, timeoutMs: 60_000 });
        await os.compute.deleteServer(server.id);
        await os.compute.waitForServerGone(server.id, { intervalMs: POLL_MS, timeoutMs: 60_000 });
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    latencies.sort((a, b) => a - b);
    const perCall = cpuMs / calls;
    const report = {
      cycles: CYCLES,
      inFlight: IN_FLIGHT,
      simulatedBootMs: BOOT_MS,
      pollMs: POLL_MS,
      apiCalls: calls,
      wallSeconds: +(wallMs / 1000).toFixed(2),
      callsPerSecond: Math.round(calls / (wallMs / 1000)),
      cyclesPerSecond: +(CYCLES / (wallMs / 1000)).toFixed(1),
      cycleMs: { p50: Math.round(percentile(latencies, 50)), p95: Math.round(percentile(latencies, 95)), max: Math.round(latencies[latencies.length - 1]) },
      clientCpuMs: Math.round(cpuMs),
      clientCpuPerCallMs: +perCall.toFixed(3),
      target: 'client CPU per call < 1 ms',
      met: perCall < 1,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (!report.met) process.exitCode = 1;
  } finally {
    os.close();
    sim.stdin.end();
    sim.kill('SIGTERM');
  }
}

if (process.argv.includes('--sim-child')) void child();
else
  main().catch((error: unknown) => {
    process.stderr.write(`bench:openstack failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
