// `npx baton <command> ...`: the command-line entry of the product.
// Each command lives in its own module, loaded only when asked for, so `baton validate`
// never pays for NestJS or the cloud client.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CommandModule {
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  validate: { summary: 'check a TOSCA template and print its diagnostics', load: () => import('./commands/validate.command') },
  plan: { summary: 'compile a TOSCA template and print its instance plan', load: () => import('./commands/plan.command') },
  playbook: { summary: 'run an Ansible playbook over SSH', load: () => import('./commands/playbook.command') },
  'cloud-sim': { summary: 'run the OpenStack simulator', load: () => import('./commands/cloud-sim.command') },
  deployments: { summary: 'create, watch and delete deployments on an orchestrator (CI pipelines)', load: () => import('./commands/deployments.command') },
  serve: { summary: 'run the orchestrator service (API, worker and dashboard)', load: () => import('./commands/serve.command') },
  dashboard: { summary: 'run the web dashboard alone', load: () => import('./commands/dashboard.command') },
  worker: { summary: 'run a worker alone', load: () => import('./commands/worker.command') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['usage: baton <command> [options]', '       baton --version', '', 'commands:', ...lines, '', 'baton <command> --help describes each command.', ''].join('\n');
}

/** The version in package.json (two folders up from src/ and from dist/apps/cli/src/ alike). */
function version(): string {
  for (const dir of [join(__dirname, '../../..'), join(__dirname, '../../../..')]) {
    try {
      return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // not this folder: try the next
    }
  }
  return 'unknown';
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`baton ${version()}\n`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 64;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`baton: unknown command "${name}"\n\n${usage()}`);
    return 64;
  }
  return (await command.load()).run(rest);
}

// A reader that goes away (`baton plan ... | head`) is no error of ours: stop quietly, as cat does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`baton: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 70;
  },
);
