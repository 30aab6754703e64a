// `baton playbook PLAYBOOK -i INVENTORY [-e k=v]... [--check] [--forks N]`: runs a playbook with
// libs/runner, prints Ansible's default output and exits as ansible-playbook does (0/2/4).
import { mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FileHostKeyStore, formatEvent, parseInventory, runPlaybook, RunnerError, type RunnerEvent } from '@lib/runner';

/** Host keys trusted on first use are kept here between runs, as ssh keeps ~/.ssh/known_hosts. */
const DEFAULT_KNOWN_HOSTS = join(homedir(), '.baton', 'known_hosts.json');

const USAGE = `usage: baton playbook PLAYBOOK -i INVENTORY [-e k=v|@file|JSON]... [--check] [--forks N]
                      [--limit PATTERN] [--tags T] [--skip-tags T] [-u USER] [--private-key FILE]
                      [--timeout SECONDS] [--known-hosts FILE] [--json]
  --known-hosts FILE   host key fingerprints trusted on first use, checked on later runs
                       (default ~/.baton/known_hosts.json)
`;

function extraVars(spec: string, into: Record<string, unknown>): void {
  if (spec.startsWith('@')) {
    const data = parseYaml(readFileSync(spec.slice(1), 'utf8')) as unknown;
    if (data && typeof data === 'object') Object.assign(into, data);
    return;
  }
  const trimmed = spec.trim();
  if (trimmed.startsWith('{')) {
    Object.assign(into, JSON.parse(trimmed) as Record<string, unknown>);
    return;
  }
  for (const m of trimmed.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
    const v = m[2];
    into[m[1]] = /^["']/.test(v) ? v.slice(1, -1) : v;
  }
}

export async function run(argv: string[]): Promise<number> {
  let playbook: string | undefined;
  let inventory: string | undefined;
  const vars: Record<string, unknown> = {};
  let check = false;
  let forks = 5;
  let limit: string | undefined;
  const tags: string[] = [];
  const skipTags: string[] = [];
  let user: string | undefined;
  let keyFile: string | undefined;
  let timeout: number | undefined;
  let json = false;
  let knownHosts = DEFAULT_KNOWN_HOSTS;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new TypeError(`${a} needs a value`);
      return v;
    };
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = () => inline ?? next();
    switch (flag) {
      case '-i':
      case '--inventory':
        inventory = value();
        break;
      case '-e':
      case '--extra-vars':
        extraVars(value(), vars);
        break;
      case '-C':
      case '--check':
        check = true;
        break;
      case '-f':
      case '--forks':
        forks = Number(value());
        break;
      case '-l':
      case '--limit':
        limit = value();
        break;
      case '-t':
      case '--tags':
        tags.push(...value().split(','));
        break;
      case '--skip-tags':
        skipTags.push(...value().split(','));
        break;
      case '-u':
      case '--user':
        user = value();
        break;
      case '--private-key':
      case '--key-file':
        keyFile = value();
        break;
      case '-T':
      case '--timeout':
        timeout = Number(value());
        break;
      case '--known-hosts':
        knownHosts = value();
        break;
      case '--json':
        json = true;
        break;
      case '-h':
      case '--help':
        process.stdout.write(USAGE);
        return 0;
      default:
        if (a.startsWith('-')) {
          process.stderr.write(`baton playbook: unknown option ${a}\n${USAGE}`);
          return 5;
        }
        if (playbook) {
          process.stderr.write(`baton playbook: one playbook at a time\n`);
          return 5;
        }
        playbook = a;
    }
  }
  if (!playbook || !inventory) {
    process.stderr.write(USAGE);
    return 5;
  }
  const inv = parseInventory(inventory);
  mkdirSync(dirname(knownHosts), { recursive: true, mode: 0o700 });
  const hostKeys = new FileHostKeyStore(knownHosts);
  if (user || keyFile) {
    for (const h of Object.values(inv.hosts)) {
      if (user && h.ansible_user === undefined) h.ansible_user = user;
      if (keyFile && h.ansible_ssh_private_key_file === undefined) h.ansible_ssh_private_key_file = keyFile;
    }
  }
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const last = {};
  const print = (e: RunnerEvent) => process.stdout.write(json ? `${JSON.stringify(e)}\n` : formatEvent(e, last));
  try {
    const result = await runPlaybook({
      playbook,
      inventory: inv,
      extraVars: vars,
      check,
      forks,
      limit,
      tags,
      skipTags,
      signal: controller.signal,
      onEvent: print,
      hostKeys,
      connectTimeoutMs: (timeout ?? 10) * 1000,
    });
    return result.exitCode;
  } catch (error) {
    if (error instanceof RunnerError) {
      process.stderr.write(`ERROR! ${error.message}\n`);
      // As ansible-playbook: parser errors (bad playbook, unknown module) exit 4, others 1.
      return error.code === 'unsupported_module' || error.code === 'playbook_invalid' || error.code === 'inventory_invalid' ? 4 : 1;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
