// Nest metadata keys and the injection token of the auth pieces.

/** Injection token of the {@link Authenticator} the guard uses. */
export const AUTHENTICATOR = Symbol('baton.auth.Authenticator');
/** Route metadata: no authentication at all (`GET /`, health, metrics). */
export const PUBLIC_ROUTE = 'baton.auth.public';
/** Route metadata: a write scope is required (POST, PUT, PATCH, DELETE, actions). */
export const WRITE_ROUTE = 'baton.auth.write';
/** Where the guard leaves the caller on the request object. */
export const CALLER_KEY = 'caller';
