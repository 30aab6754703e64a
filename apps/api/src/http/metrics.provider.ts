// Prometheus metrics of the API process. The registry is made by the composition root and shared
// with the engine, which records step durations, queue depth and cloud API calls in it; the API
// adds HTTP latencies and the count of deployments by status, read from the store at scrape time.
import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import { DEPLOYMENT_STATUSES, type DeploymentService, type DeploymentStatus } from '@lib/orchestrator';

export interface ApiMetrics {
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  httpErrors: Counter<'method' | 'route' | 'status'>;
}

/** Counts per status; a test can supply its own. */
export type StatusCounter = () => Promise<Partial<Record<DeploymentStatus, number>>>;

/** The engine's counters (no deployment row is read at scrape time). */
export function statusCounterFrom(deployments: DeploymentService): StatusCounter {
  return () => deployments.countByStatus();
}

/** Registers the API's metrics on `registry` (idempotent per registry). */
export function registerApiMetrics(registry: Registry, countByStatus: StatusCounter): ApiMetrics {
  const existing = registry.getSingleMetric('baton_http_request_duration_seconds');
  if (existing) {
    return {
      httpDuration: existing as Histogram<'method' | 'route' | 'status'>,
      httpErrors: registry.getSingleMetric('baton_http_errors_total') as Counter<'method' | 'route' | 'status'>,
    };
  }
  collectDefaultMetrics({ register: registry, prefix: 'baton_' });
  new Gauge({
    name: 'baton_deployments',
    help: 'Deployments by status.',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = await countByStatus();
      for (const status of DEPLOYMENT_STATUSES) this.set({ status }, counts[status] ?? 0);
    },
  });
  return {
    httpDuration: new Histogram({
      name: 'baton_http_request_duration_seconds',
      help: 'HTTP request latency by route.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    httpErrors: new Counter({
      name: 'baton_http_errors_total',
      help: 'HTTP answers with status >= 500.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
  };
}
