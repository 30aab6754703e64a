// Public door of libs/openstack (STYLE.md rule 2). Named exports only.

/**
 * The OpenStack client: Keystone v3 auth with a token cache, and Nova, Neutron, Glance and
 * Cinder clients sharing one session (retries, time-outs, one error family).
 *
 * @example
 * const os = new OpenStackClient({
 *   authUrl: 'http://127.0.0.1:5000/v3',
 *   auth: { type: 'password', username: 'demo', password, projectName: 'demo' },
 * });
 * const server = await os.compute.createServer({ name: 'vm-1', flavorId, imageId, networks: [{ uuid: netId }] }, 'deployment-42/vm-1');
 * await os.compute.waitForServer(server.id, 'ACTIVE', { timeoutMs: 600_000 });
 */
export { OpenStackClient } from './openstack.client';

/**
 * Options of {@link OpenStackClient} (auth URL, credentials, region, microversion, time-out,
 * retry policy, logger) and of each call (AbortSignal, time-out).
 *
 * @example
 * const options: OpenStackClientOptions = { authUrl, auth, region: 'RegionOne', timeoutMs: 10_000, retry: { maxAttempts: 3 } };
 * await client.compute.getServer(id, { signal: AbortSignal.timeout(5_000) } satisfies CallOptions);
 */
export type { OpenStackClientOptions, CallOptions, OpenStackLogEvent } from './openstack.session';

/**
 * Credentials: password, application credential, existing token, or an OIDC access token
 * exchanged through Keystone federation.
 *
 * @example
 * const auth: OpenStackAuth = { type: 'oidc_access_token', identityProvider: 'egi', protocol: 'openid', accessToken: iamToken, projectName: 'vo.example' };
 */
export type { OpenStackAuth, PasswordAuth, ApplicationCredentialAuth, TokenAuth, OidcAccessTokenAuth, ProjectScope } from './auth.types';

/**
 * The per-service clients, reached through {@link OpenStackClient} (`client.compute` ...).
 *
 * @example
 * const compute: ComputeClient = client.compute;
 * await compute.deleteServer(id); // 404 counts as deleted
 */
export { ComputeClient, IDEMPOTENCY_METADATA_KEY } from './compute.client';
/** @example const nets = await client.network.listNetworks({ name: 'private' }); */
export { NetworkClient } from './network.client';
/** @example const image = await client.image.findImage('ubuntu-22.04'); */
export { ImageClient } from './image.client';
/** @example const v = await client.volume.createVolume({ name: 'data', sizeGb: 10 }, 'dep-1/data'); */
export { VolumeClient } from './volume.client';

/**
 * Resource shapes returned by the clients.
 *
 * @example
 * const ip = Object.values(server.addresses).flat().find((a: ServerAddress) => a['OS-EXT-IPS:type'] === 'fixed')?.addr;
 */
export type {
  Server,
  ServerStatus,
  ServerAddress,
  ServerCreateSpec,
  ServerNetwork,
  ServerListFilters,
  ServerAction,
  Flavor,
  Keypair,
  AbsoluteLimits,
  VolumeAttachment,
  ServerGroup,
  ServerGroupPolicy,
  ComputeQuotaSet,
} from './compute.types';
/** @example const fip: FloatingIp = await client.network.allocateFloatingIp({ network: 'public', description: 'dep-1/vm-1' }); */
export type { Network, Subnet, Router, Port, SecurityGroup, SecurityGroupRule, FloatingIp, SubnetSpec, SecurityGroupRuleSpec } from './network.types';
/** @example const images: Image[] = await client.image.listImages({ status: 'active' }); */
export type { Image, ImageListFilters } from './image.client';
/** @example const spec: VolumeSpec = { name: 'data', sizeGb: 10 }; */
export type { Volume, VolumeSpec } from './volume.client';
/** @example await client.compute.waitForServer(id, 'ACTIVE', { timeoutMs: 300_000, intervalMs: 2_000 } satisfies WaitOptions); */
export type { WaitOptions } from './wait-for';

