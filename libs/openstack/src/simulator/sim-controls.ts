// What tests can change in a running simulator (the admin API): timings, injected faults,
// quotas, servers that fail, tokens that expire early, and addresses bound to reachable hosts.
import type { SimService } from './sim-http';

/** An injected fault: the next matching requests fail (with a status, or a dropped connection). */
export interface FaultSpec {
  /** Service to hit (all when absent). */
  service?: SimService;
  method?: string;
  /** Regular expression on the path below the service's version prefix, e.g. `^/servers$`. */
  path?: string;
  /**
   * `status`: answer `status` (default 500) without doing the work;
   * `drop`: close the connection before doing the work;
   * `drop_after`: do the work, then close the connection without answering (the lost answer).
   */
  mode?: 'status' | 'drop' | 'drop_after';
  status?: number;
  message?: string;
  /** Seconds for a Retry-After header (429/503). */
  retryAfterSeconds?: number;
  /** Fail this many matching requests, then stop (default 1). Ignored when `rate` is set. */
  times?: number;
  /** Fail this fraction (0..1) of matching requests, until cleared. */
  rate?: number;
}

export interface FaultRule extends FaultSpec {
  id: number;
  pattern?: RegExp;
  remaining: number;
  hits: number;
}

/** A server that will go to ERROR instead of ACTIVE. */
export interface ServerFailureSpec {
  /** Regular expression on the server name (all servers when absent). */
  namePattern?: string;
  /** Nova's fault message, e.g. "No valid host was found. ". */
  message?: string;
  /** How many servers fail (default 1). */
  times?: number;
}

export class SimControls {
  bootTimeMs: number;
  deleteTimeMs: number;
  volumeTimeMs: number;
  /** Per-name-pattern boot times, checked before the default. */
  readonly bootTimes: { pattern: RegExp; ms: number }[] = [];
  readonly latencyMs: Partial<Record<SimService | '*', number>> = {};
  readonly faults: FaultRule[] = [];
  readonly serverFailures: { pattern?: RegExp; message: string; remaining: number }[] = [];
  /** Addresses handed to new servers, in order (SSH-reachable hosts). */
  readonly addressPool: string[] = [];
  /** Counts of requests per service, and of injected faults. */
  readonly requests: Record<string, number> = {};
  readonly routeCounts: Record<string, number> = {};
  injected = 0;
  private nextFaultId = 1;

  constructor(options: { bootTimeMs?: number; deleteTimeMs?: number; volumeTimeMs?: number }) {
    this.bootTimeMs = options.bootTimeMs ?? 1000;
    // Real Nova deletes asynchronously: GET shows task_state `deleting` for a while, then 404.
    this.deleteTimeMs = options.deleteTimeMs ?? 300;
    this.volumeTimeMs = options.volumeTimeMs ?? 300;
  }

  addFault(spec: FaultSpec): number {
    const id = this.nextFaultId++;
    this.faults.push({ ...spec, id, pattern: spec.path ? new RegExp(spec.path) : undefined, remaining: spec.times ?? 1, hits: 0 });
    return id;
  }

  /** The fault to apply to this request, if any (consumes one of its `times`). */
  takeFault(service: SimService, method: string, path: string): FaultRule | undefined {
    for (const rule of this.faults) {
      if (rule.service && rule.service !== service) continue;
      if (rule.method && rule.method !== method) continue;
      if (rule.pattern && !rule.pattern.test(path)) continue;
      if (rule.rate !== undefined) {
        if (Math.random() >= rule.rate) continue;
      } else {
        if (rule.remaining <= 0) continue;
        rule.remaining--;
      }
      rule.hits++;
      this.injected++;
      return rule;
    }
    return undefined;
  }

  bootTimeFor(name: string): number {
    return this.bootTimes.find((b) => b.pattern.test(name))?.ms ?? this.bootTimeMs;
  }

  /** The fault message if this server is to fail (consumes one). */
  takeServerFailure(name: string): string | undefined {
    const rule = this.serverFailures.find((f) => f.remaining > 0 && (!f.pattern || f.pattern.test(name)));
    if (!rule) return undefined;
    rule.remaining--;
    return rule.message;
  }

  latencyFor(service: SimService): number {
    return this.latencyMs[service] ?? this.latencyMs['*'] ?? 0;
  }
}
