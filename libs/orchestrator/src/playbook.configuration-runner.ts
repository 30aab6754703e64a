// The configuration port over @lib/runner: each lifecycle operation is one playbook run over SSH,
// the operation inputs as extra vars. Values the playbook publishes with set_fact (or set_stats)
// become the operation's outputs (get_operation_output). A failure keeps the runner's typed
// error: workflow/failure.ts classifies it (an SSH connection refused while the host reboots
// stays retryable; a failed task does not). With IM's contract (op.im), the inventory holds every
// host of the deployment and the plays run on the node's own host, through our runner or, where
// it stops, ansible-playbook (confined by bubblewrap).
// The playbook reaches the worker through a template and its inputs come from a request, so the
// run is confined (libs/runner README, "Security model"): inputs are data (Ansible's !unsafe),
// localhost is the node's own machine and the worker runs nothing, hosts are reached only at the
// address, user and key given here, and files are read only from the playbook's folder.
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatEvent, inventoryFromServers, MemoryHostKeyStore, readYamlFile, RunnerError, runPlaybook, type HostKeyStore, type RunnerEvent } from '@lib/runner';
import { stringify } from 'yaml';
import { runWithAnsible } from './ansible/ansible-playbook.executor';
import { artifactProblem, resolveArtifactPath } from './artifact-path';
import type { ConfigurationRunner, OperationResult, OperationRun, SshTarget } from './configuration-runner.port';
import { imPlays, type ImInventory } from './im/im-contract';
import { classifyFailure, type Failure } from './workflow/failure';

export interface PlaybookRunnerOptions {
  /** Where the playbook paths of templates resolve (e.g. the repo's `templates/`); a template cannot name a file outside it. */
  artifactsDir: string;
  hostKeys?: HostKeyStore;
  connectTimeoutMs?: number;
  /** Confine ansible-playbook runs with bubblewrap (default true; BATON_ANSIBLE_SANDBOX). */
  sandbox?: boolean;
}

const PING = [{ name: 'wait for SSH', hosts: 'all', gather_facts: false, tasks: [{ name: 'ping', ping: {} }] }];

/** How long a lifecycle operation waits for its host's SSH (the host answered the wait already). */
const OPERATION_CONNECT_MS = 30_000;

/** The first failing task of a run: its runner error when there is one, else the task's message. */
function taskFailure(event: Extract<RunnerEvent, { type: 'task_end' }>): Failure {
  const what = `task "${event.task}" ${event.status}`;
  if (event.error) {
    const classified = classifyFailure(event.error);
    return { ...classified, message: `${what}: ${event.error.message}` };
  }
  return { code: 'playbook_failed', retryable: false, message: `${what}: ${event.msg ?? event.stderr ?? ''}`.trim() };
}

function imServers(inventory: ImInventory, privateKey: string) {
  const groupsOf = (host: string) => Object.entries(inventory.groups).filter(([, members]) => members.includes(host)).map(([g]) => g);
  return Object.entries(inventory.hosts).map(([name, vars]) => {
    const { ansible_host, ansible_port, ansible_user, ...rest } = vars;
    return { name, address: String(ansible_host), port: Number(ansible_port ?? 22), user: String(ansible_user), privateKey, groups: groupsOf(name), vars: rest };
  });
}

export class PlaybookConfigurationRunner implements ConfigurationRunner {
  private readonly hostKeys: HostKeyStore;

  constructor(private readonly options: PlaybookRunnerOptions) {
    this.hostKeys = options.hostKeys ?? new MemoryHostKeyStore();
  }

  async waitForSsh(target: SshTarget, options: { timeoutMs: number; signal: AbortSignal }): Promise<void> {
    let error: RunnerError | undefined;
    const result = await runPlaybook({
      playbook: PING,
      inventory: inventoryFromServers([{ name: target.host, address: target.host, port: target.port, user: target.user, privateKey: target.privateKey }]),
      signal: options.signal,
      localhost: 'node',
      confineFiles: [],
      hostKeys: this.hostKeys,
      onEvent: (event) => {
        if (event.type === 'task_end' && event.error) error ??= event.error;
      },
      connectDeadlineMs: Math.max(1000, options.timeoutMs),
      connectTimeoutMs: this.options.connectTimeoutMs,
    });
    if (result.ok) return;
    // The runner's own error says what happened (refused key, host key changed, refused, timed out).
    throw error ?? new RunnerError('ssh_connect_failed', `SSH on ${target.host}:${target.port} did not answer`, true);
  }

  checkPlaybook(playbook: string): string | undefined {
    return artifactProblem(this.options.artifactsDir, playbook);
  }