/**
 * The error family: every failure is an `OpenStackError` whose `code` says what happened and
 * whose `transient` flag is the retry decision (STYLE.md rule 16).
 *
 * @example
 * try { await client.compute.createServer(spec, key); }
 * catch (e) { if (e instanceof OpenStackError && !e.transient) throw new UnrecoverableError(e.message); throw e; }
 */
export {
  OpenStackError,
  OpenStackHttpError,
  OpenStackConnectionError,
  OpenStackTimeoutError,
  OpenStackAbortedError,
  OpenStackResourceError,
  OpenStackWaitTimeoutError,
  OpenStackEndpointNotFoundError,
  OpenStackNameLookupError,
  OpenStackInvalidResponseError,
} from './errors';
/** @example if (error instanceof OpenStackError && error.code === ('quota_exceeded' satisfies OpenStackErrorCode)) ... */
export type { OpenStackErrorCode, HttpFailure } from './errors';

/**
 * Endpoint selection from a Keystone catalog, exposed for callers that hold a catalog.
 *
 * @example
 * const novaUrl = selectEndpoint(token.catalog, 'compute', { region: 'RegionOne', interface: 'public' });
 */
export { selectEndpoint } from './catalog';
/** @example const entry: CatalogEntry = { type: 'compute', endpoints: [{ interface: 'public', region_id: 'RegionOne', url }] }; */
export type { CatalogEntry, ServiceType, EndpointInterface } from './catalog';

/**
 * The retry policy (attempts, back-off, jitter) and its pure decision function.
 *
 * @example
 * const delayMs = nextRetryDelay(DEFAULT_RETRY_POLICY, attempt, error, true); // undefined = give up
 */
export { DEFAULT_RETRY_POLICY, nextRetryDelay } from './retry-policy';
/** @example const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 }; */
export type { RetryPolicy } from './retry-policy';

/**
 * Starts the OpenStack simulator in this process (Keystone, Nova, Neutron, Glance, Cinder on one
 * loopback port), for tests, demos and the service's embedded default.
 *
 * @example
 * const sim = await startCloudSimulator({ port: 0, bootTimeMs: 200 });
 * const client = new OpenStackClient({ authUrl: sim.authUrl, auth: { type: 'password', username: sim.username, password: sim.password, projectName: sim.projectName } });
 * sim.admin.bindAddressPool(['127.0.0.2']); // the next server's address is a reachable sshd
 * await sim.close();
 */
export { startCloudSimulator } from './simulator/cloud-simulator';
/** @example const opts: CloudSimulatorOptions = { host: '127.0.0.1', port: 8080, password: 'secret' }; */
export type { CloudSimulator, CloudSimulatorOptions } from './simulator/cloud-simulator';
/**
 * The simulator's admin API (faults, timings, quotas, failing servers, early token expiry,
 * address binding), reached as `sim.admin`.
 *
 * @example
 * sim.admin.injectFault({ service: 'compute', method: 'POST', path: '^/servers$', mode: 'drop_after' });
 * sim.admin.failServers({ namePattern: '^bad-', message: 'No valid host was found. ' });
 */
export { SimulatorAdmin } from './simulator/simulator-admin';
/** @example const s: SimServerSummary[] = sim.admin.servers(); */
export type { SimServerSummary } from './simulator/simulator-admin';
/** @example const f: FaultSpec = { service: 'network', status: 503, times: 2, retryAfterSeconds: 1 }; */
export type { FaultSpec, ServerFailureSpec } from './simulator/sim-controls';
/** @example const idp: OidcProviderConfig = { id: 'iam', protocol: 'openid', issuer: 'https://iam.example/', jwks: 'https://iam.example/jwk' }; */
export type { OidcProviderConfig } from './simulator/sim-context';
/** @example sim.admin.setQuota({ instances: 2 } satisfies Partial<SimQuota>); */
export type { SimQuota } from './simulator/sim-state';
