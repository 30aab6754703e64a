// runPlaybook: loads the playbook (every module checked first), then runs plays in order over
// one SSH connection per host, and returns the recap.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { hostGroups, selectHosts, type Inventory } from '../inventory/inventory';
import { parseInventory } from '../inventory/parse-inventory';
import { hostVarLayers, type VarsDirs } from '../inventory/vars-dirs';
import { loadPlaybook, readYamlFile } from '../playbook/load-playbook';
import type { Playbook } from '../playbook/model';
import { MemoryHostKeyStore, type HostKeyStore } from '../ssh/host-key-store';
import { HostFiles } from '../confine/host-files';
import { inventoryConnectionVars, mapLocalhost, nodeHostOf, RefusingTarget, type LocalhostPolicy } from '../confine/localhost';
import { HostRefusedError } from '../errors';
import { LocalTarget } from '../ssh/local-target';
import type { CommandTarget } from '../ssh/target';
import { isMapping } from '../template/python';
import { Templater } from '../template/templater';
import { unsafeLayer } from '../template/unsafe';
import { connectHost } from './connect';
import { collectSecrets, type HostStats, type RunnerEvent } from './events';
import { HostState } from './host-state';
import { LockstepBarrier } from './lockstep-barrier';
import { PlayRunner } from './play-runner';
import { exitCode } from './report';
import type { PlayContext, RunContext } from './run-context';
import { Semaphore } from './semaphore';

export interface RunPlaybookOptions {
  /** A playbook file path, an already parsed playbook (list of plays), or a loaded Playbook. */
  playbook: string | unknown[] | Playbook;
  /** Inventory object, or INI/YAML inventory text or file path. */
  inventory: Inventory | string;
  /** `-e` variables: highest precedence. */
  extraVars?: Record<string, unknown>;
  /**
   * Variables that are data, as Ansible's `!unsafe` (values from a request: operation inputs,
   * template properties): extra-vars precedence, over `extraVars`; never templated, at any depth,
   * nor when they flow through loops, `set_fact` or registered results.
   */
  unsafeVars?: Record<string, unknown>;
  /** `--check`: report what would change, change nothing. */
  check?: boolean;
  /** Hosts running a task at the same time (default 5, as Ansible). */
  forks?: number;
  /** Aborting kills the remote commands and stops the run. */
  signal?: AbortSignal;
  /** Receives every event (task start/end per host, recap); secrets are already redacted. */
  onEvent?: (event: RunnerEvent) => void;
  tags?: string[];
  skipTags?: string[];
  /** `--limit` host pattern. */
  limit?: string;
  /** Host key fingerprints, trusted on first use (default: a new in-memory store). */
  hostKeys?: HostKeyStore;
  /** Retry connecting until this many ms have passed (hosts still booting). Default 0. */
  connectDeadlineMs?: number;
  connectTimeoutMs?: number;
  /** SSH keep-alive interval in ms (default 15 s; 0 turns keep-alives off). */
  keepaliveIntervalMs?: number;
  /** Time-out of each remote command unless the task sets `timeout`. */
  commandTimeoutMs?: number;
  /** Private key used for hosts whose variables name none. */
  privateKey?: string;
  /** More values to mask in events (passwords, tokens). */
  secrets?: string[];
  /** Relative playbook paths resolve from here when `playbook` is a parsed list. */
  baseDir?: string;
  rolesPath?: string[];
  /** Folder whose group_vars/ and host_vars/ apply as the inventory's (default: the inventory file's). */
  inventoryDir?: string;
  /**
   * What `localhost` means (confine/localhost.ts). 'controller' (default; `baton playbook`, as
   * ansible-playbook): this machine. 'node' (the orchestrator's runs, IM's contract): the node's
   * own machine (`node`); this machine then runs nothing, `connection: local` is ignored, and
   * hosts are reached only at the address, port, user, key and bastion of the inventory.
   */
  localhost?: LocalhostPolicy;
  /** The inventory host `localhost` stands for under localhost 'node' (default: the only host). */
  node?: string;
  /**
   * Folders the run may read files of this machine from (confine/host-files.ts): `src:`, lookups,
   * `include_vars`, `vars_files`, `include_tasks`; `rolesPath` is added. Paths with `..`, absolute
   * paths and symbolic links leading out are refused, and so is lookup('env'). Default: unconfined.
   */
  confineFiles?: string[];
}

export interface PlaybookResult {
  /** True when no host failed or was unreachable. */
  ok: boolean;
  /** ansible-playbook's exit code: 0, 2 (failed hosts) or 4 (unreachable hosts). */
  exitCode: 0 | 2 | 4;
  recap: Record<string, HostStats>;
  /** Hosts that failed or were unreachable. */
  failedHosts: string[];
  unreachableHosts: string[];
  durationMs: number;
}

function loadVarsFiles(files: string[], dir: string, templater: Templater, vars: Record<string, unknown>, hostFiles: HostFiles): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const scope = templater.scope(vars);
  for (const f of files) {
    const name = String(templater.template(f, scope));
    const path = isAbsolute(name) ? name : join(dir, name);
    const data = existsSync(path) ? readYamlFile(hostFiles.check(path, 'vars_files', name)) : undefined;
    if (!isMapping(data)) throw new Error(`vars_files: ${name} not found or not a mapping`);
    Object.assign(out, data);
  }
  return out;
}