  async run(op: OperationRun): Promise<OperationResult> {
    const outputs: Record<string, unknown> = {};
    let failure: Failure | undefined;
    const last: { title?: string } = {};
    const onHost = op.im?.host;
    const onEvent = (event: RunnerEvent) => {
      const text = formatEvent(event, last).trim();
      for (const line of text.split('\n')) if (line.trim()) op.onLine(line);
      if (event.type !== 'task_end') return;
      // With every host in the inventory, only the operation's own host decides its outcome.
      if (onHost && event.host !== onHost) return;
      if (event.status === 'failed' || event.status === 'unreachable') {
        if (!event.ignored && !event.rescued) failure ??= taskFailure(event);
      }
      const facts = event.result.ansible_facts;
      if (/(^|\.)set_fact$/.test(event.module) && facts && typeof facts === 'object') Object.assign(outputs, facts);
      const stats = (event.result.ansible_stats as { data?: Record<string, unknown> } | undefined)?.data ?? (/(^|\.)set_stats$/.test(event.module) ? (event.result.data as Record<string, unknown> | undefined) : undefined);
      if (stats) Object.assign(outputs, stats);
    };
    try {
      if (op.im) return await this.runIm(op, op.im, onEvent, outputs, () => failure);
      const playbook = resolveArtifactPath(this.options.artifactsDir, op.playbook);
      const result = await runPlaybook({
        playbook,
        inventory: inventoryFromServers([{ name: op.target.host, address: op.target.host, port: op.target.port, user: op.target.user, privateKey: op.target.privateKey }]),
        unsafeVars: op.vars,
        localhost: 'node',
        confineFiles: [dirname(playbook)],
        signal: op.signal,
        onEvent,
        hostKeys: this.hostKeys,
        connectDeadlineMs: OPERATION_CONNECT_MS,
        connectTimeoutMs: this.options.connectTimeoutMs,
        commandTimeoutMs: op.timeoutMs,
        secrets: [op.target.privateKey],
      });
      if (result.ok) return { ok: true, outputs };
      return { ok: false, outputs, failure: failure ?? { code: 'playbook_failed', retryable: false, message: `exit code ${result.exitCode}` } };
    } catch (error) {
      // A playbook that cannot load (the runner's PlaybookError), an artifact outside the templates folder.
      if (error instanceof RunnerError) return { ok: false, outputs, failure: classifyFailure(error) };
      return { ok: false, outputs, failure: { code: 'playbook_failed', retryable: false, message: error instanceof Error ? error.message : String(error) } };
    }
  }

  private async runIm(op: OperationRun, im: NonNullable<OperationRun['im']>, onEvent: (e: RunnerEvent) => void, outputs: Record<string, unknown>, failure: () => Failure | undefined): Promise<OperationResult> {
    const plays = readYamlFile(op.playbook);
    if (!Array.isArray(plays)) return { ok: false, outputs, failure: { code: 'playbook_failed', retryable: false, message: `${basename(op.playbook)} is not a playbook (a list of plays)` } };
    const wrapped = imPlays(plays, im.host, im.inventory);
    let ok: boolean;
    let exitCode: number;
    if (op.executor === 'ansible-playbook') {
      // Beside the original, so that its relative paths (vars_files, templates/, files/) resolve alike.
      const path = join(dirname(op.playbook), `.baton-${basename(op.playbook)}`);
      writeFileSync(path, stringify(wrapped));
      const workDir = op.workDir ?? dirname(op.playbook);
      const result = await runWithAnsible({
        workDir,
        playbookPath: path,
        inventory: im.inventory,
        target: im.host,
        privateKey: op.target.privateKey,
        extraVars: op.vars,
        signal: op.signal,
        timeoutMs: op.timeoutMs,
        sandbox: this.options.sandbox ?? true,
        ...(op.check ? { check: true } : {}),
        onEvent: (e) => onEvent(redactEvent(e, op.target.privateKey)),
        onLine: (line) => op.onLine(line.split(op.target.privateKey).join('********')),
      });
      ok = result.ok;
      exitCode = result.exitCode;
    } else {
      const result = await runPlaybook({
        playbook: wrapped,
        baseDir: dirname(op.playbook),
        rolesPath: op.rolesPath,
        ...(op.check ? { check: true } : {}),
        inventory: inventoryFromServers(imServers(im.inventory, op.target.privateKey), { all: im.inventory.all }),
        unsafeVars: op.vars,
        localhost: 'node',
        // The inventory holds every instance (IM's groups): localhost is this operation's node.
        node: im.host,
        confineFiles: [op.workDir ?? dirname(op.playbook)],
        signal: op.signal,
        onEvent,
        hostKeys: this.hostKeys,
        connectDeadlineMs: OPERATION_CONNECT_MS,
        connectTimeoutMs: this.options.connectTimeoutMs,
        commandTimeoutMs: op.timeoutMs,
        secrets: [op.target.privateKey],
      });
      const mine = result.recap[im.host];
      ok = !!mine && mine.failed === 0 && mine.unreachable === 0;
      exitCode = result.exitCode;
    }
    return ok ? { ok: true, outputs } : { ok: false, outputs, failure: failure() ?? { code: 'playbook_failed', retryable: false, message: `exit code ${exitCode}` } };
  }
}

function redactEvent(event: RunnerEvent, secret: string): RunnerEvent {
  return JSON.parse(JSON.stringify(event).split(JSON.stringify(secret).slice(1, -1)).join('********')) as RunnerEvent;
}
