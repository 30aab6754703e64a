// `baton deployments SUBCOMMAND ...`: the orchestrator's client for people and CI pipelines,
// like orchent (ORCHENT_URL/ORCHENT_TOKEN work too). `--wait` turns an asynchronous request into
// a step a pipeline can rely on: it returns when the deployment settles, with an exit code that
// says how (0 done, 1 failed, 124 still running at the wait's deadline).
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadClientConfig } from '@lib/config';
import { ApiError, OrchestratorClient, type DeploymentRequest, type DeploymentView } from '@lib/api-client';
import { EXIT_CONFIG, EXIT_USAGE } from './exit-codes';
import { readInputs } from './template-args';

const USAGE = `usage: baton deployments COMMAND ...

  create TEMPLATE [--input name=value]... [--inputs-file F] [options] [--wait] [--json]
  update ID TEMPLATE [--input name=value]... [--inputs-file F] [options] [--wait] [--json]
  list [--json]                 the caller's deployments
  show ID [--json]
  outputs ID                    the outputs as JSON
  wait ID                       until the deployment settles
  log ID [--follow]             --follow: as the log grows, until the deployment settles
  delete ID [--force] [--wait]

options: --callback URL --max-providers-retry N --keep-last-attempt --timeout-mins N
         --provider-timeout-mins N --user-group G --wait-minutes N (default 120)
The orchestrator is BATON_URL (or ORCHENT_URL, default http://127.0.0.1:8080); the access token
is BATON_TOKEN (or ORCHENT_TOKEN).
`;

/** The exit code of a wait that reached its deadline with the deployment still in progress (as timeout(1)). */
const EXIT_WAIT_TIMEOUT = 124;
const POLL_MS = 2000;

