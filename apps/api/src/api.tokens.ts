// Injection tokens of the API's composition root: the engine facade and the API's own options.
import type { DeploymentService } from '@lib/orchestrator';

/** The `DeploymentService` facade of libs/orchestrator. */
export const DEPLOYMENT_SERVICE = Symbol('DeploymentService');

/** What the API needs to know about its process (not the whole config). */
export const API_OPTIONS = Symbol('ApiOptions');

export interface ApiOptions {
  /** Reported by GET /info as `build.version`. */
  version: string;
  startedAt: Date;
  /** GET /configuration members (snake_case as in the reference), unset ones omitted. */
  endpoints: Partial<Record<'cpr_url' | 'slam_url' | 'cmdb_url' | 'im_url' | 'monitoring_url' | 'vault_url' | 'rucio_url', string>>;
  /** BATON_PUBLIC_URL: the external base URL of links; undefined = from the request and X-Forwarded-*. */
  publicUrl?: string;
  /**
   * With auth off: the host names served (`Host` checked, DNS rebinding refused with 421);
   * undefined = any (auth on).
   */
  hostNames?: readonly string[];
  /** Readiness probe: resolves when the store and queue answer; rejects with a reason otherwise. */
  ready: () => Promise<void>;
}

export type { DeploymentService };

/** The prom-client Registry shared by the API and the engine. */
export const METRICS_REGISTRY = Symbol('MetricsRegistry');


/** RFC 8693 delegation (DelegatedTokensService of libs/auth), or null. */
export const DELEGATION = Symbol('Delegation');

export interface Delegation {
  /** Exchanges the caller's access token for a refresh token kept sealed, unless one is still good. */
  delegate(owner: { issuer: string; subject: string }, subjectToken: string): Promise<void>;
}
