// Caches the Keystone token until shortly before it expires, and renews it at most once per
// concurrent wave: callers that arrive while a renewal runs share it (single flight).
import type { OpenStackAuth } from './auth.types';
import { authenticate, type KeystoneToken } from './keystone-auth';
import { OpenStackAbortedError } from './errors';
import type { HttpTransport } from './http.transport';

// Renew early so that a token never expires between our check and the service's: 2 minutes, or a
// tenth of the lifetime for short-lived tokens.
const MAX_MARGIN_MS = 120_000;

export class TokenManager {
  private current?: KeystoneToken;
  private pending?: Promise<KeystoneToken>;
  /** Number of successful Keystone logins, for tests and metrics. */
  issued = 0;

  constructor(
    private readonly transport: HttpTransport,
    private readonly authUrl: string,
    private readonly auth: OpenStackAuth,
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid token, from the cache or a fresh login. */
  get(signal: AbortSignal | undefined, timeoutMs: number): Promise<KeystoneToken> {
    const token = this.current;
    if (token && this.now() < token.expiresAt - margin(token)) return Promise.resolve(token);
    if (!this.pending) {
      // The login is shared by concurrent callers, so one caller's abort must not cancel it.
      this.pending = authenticate({ transport: this.transport, authUrl: this.authUrl, timeoutMs }, this.auth)
        .then((fresh) => {
          this.current = fresh;
          this.issued += 1;
          return fresh;
        })
        .finally(() => {
          this.pending = undefined;
        });
    }
    return signal ? raceAbort(this.pending, signal) : this.pending;
  }

  /** Drops the token if it is still the cached one (a 401 said it is no longer valid). */
  invalidate(token: KeystoneToken): void {
    if (this.current === token) this.current = undefined;
  }
}

function margin(token: KeystoneToken): number {
  return Math.min(MAX_MARGIN_MS, (token.expiresAt - token.issuedAt) / 10);
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new OpenStackAbortedError('identity login', signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new OpenStackAbortedError('identity login', signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
