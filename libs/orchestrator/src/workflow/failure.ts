// Failures as data (STYLE.md rules 16 and 26): every way a step, a start or a finish can fail
// becomes `{code, retryable, message}` here, once, from the typed errors of the OpenStack client
// and the runner and the engine's own. The handlers decide retry-or-fail from `retryable`, the
// queue adapter decides BullMQ's UnrecoverableError from it, and finish reads `code` (never the
// message) to tell a time-out from another failure.
import { OpenStackError, type OpenStackErrorCode } from '@lib/openstack';
import { RunnerError, type RunnerErrorCode } from '@lib/runner';
import { CloudOperationError, OrchestratorError } from '../errors';

/** The engine's own failure codes; the cloud's and the runner's are prefixed with their lib. */
export type EngineFailureCode =
  /** The deployment's overall `timeoutMins` passed. */
  | 'deadline_exceeded'
  /** The provider attempt outlived `providerTimeoutMins`. */
  | 'provider_timeout'
  | 'provider_unconfigured'
  | 'credentials_unavailable'
  | 'no_fitting_flavor'
  | 'no_matching_image'
  | 'server_error'
  | 'boot_timeout'
  | 'ssh_endpoint_missing'
  | 'playbook_failed'
  | 'plan_mismatch'
  | 'cleanup_incomplete'
  | 'cloud_error'
  /** A newer workflow (update, delete) took over: the step stops, nothing failed. */
  | 'superseded'
  /** The worker is closing: another one resumes the job. */
  | 'aborted'
  | 'internal';

export type FailureCode = EngineFailureCode | `openstack_${OpenStackErrorCode}` | `runner_${RunnerErrorCode}`;

export interface Failure {
  code: FailureCode;
  /** True when the same work may succeed if run again (a 5xx, a refused connection while a host boots). */
  retryable: boolean;
  /** One line for the log and the status reason; never a secret. */
  message: string;
}

/** An engine failure raised with its classification already decided. */
export class WorkflowFailureError extends OrchestratorError {
  constructor(
    readonly failure: Failure,
    options?: { cause?: unknown },
  ) {
    super(failure.retryable ? 'step_failure' : 'permanent_step_failure', failure.message, options);
  }
}

/** Shorthand for a failure retrying cannot fix. */
export function permanent(code: EngineFailureCode, message: string, options?: { cause?: unknown }): WorkflowFailureError {
  return new WorkflowFailureError({ code, retryable: false, message }, options);
}

/** Shorthand for a failure a later try may not meet. */
export function retryable(code: EngineFailureCode, message: string, options?: { cause?: unknown }): WorkflowFailureError {
  return new WorkflowFailureError({ code, retryable: true, message }, options);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The one classification of anything thrown inside a job. */
export function classifyFailure(error: unknown): Failure {
  if (error instanceof WorkflowFailureError) return error.failure;
  // Stopped on purpose (the worker closes): the work is resumed, not failed.
  if ((error instanceof OpenStackError || error instanceof RunnerError) && error.code === 'aborted') return { code: 'aborted', retryable: true, message: error.message };
  if (error instanceof OpenStackError) return { code: `openstack_${error.code}`, retryable: error.transient, message: error.message };
  if (error instanceof RunnerError) return { code: `runner_${error.code}`, retryable: error.transient, message: error.message };
  if (error instanceof CloudOperationError) {
    // The adapter's wrapper: the OpenStack client's own error, when there is one, says what happened.
    if (error.cause instanceof OpenStackError) return { ...classifyFailure(error.cause), message: error.message };
    return { code: 'cloud_error', retryable: !error.permanent, message: error.message };
  }
  if (error instanceof OrchestratorError && error.code === 'permanent_step_failure') return { code: 'internal', retryable: false, message: error.message };
  if (error instanceof Error && error.name === 'AbortError') return { code: 'aborted', retryable: true, message: error.message };
  // Anything unforeseen (a dropped database connection, a bug) is retried: the jobs are idempotent.
  return { code: 'internal', retryable: true, message: messageOf(error) };
}
