// The deployment's log (GET /log): timestamped lines in the store. Every line passes through
// the redactor first, so secret input values and keys never reach it (issue 5: "Secrets never
// in logs").
import type { DeploymentRow, DeploymentStore } from '../store.port';
import { secretForms } from './secret-forms';

/** What a hidden secret reads as, in logs, outputs and messages. */
export const SECRET_MASK = '****';

export class Redactor {
  private readonly forms: string[];

  constructor(secrets: string[]) {
    // Very short values would blank out ordinary words, so they are left alone. Each secret is
    // hidden in every spelling it takes in a log line (secret-forms.ts), longest first so a
    // form containing another is hidden whole.
    const kept = [...new Set(secrets.filter((s) => s.length >= 4))];
    this.forms = [...new Set(kept.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  }

  static forDeployment(row: Pick<DeploymentRow, 'parameters' | 'secretInputs'>, extra: string[] = []): Redactor {
    const values = row.secretInputs.map((k) => row.parameters[k]).filter((v) => v !== undefined && v !== null);
    return new Redactor([...values.flatMap(secretTexts), ...extra]);
  }

  /** Every string inside a JSON value redacted (outputs, which responses and callbacks carry). */
  redactValue(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redactValue(v)]));
    return value;
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.forms) out = out.split(s).join(SECRET_MASK);
    // Private key blocks, wherever they come from.
    return out.replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[private key redacted]');
  }
}

export class DeploymentLog {
  constructor(
    private readonly store: DeploymentStore,
    private readonly deploymentId: string,
    private readonly redactor: Redactor,
    private readonly clock: () => Date,
  ) {}

  async write(...lines: string[]): Promise<void> {
    const stamp = this.clock().toISOString();
    await this.store.appendLog(
      this.deploymentId,
      lines.flatMap((l) => this.redactor.redact(l).split('\n')).map((l) => `${stamp} ${l}`),
    );
  }
}

/** A secret value as the texts that may leak: itself (or its JSON) and, for a list or map, each leaf. */
function secretTexts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  const leaves = Array.isArray(value) ? value : value !== null && typeof value === 'object' ? Object.values(value) : [];
  return [JSON.stringify(value), ...leaves.flatMap(secretTexts)];
}
