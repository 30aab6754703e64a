// The callback POST (reference §1.3 "Callback"): the Deployment JSON without links, after
// submission, on completion and on failure. Errors are logged and swallowed; no retry.
import type { DeploymentRow } from '../store.port';
import { formatIndigoDate } from './indigo-date';

export interface CallbackNotifier {
  notify(row: DeploymentRow): Promise<void>;
}

/** The callback body, in the reference's shape (null members omitted). */
export function callbackBody(row: DeploymentRow): Record<string, unknown> {
  const body: Record<string, unknown> = {
    uuid: row.id,
    creationTime: formatIndigoDate(row.createdAt),
    updateTime: formatIndigoDate(row.updatedAt),
    status: row.status,
    statusReason: row.statusReason ?? undefined,
    outputs: row.outputs,
    task: row.task,
    callback: row.callback ?? undefined,
    userGroup: row.userGroup ?? undefined,
    physicalId: row.physicalId ?? undefined,
    cloudProviderName: row.providerName ?? undefined,
    cloudProviderEndpoint: row.providerEndpoint ?? undefined,
    createdBy: row.owner ? { issuer: row.owner.issuer, subject: row.owner.subject } : undefined,
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

export class HttpCallbackNotifier implements CallbackNotifier {
  constructor(
    private readonly log: (message: string) => void,
    private readonly timeoutMs = 10_000,
  ) {}

  async notify(row: DeploymentRow): Promise<void> {
    if (!row.callback) return;
    try {
      const response = await fetch(row.callback, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(callbackBody(row)),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) this.log(`callback to ${new URL(row.callback).origin} answered ${response.status}`);
    } catch (error) {
      this.log(`callback to ${safeOrigin(row.callback)} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
}