const OPTIONS = {
  input: { type: 'string', multiple: true, default: [] as string[] },
  'inputs-file': { type: 'string' },
  callback: { type: 'string' },
  'max-providers-retry': { type: 'string' },
  'keep-last-attempt': { type: 'boolean', default: false },
  'timeout-mins': { type: 'string' },
  'provider-timeout-mins': { type: 'string' },
  'user-group': { type: 'string' },
  wait: { type: 'boolean', default: false },
  'wait-minutes': { type: 'string' },
  json: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  follow: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies NonNullable<ParseArgsConfig['options']>;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

class UsageError extends Error {}

/** How many positional arguments each subcommand takes. */
const ARITY: Record<string, number> = { create: 1, update: 2, list: 0, show: 1, outputs: 1, wait: 1, log: 1, delete: 1 };

export async function run(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(USAGE);
    return argv.length === 0 ? EXIT_USAGE : 0;
  }
  const [command, ...rest] = argv;
  try {
    if (!(command in ARITY)) throw new UsageError(`unknown command ${command}`);
    const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length !== ARITY[command]) throw new UsageError(`${command} takes ${ARITY[command]} argument(s), got ${positionals.length}`);
    const config = loadClientConfig();
    const client = new OrchestratorClient(config.url, config.token);
    return await dispatch(client, command, positionals, values);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`baton deployments: ${(error as Error).message}\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`baton deployments: ${error.message}\n`);
      return EXIT_CONFIG;
    }
    if (error instanceof ApiError) {
      process.stderr.write(`baton deployments: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function dispatch(client: OrchestratorClient, command: string, args: string[], values: Values): Promise<number> {
  const waitMs = minutes(values, 'wait-minutes', 120) * 60_000;
  switch (command) {
    case 'create': {
      const created = await client.create(requestOf(args[0], values));
      if (!values.wait) return print(created, values.json);
      // Named at once, so a pipeline killed while waiting still knows what to clean up.
      process.stderr.write(`baton deployments: created ${created.uuid}, waiting for it to settle\n`);
      return settle(client, created.uuid, waitMs, values.json);
    }
    case 'update': {
      await client.update(args[0], requestOf(args[1], values));
      if (!values.wait) return print(await client.get(args[0]), values.json);
      process.stderr.write(`baton deployments: update of ${args[0]} accepted, waiting for it to settle\n`);
      return settle(client, args[0], waitMs, values.json);
    }
    case 'list': {
      const all = await client.listMine();
      if (values.json) process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
      else if (all.length === 0) process.stderr.write('baton deployments: you have no deployments\n');
      else for (const d of all) process.stdout.write(`${d.uuid}  ${d.status.padEnd(18)}  ${d.creationTime ?? ''}\n`);
      return 0;
    }
    case 'show':
      return print(await client.get(args[0]), values.json);
    case 'outputs':
      process.stdout.write(`${JSON.stringify((await client.get(args[0])).outputs ?? {}, null, 2)}\n`);
      return 0;
    case 'wait':
      return settle(client, args[0], waitMs, values.json);
    case 'log':
      if (values.follow) return followLog(client, args[0]);
      process.stdout.write(await client.log(args[0]));
      return 0;
    case 'delete':
      await client.delete(args[0], values.force);
      if (values.wait) return settleDelete(client, args[0], waitMs);
      process.stderr.write(`baton deployments: deletion of ${args[0]} requested\n`);
      return 0;
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

function requestOf(templateFile: string, values: Values): DeploymentRequest {
  let template: string;
  try {
    template = readFileSync(templateFile, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${templateFile}: ${(error as Error).message}`);
  }
  let parameters: Record<string, unknown>;
  try {
    parameters = readInputs(values.input ?? [], values['inputs-file']);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const request: DeploymentRequest = { template, parameters };
  if (values.callback) request.callback = values.callback;
  if (values['max-providers-retry'] !== undefined) request.maxProvidersRetry = whole(values, 'max-providers-retry');
  if (values['keep-last-attempt']) request.keepLastAttempt = true;
  if (values['timeout-mins'] !== undefined) request.timeoutMins = whole(values, 'timeout-mins');
  if (values['provider-timeout-mins'] !== undefined) request.providerTimeoutMins = whole(values, 'provider-timeout-mins');
  if (values['user-group']) request.userGroup = values['user-group'];
  return request;
}

function whole(values: Values, name: 'max-providers-retry' | 'timeout-mins' | 'provider-timeout-mins' | 'wait-minutes'): number {
  const text = values[name];
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} wants a whole number, got "${text}"`);
  return n;
}

function minutes(values: Values, name: 'wait-minutes', fallback: number): number {
  return values[name] === undefined ? fallback : whole(values, name);
}

function print(d: DeploymentView, json: boolean | undefined): number {
  if (json) {
    process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
    return 0;
  }
  const lines = [`${d.uuid}  ${d.status}${d.task && d.task !== 'NONE' ? ` (${d.task})` : ''}`];
  if (d.cloudProviderName) lines.push(`provider: ${d.cloudProviderName}`);
  if (d.statusReason) lines.push(`reason: ${d.statusReason}`);
  if (d.outputs && Object.keys(d.outputs).length) lines.push(`outputs: ${JSON.stringify(d.outputs, null, 2)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

const settled = (status: string): boolean => !status.endsWith('_IN_PROGRESS') && status !== 'UNKNOWN';

/** Polls until the deployment leaves *_IN_PROGRESS; prints it; 0 on *_COMPLETE, 1 otherwise. */
async function settle(client: OrchestratorClient, id: string, waitMs: number, json: boolean | undefined): Promise<number> {
  const deadline = Date.now() + waitMs;
  let d = await client.get(id);
  while (!settled(d.status)) {
    if (Date.now() > deadline) {
      print(d, json);
      process.stderr.write(`baton deployments: ${id} still ${d.status} after the wait\n`);
      return EXIT_WAIT_TIMEOUT;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
    d = await client.get(id);
  }
  print(d, json);
  return d.status.endsWith('_COMPLETE') ? 0 : 1;
}

/**
 * The log as it grows, ending once the deployment has settled (the events stream sends a
 * settled status only after the log lines written before it) or is deleted.
 */
async function followLog(client: OrchestratorClient, id: string): Promise<number> {
  let ended = '';
  await client.followEvents(id, (event) => {
    if (event.kind === 'log' && event.text !== undefined) process.stdout.write(`${event.text}\n`);
    if (event.kind === 'deleted') ended = 'deleted';
    if (event.kind === 'status' && event.status && settled(event.status)) ended = event.status;
    return ended ? 'stop' : undefined;
  });
  if (ended) process.stderr.write(`baton deployments: ${id} ${ended === 'deleted' ? 'was deleted' : `settled: ${ended}`}\n`);
  return 0;
}

/** Polls until the deployment is gone (404): 0; DELETE_FAILED: 1, with its reason. */
async function settleDelete(client: OrchestratorClient, id: string, waitMs: number): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    let d: DeploymentView;
    try {
      d = await client.get(id);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        process.stderr.write(`baton deployments: ${id} deleted\n`);
        return 0;
      }
      throw error;
    }
    if (d.status === 'DELETE_FAILED') {
      print(d, false);
      return 1;
    }
    if (Date.now() > deadline) {
      process.stderr.write(`baton deployments: ${id} still ${d.status} after the wait\n`);
      return EXIT_WAIT_TIMEOUT;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
