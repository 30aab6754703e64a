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
  /** False = the local no-auth mode: every caller is the one local user and every row is visible. */
  authEnabled: boolean;
  /** Readiness probe: resolves when the store and queue answer; rejects with a reason otherwise. */
  ready: () => Promise<void>;
}

export type { DeploymentService };

/** The prom-client Registry shared by the API and the engine. */
export const METRICS_REGISTRY = Symbol('MetricsRegistry');

/** Verifies a request's `Authorization` header (libs/auth); null = the local no-auth mode. */
export const AUTHENTICATOR = Symbol('Authenticator');

export interface Authenticator {
  /**
   * Resolves the caller or throws the auth lib's error (mapped to 401/403 by the filter).
   * `write` asks for the write scope (`offline_access` or `fts:submit-transfer`).
   */
  authenticate(authorization: string | undefined, options: { write: boolean }): Promise<import('./http/caller.decorator').Caller>;
}
