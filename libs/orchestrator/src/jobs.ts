// Every job name and its payload, in one typed map (STYLE.md rule 15). Payloads carry ids only:
// the state they act on is read from the store, so a replayed job sees the truth.
import { JobRegistryError } from './errors';

export interface JobPayloads {
  /** Choose a provider, create deployment-wide cloud objects, seed the instance steps. */
  'deployment.start': { deploymentId: string; generation: number };
  /** Provision and configure one node instance (or remove one, on scale-in). */
  'deployment.step': { deploymentId: string; generation: number; stepId: string };
  /** Compute outputs and finish the workflow (COMPLETE), or fail/clean and try the next provider. */
  'deployment.finish': { deploymentId: string; generation: number };
  /** Delete every recorded cloud object in reverse order; delete the row on success. */
  'deployment.undeploy': { deploymentId: string; generation: number; force: boolean };
  /** Start or stop one Compute instance. */
  'resource.action': { deploymentId: string; resourceId: string; action: 'start' | 'stop' | 'reboot' };
}

export type JobName = keyof JobPayloads;

/** Every job name; the worker checks that each has exactly one handler. */
export const JOB_NAMES: readonly JobName[] = [
  'deployment.start',
  'deployment.step',
  'deployment.finish',
  'deployment.undeploy',
  'resource.action',
];

export interface JobContext {
  jobId: string;
  /** 1-based attempt number of this run. */
  attempt: number;
  maxAttempts: number;
  /** Aborted when the worker closes: long steps stop and the job is retried elsewhere. */
  signal: AbortSignal;
}

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], context: JobContext) => Promise<void>;

/** A checked handler table: one handler per name, no more, no less. */
export type JobHandlers = { readonly [N in JobName]: JobHandler<N> };

export interface HandlerRegistration<N extends JobName = JobName> {
  name: N;
  handler: JobHandler<N>;
}

/** Builds the handler table, refusing a missing, duplicate or unknown name (naming the culprit). */
export function buildJobHandlers(registrations: ReadonlyArray<HandlerRegistration>): JobHandlers {
  const table = new Map<string, HandlerRegistration['handler']>();
  for (const { name, handler } of registrations) {
    if (!JOB_NAMES.includes(name)) throw new JobRegistryError(`unknown job name: ${String(name)}`);
    if (table.has(name)) throw new JobRegistryError(`duplicate handler for job ${name}`);
    table.set(name, handler);
  }
  const missing = JOB_NAMES.filter((n) => !table.has(n));
  if (missing.length) throw new JobRegistryError(`no handler for job(s): ${missing.join(', ')}`);
  return Object.fromEntries(table) as unknown as JobHandlers;
}

/** Typed helper to declare one registration. */
export function onJob<N extends JobName>(name: N, handler: JobHandler<N>): HandlerRegistration {
  return { name, handler } as unknown as HandlerRegistration;
}
