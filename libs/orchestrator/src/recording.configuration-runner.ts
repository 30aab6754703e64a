// The embedded configuration runner: records each operation instead of running it, and returns
// the outputs it was given for that playbook. It never claims to have configured anything: its
// log line says the operation was recorded, not run.
import type { ConfigurationRunner, OperationResult, OperationRun, SshTarget } from './configuration-runner.port';

export interface RecordedOperation {
  label: string;
  playbook: string;
  host: string;
  vars: Record<string, unknown>;
}

export class RecordingConfigurationRunner implements ConfigurationRunner {
  readonly operations: RecordedOperation[] = [];

  constructor(
    private readonly results: Record<string, Partial<OperationResult>> = {},
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
    return { ok: result.ok ?? true, outputs: result.outputs ?? {}, ...(result.error ? { error: result.error } : {}) };
  }
}
