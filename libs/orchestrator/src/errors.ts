// The one error family of libs/orchestrator (STYLE.md rule 13). The API maps `code` to an HTTP
// status with an exhaustive switch (rule 14); messages are the reference's wording where it has one.
import type { Diagnostic } from '@lib/tosca';

export type OrchestratorErrorCode =
  | 'deployment_not_found'
  | 'resource_not_found'
  | 'template_invalid'
  | 'input_invalid'
  | 'invalid_request'
  | 'state_conflict'
  | 'concurrent_update'
  | 'provider_error'
  | 'permanent_step_failure'
  | 'step_failure'
  | 'plan_rejected'
  | 'cloud_error'
  | 'job_registry_invalid';

/** Base class: every error thrown by libs/orchestrator is one of these (`cause` kept). */
export class OrchestratorError extends Error {
  constructor(
    readonly code: OrchestratorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** 404 `The deployment <ID> doesn't exist`. */
export class DeploymentNotFoundError extends OrchestratorError {
  constructor(readonly deploymentId: string) {
    super('deployment_not_found', `The deployment ${deploymentId} doesn't exist`);
  }
}

/** 404 on GET one resource; the action route answers 400 with `message400`. */
export class ResourceNotFoundError extends OrchestratorError {
  constructor(
    readonly deploymentId: string,
    readonly resourceId: string,
  ) {
    super('resource_not_found', `The resource ${resourceId} in deployment ${deploymentId} doesn't exist`);
  }
  /** The reference's wording when an action names an unknown resource (400). */
  get message400(): string {
    return `Resource ${this.resourceId} not found in deployment ${this.deploymentId}`;
  }
}

/** The compiler found errors: every diagnostic is carried (API: 400 on POST/PUT and on validate). */
export class TemplateInvalidError extends OrchestratorError {
  constructor(readonly diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super(
      'template_invalid',
      `Error parsing TOSCA template template:\n${errors.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`).join('\n')}`,
    );
  }
}

/** A required input is missing or an input has the wrong type (400). */
export class InputInvalidError extends OrchestratorError {
  constructor(message: string, readonly diagnostics: Diagnostic[] = []) {
    super('input_invalid', message);
  }
}

/** A malformed request the API did not catch, e.g. providerTimeoutMins > timeoutMins (400). */
export class InvalidRequestError extends OrchestratorError {
  constructor(message: string) {
    super('invalid_request', message);
  }
}

/** The deployment's status forbids the operation (409), e.g. `Cannot update a deployment in <S> state`. */
export class StateConflictError extends OrchestratorError {
  constructor(message: string) {
    super('state_conflict', message);
  }
}

/** Optimistic-lock loss (409 with `Retry-After: 0`). */
export class ConcurrentUpdateError extends OrchestratorError {
  constructor(options?: { cause?: unknown }) {
    super(
      'concurrent_update',
      "The request couldn't be fulfilled because of a concurrent update. Please retry later",
      options,
    );
  }
}

/** A cloud provider failed a deployment attempt (the engine may try the next provider). */
export class ProviderError extends OrchestratorError {
  constructor(message: string, readonly provider: string, options?: { cause?: unknown; permanent?: boolean }) {
    super('provider_error', message, options);
    this.permanent = options?.permanent ?? false;
  }
  readonly permanent: boolean;
}

/** One problem a plan check found (workflow/plan-checks.ts): what, where, and why. */
export interface PlanProblem {
  /** Stable snake_case code of the check's finding (`artifact_not_found`, `reserved_input`...). */
  code: string;
  message: string;
  /** The node template, and the operation (`Standard.configure`), when the problem sits on one. */
  node?: string;
  operation?: string;
}

/** The planner's checks refused the plan before anything was stored or created (API: 400). */
export class PlanRejectedError extends OrchestratorError {
  constructor(readonly problems: PlanProblem[]) {
    super('plan_rejected', problems.map((p) => `${[p.node, p.operation].filter(Boolean).join(' ')}${p.node || p.operation ? ': ' : ''}${p.message}`).join('\n'));
  }
}

/** The worker refuses to boot: a job name has no handler or two handlers. */
export class JobRegistryError extends OrchestratorError {
  constructor(message: string) {
    super('job_registry_invalid', message);
  }
}

/** A cloud call failed. `permanent` (quota, 401/403, bad request) stops retries; the rest are retried. */
export class CloudOperationError extends OrchestratorError {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super('cloud_error', message, options);
  }
}
