// The one error family of libs/openstack (STYLE.md rule 13). Every failure a caller can see is an
// OpenStackError whose `code` says what happened and whose `transient` flag is the retry decision
// (rule 16): the orchestrator rethrows transient faults for BullMQ and turns the rest into
// UnrecoverableError. Messages carry the provider's own wording and request id, never a secret.

export type OpenStackErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'quota_exceeded'
  | 'rate_limited'
  | 'server_error'
  | 'http_error'
  | 'connection_failed'
  | 'timeout'
  | 'aborted'
  | 'resource_failed'
  | 'wait_timeout'
  | 'endpoint_not_found'
  | 'ambiguous_name'
  | 'invalid_response';

/** Base class: every error thrown by libs/openstack is one of these (`cause` kept). */
export class OpenStackError extends Error {
  constructor(
    readonly code: OpenStackErrorCode,
    message: string,
    /** True when the same call may succeed later (5xx, 429, connection reset, time-out). */
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** What an OpenStack API answered with a non-2xx status. */
export interface HttpFailure {
  status: number;
  /** The provider's message from its error body (Nova, Neutron, Keystone, Glance or Cinder format). */
  providerMessage: string;
  /** `x-openstack-request-id` (or `x-compute-request-id`), for the operator's logs. */
  requestId?: string;
  method: string;
  /** Service type and path without query string (the query may carry names, never secrets). */
  service: string;
  path: string;
  /** Seconds from a Retry-After header, if any. */
  retryAfterSeconds?: number;
}

/** The API answered with an error status; keeps status, provider message and request id. */
export class OpenStackHttpError extends OpenStackError {
  readonly status: number;
  readonly providerMessage: string;
  readonly requestId?: string;
  readonly retryAfterSeconds?: number;
  constructor(
    code: OpenStackErrorCode,
    readonly failure: HttpFailure,
  ) {
    const rid = failure.requestId ? ` (request ${failure.requestId})` : '';
    super(
      code,
      `${failure.service} ${failure.method} ${failure.path} failed with HTTP ${failure.status}: ${failure.providerMessage}${rid}`,
      failure.status >= 500 || failure.status === 429,
    );
    this.status = failure.status;
    this.providerMessage = failure.providerMessage;
    this.requestId = failure.requestId;
    this.retryAfterSeconds = failure.retryAfterSeconds;
  }
}

/** The connection failed or was reset before a full answer arrived. */
export class OpenStackConnectionError extends OpenStackError {
  constructor(
    readonly service: string,
    readonly method: string,
    readonly path: string,
    readonly errno: string,
    cause?: unknown,
  ) {
    super('connection_failed', `${service} ${method} ${path}: connection failed (${errno})`, true, { cause });
  }
}

/** A call ran past its time-out. */
export class OpenStackTimeoutError extends OpenStackError {
  constructor(what: string, readonly timeoutMs: number, cause?: unknown) {
    super('timeout', `${what}: no answer within ${timeoutMs} ms`, true, { cause });
  }
}

/** The caller's AbortSignal fired. Not transient: the caller asked to stop. */
export class OpenStackAbortedError extends OpenStackError {
  constructor(what: string, cause?: unknown) {
    super('aborted', `${what}: aborted`, false, { cause });
  }
}

/** A resource went to ERROR (server fault, volume error); the message is the provider's fault. */
export class OpenStackResourceError extends OpenStackError {
  constructor(
    readonly resourceType: string,
    readonly resourceId: string,
    readonly status: string,
    readonly faultMessage: string,
  ) {
    super('resource_failed', `${resourceType} ${resourceId} went to ${status}: ${faultMessage}`, false);
  }
}

/** Waiting for a status ran past its deadline. */
export class OpenStackWaitTimeoutError extends OpenStackError {
  constructor(
    readonly resourceType: string,
    readonly resourceId: string,
    readonly lastStatus: string,
    readonly timeoutMs: number,
  ) {
    super('wait_timeout', `${resourceType} ${resourceId} still ${lastStatus} after ${timeoutMs} ms`, true);
  }
}

/** The catalog has no endpoint for the service type, region and interface asked for. */
export class OpenStackEndpointNotFoundError extends OpenStackError {
  constructor(serviceType: string, region: string | undefined, iface: string) {
    super(
      'endpoint_not_found',
      `no ${iface} endpoint for service type "${serviceType}"${region ? ` in region "${region}"` : ''} in the catalog`,
      false,
    );
  }
}

/** A lookup by name found several resources (or none, for a required one). */
export class OpenStackNameLookupError extends OpenStackError {
  constructor(resourceType: string, name: string, count: number) {
    super(
      count === 0 ? 'not_found' : 'ambiguous_name',
      count === 0 ? `no ${resourceType} named "${name}"` : `${count} ${resourceType}s are named "${name}"`,
      false,
    );
  }
}

/** The API answered 2xx with a body we cannot read. */
export class OpenStackInvalidResponseError extends OpenStackError {
  constructor(what: string, detail: string) {
    super('invalid_response', `${what}: unexpected response (${detail})`, false);
  }
}
