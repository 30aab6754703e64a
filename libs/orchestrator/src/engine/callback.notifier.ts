// The callback POST (reference §1.3 "Callback"): the Deployment JSON without links, after
// submission, on completion and on failure. Errors are logged and swallowed; no retry.
// The destination is checked by CallbackPolicy and the POST connects to the checked address;
// redirects are not followed (a 307 would re-POST the body to wherever it points); a URL's
// credentials are sent as HTTP Basic and never appear in a log line.
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { DeploymentRow } from '../store.port';
import { CallbackPolicy, CallbackRefusedError, maskUrl, type CheckedCallback } from './callback-policy';
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

/** Where the notifier reports what went wrong: the deployment and one line, URLs already masked. */
export type CallbackLog = (row: DeploymentRow, message: string) => void;

export class HttpCallbackNotifier implements CallbackNotifier {
  constructor(
    private readonly log: CallbackLog,
    private readonly policy: CallbackPolicy = new CallbackPolicy({ hosts: null, privateNetworks: [] }),
    private readonly timeoutMs = 10_000,
  ) {}

  async notify(row: DeploymentRow): Promise<void> {
    if (!row.callback) return;
    const shown = maskUrl(row.callback);
    try {
      const target = await this.policy.resolve(row.callback);
      const status = await this.post(target, JSON.stringify(callbackBody(row)));
      if (status >= 300 && status < 400) this.log(row, `callback to ${shown} answered ${status}; redirects are not followed`);
      else if (status >= 400) this.log(row, `callback to ${shown} answered ${status}`);
    } catch (error) {
      const reason = error instanceof CallbackRefusedError ? error.message : `callback to ${shown} failed: ${describe(error)}`;
      this.log(row, scrub(reason, row.callback));
    }
  }

  /** One POST to the checked address; resolves with the status, the answer's body discarded. */
  private post(target: CheckedCallback, body: string): Promise<number> {
    const { url, address, family } = target;
    // The socket goes to the address CallbackPolicy checked, whatever a second lookup would say.
    const pinned: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const options: RequestOptions = {
      method: 'POST',
      lookup: pinned,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      timeout: this.timeoutMs,
      ...(url.username || url.password ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {}),
    };
    // The URL without its credentials (they travel in `auth`, as an Authorization header).
    const bare = new URL(url.href);
    bare.username = '';
    bare.password = '';
    return new Promise((resolve, reject) => {
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(bare, options, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on('close', () => clearTimeout(deadline));
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whatever a lower layer put in a message, the raw URL and its password never leave here. */
function scrub(message: string, raw: string): string {
  let out = message.split(raw).join(maskUrl(raw));
  try {
    const { password, username } = new URL(raw);
    for (const secret of [password, decodeURIComponent(password), `${username}:${password}`]) if (secret.length > 0) out = out.split(secret).join('****');
  } catch {
    // not a URL: nothing more to hide
  }
  return out;
}
