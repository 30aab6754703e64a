// The embedded configuration runner: records each operation instead of running it, and returns
// the outputs it was given for that playbook. It never claims to have configured anything: its
// log line says the operation was recorded, not run.
import type { ConfigurationRunner, OperationResult, OperationRun, SshTarget } from './configuration-runner.port';

/** What the recording runner answers for a playbook: ok (default) or a failure's text. */
export interface RecordedResult {
  ok?: boolean;
  outputs?: Record<string, unknown>;
  error?: string;
}

export interface RecordedOperation {
  label: string;
  playbook: string;
  host: string;
  vars: Record<string, unknown>;
}

export class RecordingConfigurationRunner implements ConfigurationRunner {
  readonly operations: RecordedOperation[] = [];

  constructor(
    private readonly results: Record<string, RecordedResult> = {},
    private readonly delayMs = 0,
  ) {}

  async waitForSsh(_target: SshTarget): Promise<void> {
    return;
  }

  async run(op: OperationRun): Promise<OperationResult> {
    this.operations.push({ label: op.label, playbook: op.playbook, host: op.target.host, vars: op.vars });
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const base = op.playbook.split('/').pop() ?? op.playbook;
    const result = this.results[base] ?? this.results[op.playbook] ?? {};
    op.onLine(`recorded ${op.label} (${base}) for ${op.target.host}: not executed by the recording runner`);
    const outputs = result.outputs ?? {};
    if (result.ok ?? true) return { ok: true, outputs };
    return { ok: false, outputs, failure: { code: 'playbook_failed', retryable: false, message: result.error ?? 'playbook failed' } };
  }
}