export async function runPlaybook(options: RunPlaybookOptions): Promise<PlaybookResult> {
  const started = Date.now();
  const playbook: Playbook =
    typeof options.playbook === 'object' && !Array.isArray(options.playbook) ? options.playbook : loadPlaybook(options.playbook, { dir: options.baseDir, rolesPath: options.rolesPath });
  const inventory = typeof options.inventory === 'string' ? parseInventory(options.inventory) : options.inventory;
  const files = new HostFiles(options.confineFiles ? [...options.confineFiles, ...(options.rolesPath ?? [])] : undefined);
  const templater = new Templater({ files });
  const nodeMode = options.localhost === 'node';
  const nodeHost = nodeMode ? nodeHostOf(inventory, options.node) : undefined;
  const secrets = new Set<string>(options.secrets ?? []);
  if (options.privateKey) collectSecrets({ private_key: options.privateKey }, secrets);
  collectSecrets(options.extraVars ?? {}, secrets);
  collectSecrets(options.unsafeVars ?? {}, secrets);
  const hosts = new Map<string, HostState>();
  const varsDirs: VarsDirs = { inventoryDir: options.inventoryDir ?? inventory.dir, playbookDir: playbook.dir };
  const newHost = (name: string): HostState => {
    const layers = hostVarLayers(inventory, name, varsDirs);
    const h = new HostState(name, layers.hostVars, layers.groupLayers, inventory.hosts[name] ? hostGroups(inventory, name) : []);
    hosts.set(name, h);
    collectSecrets(h.inventoryVars, secrets);
    for (const layer of h.groupLayers) collectSecrets(layer, secrets);
    return h;
  };
  for (const name of Object.keys(inventory.hosts)) newHost(name);
  const emit = (e: RunnerEvent) => options.onEvent?.(e);
  const hostKeys = options.hostKeys ?? new MemoryHostKeyStore();
  const local = nodeMode ? new RefusingTarget() : new LocalTarget();
  const extraVars = { ...(options.extraVars ?? {}), ...unsafeLayer(options.unsafeVars ?? {}) };
  let currentPlay: PlayContext | undefined;
  const run: RunContext = {
    templater,
    inventory,
    hosts,
    extraVars,
    check: options.check === true,
    forks: new Semaphore(options.forks ?? 5),
    signal: options.signal,
    emit,
    secrets,
    local,
    files,
    localhost: () => (nodeHost === undefined ? Promise.resolve(local) : run.connect(hosts.get(nodeHost)!)),
    commandTimeoutMs: options.commandTimeoutMs,
    tags: options.tags ?? [],
    skipTags: options.skipTags ?? [],
    playbookDir: playbook.dir,
    runOnce: new Map(),
    connect: (host: HostState): Promise<CommandTarget> => {
      host.target ??= (async () => {
        // localhost 'node': the inventory's own values only, as data (no play, task or input overrides them).
        if (nodeMode && !inventory.hosts[host.name]) throw new HostRefusedError(`'${host.name}' is not a host of the inventory; a playbook run by the orchestrator reaches only the deployment's hosts`);
        const vars = nodeMode
          ? unsafeLayer({ ...inventoryConnectionVars(inventory, host.name, host.groups), inventory_hostname: host.name })
          : { ...Object.assign({}, ...host.groupLayers), ...host.inventoryVars, ...(currentPlay?.play.vars ?? {}), ...extraVars, inventory_hostname: host.name };
        return connectHost(host.name, templater.scope(vars), {
          hostKeys,
          connectDeadlineMs: options.connectDeadlineMs,
          connectTimeoutMs: options.connectTimeoutMs,
          keepaliveIntervalMs: options.keepaliveIntervalMs,
          signal: options.signal,
          privateKey: options.privateKey,
        }, !nodeMode);
      })();
      // A failed connection is not cached: the next play may try again, as Ansible does.
      host.target.catch(() => (host.target = undefined));
      return host.target;
    },
  };
  const limit = options.limit ? new Set(selectHosts(inventory, options.limit)) : undefined;
  const used = new Set<string>();
  try {
    for (const [index, play] of playbook.plays.entries()) {
      if (options.signal?.aborted) break;
      const pattern = String(templater.template(play.hosts, templater.scope(extraVars)));
      const matched = selectHosts(inventory, pattern);
      const selected = (nodeHost === undefined ? matched : mapLocalhost(matched, inventory, nodeHost)).filter((h) => !limit || limit.has(h));
      for (const h of selected) if (!hosts.has(h)) newHost(h);
      const names = selected.filter((h) => hosts.get(h)!.active || (!hosts.get(h)!.failed && !hosts.get(h)!.unreachable));
      const pc: PlayContext = { run, play, index, hosts: names, varsFilesVars: {}, barrier: new LockstepBarrier(names), dynamicRoles: [], roleVarsCache: new Map() };
      currentPlay = pc;
      emit({ type: 'play_start', play: play.name, hosts: names });
      pc.varsFilesVars = loadVarsFiles(play.varsFiles, play.dir, templater, { ...play.vars, ...extraVars }, files);
      collectSecrets(play.vars, secrets);
      collectSecrets(pc.varsFilesVars, secrets);
      const runner = new PlayRunner(pc);
      for (const h of names) used.add(h);
      await Promise.all(names.map((h) => runner.runHost(hosts.get(h)!)));
      emit({ type: 'play_end', play: play.name });
    }
  } finally {
    await Promise.all([...hosts.values()].map(async (h) => {
      const t = await h.target?.catch(() => undefined);
      await t?.close();
    }));
  }
  const recap: Record<string, HostStats> = {};
  for (const h of used) recap[h] = hosts.get(h)!.stats;
  emit({ type: 'recap', recap });
  const code = exitCode(recap);
  return {
    ok: code === 0,
    exitCode: code,
    recap,
    failedHosts: [...used].filter((h) => recap[h].failed > 0),
    unreachableHosts: [...used].filter((h) => recap[h].unreachable > 0),
    durationMs: Date.now() - started,
  };
}
