// `baton cloud-sim --listen 127.0.0.1:PORT`: runs the OpenStack simulator until SIGINT/SIGTERM and
// prints how to reach it (auth URL, user, password, project) as openrc lines.
import { startCloudSimulator } from '@lib/openstack';

const USAGE = `usage: baton cloud-sim [--listen HOST:PORT] [--password P] [--boot-time-ms N]

Runs the OpenStack simulator (Keystone /identity/v3, Nova /compute, Neutron /network,
Glance /image, Cinder /volume, admin API /admin) until SIGINT or SIGTERM.
`;

export async function run(argv: string[]): Promise<number> {
  let listen = '127.0.0.1:0';
  let password: string | undefined;
  let bootTimeMs: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new TypeError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--listen') listen = value();
    else if (arg.startsWith('--listen=')) listen = arg.slice(9);
    else if (arg === '--password') password = value();
    else if (arg === '--boot-time-ms') bootTimeMs = Number(value());
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      return 0;
    } else {
      process.stderr.write(`baton cloud-sim: unknown option ${arg}\n\n${USAGE}`);
      return 64;
    }
  }
  const m = /^(.*):(\d+)$/.exec(listen);
  if (!m) {
    process.stderr.write(`baton cloud-sim: --listen wants HOST:PORT, got "${listen}"\n`);
    return 64;
  }
  const host = m[1].replace(/^\[|\]$/g, '');
  const sim = await startCloudSimulator({ host, port: Number(m[2]), password, bootTimeMs });
  // The password is printed on purpose: this is how the operator of the simulator learns it.
  process.stdout.write(
    [
      `OpenStack simulator listening on ${sim.url}`,
      `export OS_AUTH_URL=${sim.authUrl}`,
      `export OS_USERNAME=${sim.username}`,
      `export OS_PASSWORD=${sim.password}`,
      `export OS_PROJECT_NAME=${sim.projectName}`,
      `export OS_USER_DOMAIN_NAME=${sim.userDomain}`,
      `export OS_PROJECT_DOMAIN_NAME=${sim.projectDomain}`,
      `export OS_REGION_NAME=${sim.region}`,
      `export OS_IDENTITY_API_VERSION=3`,
      `# admin API: ${sim.url}/admin (POST /admin/faults, /admin/boot-time, ...)`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sim.close();
  return 0;
}
