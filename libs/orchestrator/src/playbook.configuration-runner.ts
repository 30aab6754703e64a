// The configuration port over @lib/runner: each lifecycle operation is one playbook run against
// one host over SSH, the operation inputs as extra vars. Values the playbook publishes with
// set_fact (or set_stats) become the operation's outputs (get_operation_output).
import { formatEvent, inventoryFromServers, MemoryHostKeyStore, runPlaybook, type HostKeyStore, type RunnerEvent } from '@lib/runner';
import { resolveArtifactPath } from './artifact-path';
import type { ConfigurationRunner, OperationResult, OperationRun, SshTarget } from './configuration-runner.port';

export interface PlaybookRunnerOptions {
  /** Where the playbook paths of templates resolve (e.g. the repo's `templates/`); a template cannot name a file outside it. */
  artifactsDir: string;
  hostKeys?: HostKeyStore;
  connectTimeoutMs?: number;
}

const PING = [{ name: 'wait for SSH', hosts: 'all', gather_facts: false, tasks: [{ name: 'ping', ping: {} }] }];

export class PlaybookConfigurationRunner implements ConfigurationRunner {
  private readonly hostKeys: HostKeyStore;

  constructor(private readonly options: PlaybookRunnerOptions) {
    this.hostKeys = options.hostKeys ?? new MemoryHostKeyStore();
  }

  async waitForSsh(target: SshTarget, options: { deadline: Date; signal: AbortSignal }): Promise<void> {
    const result = await runPlaybook({
      playbook: PING,
      inventory: inventoryFromServers([{ name: target.host, address: target.host, port: target.port, user: target.user, privateKey: target.privateKey }]),
      signal: options.signal,
      hostKeys: this.hostKeys,
      connectDeadlineMs: Math.max(1000, options.deadline.getTime() - Date.now()),
      connectTimeoutMs: this.options.connectTimeoutMs,
    });
    if (!result.ok) throw new Error(`SSH on ${target.host}:${target.port} did not answer before ${options.deadline.toISOString()}`);
  }

  async run(op: OperationRun): Promise<OperationResult> {
    const outputs: Record<string, unknown> = {};
    let failure: string | undefined;
    const last: { title?: string } = {};
    const onEvent = (event: RunnerEvent) => {
      const text = formatEvent(event, last).trim();
      for (const line of text.split('\n')) if (line.trim()) op.onLine(line);
      if (event.type !== 'task_end') return;
      if (event.status === 'failed' || event.status === 'unreachable') {
        if (!event.ignored && !event.rescued) failure ??= `task "${event.task}" ${event.status}: ${event.msg ?? event.stderr ?? ''}`.trim();
      }
      const facts = event.result.ansible_facts;
      if (event.module === 'set_fact' && facts && typeof facts === 'object') Object.assign(outputs, facts);
      const stats = (event.result.ansible_stats as { data?: Record<string, unknown> } | undefined)?.data ?? (event.module === 'set_stats' ? (event.result.data as Record<string, unknown> | undefined) : undefined);
      if (stats) Object.assign(outputs, stats);
    };
    try {
      const playbook = resolveArtifactPath(this.options.artifactsDir, op.playbook);
      const result = await runPlaybook({
        playbook,
        inventory: inventoryFromServers([{ name: op.target.host, address: op.target.host, port: op.target.port, user: op.target.user, privateKey: op.target.privateKey }]),
        extraVars: op.vars,
        signal: op.signal,
        onEvent,
        hostKeys: this.hostKeys,
        connectDeadlineMs: 30_000,
        connectTimeoutMs: this.options.connectTimeoutMs,
        commandTimeoutMs: op.timeoutMs,
        secrets: [op.target.privateKey],
      });
      return result.ok ? { ok: true, outputs } : { ok: false, outputs, error: failure ?? `exit code ${result.exitCode}` };
    } catch (error) {
      return { ok: false, outputs, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
