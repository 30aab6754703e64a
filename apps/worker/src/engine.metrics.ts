// Prometheus metrics of the engine, recorded at the composition seams (the job runner and the
// cloud port) so that libs/orchestrator stays free of any metrics library: job (step) durations
// by name and outcome, cloud API calls and errors by provider and operation, queue depth.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CloudProvider, CloudSession, JobHandlers, JobName, JobRunner } from '@lib/orchestrator';

export interface EngineMetrics {
  jobDuration: Histogram<'job' | 'outcome'>;
  cloudCalls: Counter<'provider' | 'operation'>;
  cloudErrors: Counter<'provider' | 'operation'>;
}

export function registerEngineMetrics(registry: Registry, jobs: JobRunner): EngineMetrics {
  new Gauge({
    name: 'baton_queue_depth',
    help: 'Jobs by queue state (waiting, active, delayed, failed...).',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      for (const [state, count] of Object.entries(await jobs.counts())) this.set({ state }, count);
    },
  });
  return {
    jobDuration: new Histogram({
      name: 'baton_step_duration_seconds',
      help: 'Duration of workflow jobs (deployment.start, deployment.step, ...) by outcome.',
      labelNames: ['job', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
      registers: [registry],
    }),
    cloudCalls: new Counter({ name: 'baton_cloud_api_calls_total', help: 'Cloud API operations by provider.', labelNames: ['provider', 'operation'], registers: [registry] }),
    cloudErrors: new Counter({ name: 'baton_cloud_api_errors_total', help: 'Failed cloud API operations by provider.', labelNames: ['provider', 'operation'], registers: [registry] }),
  };
}

/** The same runner, whose workers time every job. */
export function timedJobRunner(jobs: JobRunner, metrics: EngineMetrics): JobRunner {
  return new Proxy(jobs, {
    get(target, property, receiver) {
      if (property !== 'startWorker') return Reflect.get(target, property, receiver) as unknown;
      return (handlers: JobHandlers, options: Parameters<JobRunner['startWorker']>[1]) => {
        const timed = Object.fromEntries(
          (Object.keys(handlers) as JobName[]).map((job) => {
            const handler = handlers[job] as (payload: unknown, context: unknown) => Promise<void>;
            return [
              job,
              async (payload: unknown, context: unknown) => {
                const end = metrics.jobDuration.startTimer({ job });
                try {
                  await handler(payload, context);
                  end({ outcome: 'ok' });
                } catch (error) {
                  end({ outcome: 'error' });
                  throw error;
                }
              },
            ];
          }),
        ) as unknown as JobHandlers;
        return target.startWorker(timed, options);
      };
    },
  });
}

/** The same provider, whose sessions count every operation and every failure. */
export function countedProvider(provider: CloudProvider, metrics: EngineMetrics): CloudProvider {
  return new Proxy(provider, {
    get(target, property, receiver) {
      if (property !== 'open') return Reflect.get(target, property, receiver) as unknown;
      return async (context: Parameters<CloudProvider['open']>[0]): Promise<CloudSession> => {
        const session = await target.open(context);
        return new Proxy(session, {
          get(s, operation, r) {
            const value = Reflect.get(s, operation, r) as unknown;
            if (typeof value !== 'function' || operation === 'close') return value;
            return async (...args: unknown[]) => {
              const labels = { provider: target.name, operation: String(operation) };
              metrics.cloudCalls.inc(labels);
              try {
                return await (value as (...a: unknown[]) => Promise<unknown>).apply(s, args);
              } catch (error) {
                metrics.cloudErrors.inc(labels);
                throw error;
              }
            };
          },
        });
      };
    },
  });
}
