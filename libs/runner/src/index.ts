// Public door of libs/runner (STYLE.md rule 2): an Ansible-compatible playbook runner over SSH.
// Named exports only; each has TSDoc with an example.

/**
 * Runs an Ansible playbook against an inventory over SSH (one connection per host, reused).
 * Resolves with the recap; never rejects for task failures (see `ok`/`exitCode`), only for a
 * playbook that cannot load (`PlaybookError`, `UnsupportedModuleError`).
 * @example
 * const result = await runPlaybook({
 *   playbook: 'site.yml',
 *   inventory: inventoryFromServers([{ name: 'web', address: '10.0.0.5', user: 'debian', privateKey }]),
 *   extraVars: { port: 8080 },
 *   forks: 20,
 *   signal: AbortSignal.timeout(600_000),
 *   onEvent: (e) => log.write(JSON.stringify(e)),
 * });
 * if (!result.ok) throw new Error(`failed on ${result.failedHosts.join(', ')}`);
 */
export { runPlaybook } from './exec/run-playbook';
/**
 * Options and result of {@link runPlaybook}.
 * @example
 * const options: RunPlaybookOptions = { playbook: 'site.yml', inventory: 'hosts.ini', check: true };
 * const { recap }: PlaybookResult = await runPlaybook(options);
 */
export type { RunPlaybookOptions, PlaybookResult } from './exec/run-playbook';

/**
 * Parses an Ansible inventory: INI or YAML text, a file path, or `host1,host2,`.
 * @example
 * const inv = parseInventory('[web]\nweb1 ansible_host=10.0.0.5 ansible_user=debian\n');
 * inv.groups.web.hosts; // ['web1']
 */
export { parseInventory } from './inventory/parse-inventory';
/**
 * The inventory model, and host-pattern selection as `hosts:` uses it.
 * @example
 * const inv: Inventory = { hosts: { a: {} }, groups: { all: { hosts: [], children: [], vars: {} } } };
 * selectHosts(inv, 'all:!b'); // ['a']
 */
export { selectHosts } from './inventory/inventory';
/**
 * Inventory and group types.
 * @example
 * const group: InventoryGroup = { hosts: ['web1'], children: [], vars: { http_port: 80 } };
 */
export type { Inventory, InventoryGroup } from './inventory/inventory';
/**
 * Builds an inventory from provisioned servers (address, user, key, optional bastion).
 * @example
 * const inv = inventoryFromServers(
 *   [{ name: 'db', address: '192.168.1.10', user: 'debian', privateKey, bastion: { address: '203.0.113.4', user: 'debian' } }],
 *   { all: { ansible_become: true } },
 * );
 */
export { inventoryFromServers } from './inventory/from-servers';
/**
 * One provisioned server for {@link inventoryFromServers}.
 * @example
 * const s: ServerSpec = { name: 'web', address: '10.0.0.5', user: 'debian', groups: ['web'] };
 */
export type { ServerSpec } from './inventory/from-servers';

/**
 * Generates an ed25519 key pair in OpenSSH formats (one per deployment).
 * @example
 * const { privateKey, publicKey } = generateKeyPair('deployment-42');
 * // publicKey goes to cloud-init / authorized_keys; privateKey stays in the vault.
 */
export { generateKeyPair } from './ssh/key-pair';
/**
 * A generated key pair.
 * @example
 * const pair: KeyPair = generateKeyPair();
 */
export type { KeyPair } from './ssh/key-pair';
/**
 * Host key stores for trust-on-first-use: in memory (export with toJSON) or a JSON file.
 * @example
 * const hostKeys = new MemoryHostKeyStore(saved);
 * await runPlaybook({ playbook, inventory, hostKeys });
 * save(hostKeys.toJSON());
 */
export { MemoryHostKeyStore, FileHostKeyStore } from './ssh/host-key-store';
/**
 * Where host key fingerprints are kept.
 * @example
 * const store: HostKeyStore = { get: (hp) => db.get(hp), set: (hp, fp) => db.set(hp, fp) };
 */
export type { HostKeyStore } from './ssh/host-key-store';

/**
 * Loads and checks a playbook (roles, imports, modules) without running it.
 * @example
 * const pb = loadPlaybook('site.yml'); // throws UnsupportedModuleError naming module and task
 * pb.plays.map((p) => p.name);
 */
export { loadPlaybook } from './playbook/load-playbook';
/**
 * Every construct of a playbook and its roles that this runner does not run (modules of
 * collections, `async`, strategies, unsupported lookups, ...), found without running anything,
 * so that a caller can choose another executor. A missing role or file still throws
 * `PlaybookError`. Entries marked `conditional` sit in files reached only through a templated
 * include name (`include: "{{ ansible_os_family }}.yml"`).
 * @example
 * const found = listUnsupported('site.yml', { rolesPath: ['/var/lib/baton/roles'] });
 * if (found.length) log(`runs with ansible-playbook: ${found[0].construct} in ${found[0].role ?? found[0].file}`);
 */
export { listUnsupported } from './playbook/unsupported';
/**
 * One construct reported by {@link listUnsupported}.
 * @example
 * const u: Unsupported = { construct: 'module apt_key', file: 'roles/docker/tasks/main.yml', task: 'add key', role: 'docker', conditional: false };
 */
export type { Unsupported } from './playbook/model';
/**
 * Reads a playbook or task file as ansible-playbook does (YAML 1.1 as PyYAML reads it).
 * @example
 * const plays = readYamlFile('site.yml') as unknown[];
 */
export { readYamlFile } from './playbook/load-playbook';
/**
 * The parsed playbook model.
 * @example
 * const plays: Play[] = loadPlaybook('site.yml').plays;
 */
export type { Playbook, Play } from './playbook/model';

/**
 * Ansible-format output: the PLAY RECAP block, per-event lines, and the exit code.
 * @example
 * process.stdout.write(formatRecap(result.recap));
 * const last = {};
 * onEvent: (e) => process.stdout.write(formatEvent(e, last));
 * exitCode(result.recap); // 0, 2 or 4
 */
export { formatRecap, formatEvent, exitCode } from './exec/report';
/**
 * Event stream and recap types.
 * @example
 * const onEvent = (e: RunnerEvent) => { if (e.type === 'task_end' && e.status === 'failed') alert(e.host); };
 * const s: HostStats = result.recap.web1;
 * const st: TaskStatus = 'changed';
 */
export type { RunnerEvent, HostStats, TaskStatus } from './exec/events';

/**
 * The error family of the runner (`code` says what happened; `transient` is the retry decision).
 * @example
 * try { await runPlaybook(opts); } catch (e) { if (e instanceof RunnerError && !e.transient) throw new UnrecoverableError(e.message); throw e; }
 */
export { RunnerError, PlaybookError, UnsupportedModuleError, InventoryError, TemplateError, SshError } from './errors';
/**
 * Error codes of {@link RunnerError}.
 * @example
 * const code: RunnerErrorCode = 'unsupported_module';
 */
export type { RunnerErrorCode } from './errors';
