// Composition of the engine from the validated configuration: config → store (persistence) →
// job runner → clouds and configuration runner → orchestrator, plus the auth kit and metrics.
// Shared by `baton serve` (API and worker in one process) and `baton worker` (a worker alone).
import { createAuthKit, InMemoryRefreshTokenStore, type AuthKit } from '@lib/auth';
import type { BatonConfig, LogLevel } from '@lib/config';
import {
  createJobRunner,
  createOrchestrator,
  MemoryCloudProvider,
  RecordingConfigurationRunner,
  type CloudProvider,
  type ConfigurationRunner,
  type DeploymentService,
  type DeploymentStore,
  type EngineLogger,
  type EngineTimings,
  type JobRunner,
  type JobRunnerConfig,
  type RunningWorker,
} from '@lib/orchestrator';
import { createPgliteStore, createPostgresStore, SecretBox } from '@lib/persistence';
import { Registry } from 'prom-client';
import packageJson from '../../../package.json';
import { countedProvider, registerEngineMetrics, timedJobRunner } from './engine.metrics';

export interface Engine {
  /** The product version (package.json), reported by GET /info. */
  version: string;
  registry: Registry;
  store: DeploymentStore;
  auth: AuthKit;
  deployments: DeploymentService;
  providers: CloudProvider[];
  startWorker(options: { concurrency: number }): Promise<RunningWorker>;
  /** Resolves when the store and the queue answer. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Seams for tests and the bench: replace the clouds or the configuration runner. */
export interface EngineOverrides {
  providers?: CloudProvider[];
  runner?: ConfigurationRunner;
  timings?: Partial<EngineTimings>;
  /** Prefix of the BullMQ queue (Redis) so parallel runs never share jobs. */
  queuePrefix?: string;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** JSON lines on stderr at or above the configured level (the engine redacts secrets itself). */
function engineLogger(level: LogLevel): EngineLogger {
  const max = LEVELS.indexOf(level);
  const line = (lvl: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (LEVELS.indexOf(lvl) > max) return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg: message, ...fields })}\n`);
  };
  return { info: (m, f) => line('info', m, f), warn: (m, f) => line('warn', m, f), error: (m, f) => line('error', m, f) };
}

async function openStore(config: BatonConfig): Promise<DeploymentStore> {
  if (config.databaseUrl) return createPostgresStore({ url: config.databaseUrl, secretKey: config.secretKey });
  return createPgliteStore({ ...(config.inMemory ? {} : { dataDir: `${config.dataDir}/db` }), secretKey: config.secretKey });
}

function jobRunnerConfig(config: BatonConfig, overrides: EngineOverrides): JobRunnerConfig {
  if (config.redisUrl) return { kind: 'redis', url: config.redisUrl, ...(overrides.queuePrefix ? { prefix: overrides.queuePrefix } : {}) };
  if (config.databaseUrl) return { kind: 'postgres', url: config.databaseUrl };
  return { kind: 'pglite', ...(config.inMemory ? {} : { dataDir: `${config.dataDir}/queue` }) };
}

/** The built-in simulated cloud: an in-process OpenStack-like cloud with Debian and Ubuntu images. */
function defaultProviders(config: BatonConfig): CloudProvider[] {
  if (config.providersFile) {
    // TODO(orchestrator): a providers-file reader (OpenStack clouds) is not exported yet.
    throw new Error(`BATON_PROVIDERS (${config.providersFile}) is not supported yet: unset it to use the built-in simulated cloud`);
  }
  return [new MemoryCloudProvider({ name: 'simulator' })];
}

export async function openEngine(config: BatonConfig, overrides: EngineOverrides = {}): Promise<Engine> {
  const registry = new Registry();
  const store = await openStore(config);
  let jobs: JobRunner | undefined;
  try {
    jobs = await createJobRunner(jobRunnerConfig(config, overrides));
    const metrics = registerEngineMetrics(registry, jobs);
    const providers = (overrides.providers ?? defaultProviders(config)).map((p) => countedProvider(p, metrics));
    const auth = createAuthKit(config, { store: new InMemoryRefreshTokenStore(), sealer: new SecretBox(config.secretKey) });
    const orchestrator = createOrchestrator({
      store,
      jobRunner: timedJobRunner(jobs, metrics),
      providers,
      runner: overrides.runner ?? new RecordingConfigurationRunner(),
      logger: engineLogger(config.logLevel),
      ...(overrides.timings ? { timings: overrides.timings } : {}),
    });
    const queue = jobs;
    return {
      version: packageJson.version,
      registry,
      store,
      auth,
      deployments: orchestrator.deployments,
      providers,
      startWorker: (options) => orchestrator.startWorker(options),
      ready: async () => {
        await store.listDeployments({}, { page: 0, size: 1, sort: [{ field: 'createdAt', direction: 'desc' }] });
        await queue.counts();
      },
      // Closes the workers it started, the job runner and the store.
      close: () => orchestrator.close(),
    };
  } catch (error) {
    await jobs?.close();
    await store.close();
    throw error;
  }
}
