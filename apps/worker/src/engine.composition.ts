// Composition of the engine from the validated configuration: config → store (persistence) →
// job runner → clouds and configuration runner → orchestrator, plus the auth kit and metrics.
// Shared by `baton serve` (API and worker in one process) and `baton worker` (a worker alone).
import { createAuthKit, type AuthKit } from '@lib/auth';
import type { BatonConfig, LogLevel } from '@lib/config';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createJobRunner,
  createOrchestrator,
  createServiceCompiler,
  loadProvidersFile,
  PlaybookConfigurationRunner,
  createOperationArtifacts,
  startSimulatorProvider,
  type CloudProvider,
  type ConfigurationRunner,
  type DeploymentService,
  type DeploymentStore,
  type EngineLogger,
  type EngineTimings,
  type JobRunner,
  type JobRunnerConfig,
  type RunningWorker,
  type ServiceCompiler,
} from '@lib/orchestrator';
import { createPglitePersistence, createPostgresPersistence, SecretBox, type Persistence } from '@lib/persistence';
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

/** Deployments and the sealed delegated refresh tokens, in the one database every process shares. */
async function openPersistence(config: BatonConfig): Promise<Persistence> {
  if (config.databaseUrl) return createPostgresPersistence({ url: config.databaseUrl, secretKey: config.secretKey });
  return createPglitePersistence({ ...(config.inMemory ? {} : { dataDir: `${config.dataDir}/db` }), secretKey: config.secretKey });
}

function jobRunnerConfig(config: BatonConfig, overrides: EngineOverrides): JobRunnerConfig {
  if (config.redisUrl) return { kind: 'redis', url: config.redisUrl, ...(overrides.queuePrefix ? { prefix: overrides.queuePrefix } : {}) };
  if (config.databaseUrl) return { kind: 'postgres', url: config.databaseUrl };
  return { kind: 'pglite', ...(config.inMemory ? {} : { dataDir: `${config.dataDir}/queue` }) };
}

interface OpenedProviders {
  providers: CloudProvider[];
  close(): Promise<void>;
}

/** BATON_PROVIDERS, else the built-in simulated cloud (the OpenStack simulator on loopback). */
async function openProviders(config: BatonConfig): Promise<OpenedProviders> {
  if (config.providersFile) return loadProvidersFile(config.providersFile);
  const { provider, simulator } = await startSimulatorProvider({ name: 'simulator' });
  return { providers: [provider], close: () => simulator.close() };
}

/**
 * Where relative playbook paths of templates resolve: the repo's `templates/` (catalogue
 * templates name `artifacts/...` beside them). From source (apps/worker/src) and from the build
 * (dist/apps/worker/src) alike.
 */
function bundledTemplatesDir(): string {
  const candidates = [resolve(__dirname, '../../../templates'), resolve(__dirname, '../../../../templates')];
  return candidates.find((dir) => existsSync(resolve(dir, 'artifacts'))) ?? candidates[0];
}

export async function openEngine(config: BatonConfig, overrides: EngineOverrides = {}): Promise<Engine> {
  const registry = new Registry();
  const { store, refreshTokens } = await openPersistence(config);
  let jobs: JobRunner | undefined;
  let clouds: OpenedProviders | undefined;
  let compiler: ServiceCompiler | undefined;
  try {
    jobs = await createJobRunner(jobRunnerConfig(config, overrides));
    const metrics = registerEngineMetrics(registry, jobs);
    clouds = overrides.providers ? { providers: overrides.providers, close: async () => undefined } : await openProviders(config);
    const providers = clouds.providers.map((p) => countedProvider(p, metrics));
    // Durable: the API process delegates, a worker in another process refreshes (Keystone federation).
    const auth = createAuthKit(config, { store: refreshTokens, sealer: new SecretBox(config.secretKey) });
    const l = config.limits;
    compiler = createServiceCompiler({
      threads: l.compileThreads,
      deadlineMs: l.compileTimeoutMs,
      limits: { maxTemplateBytes: l.maxTemplateBytes, maxTemplateNodes: l.maxTemplateNodes, maxNodeTemplates: l.maxNodeTemplates, maxInstances: l.maxInstances, maxDiagnostics: l.maxDiagnostics },
    });
    const orchestrator = createOrchestrator({
      compiler: compiler.compile,
      limits: { maxInstancesPerOwner: l.maxInstancesPerOwner, deploymentStepWindow: l.deploymentStepWindow },
      store,
      ...(auth.delegatedTokens ? { accessTokens: auth.delegatedTokens } : {}),
      jobRunner: timedJobRunner(jobs, metrics),
      providers,
      runner: overrides.runner ?? new PlaybookConfigurationRunner({ artifactsDir: config.templatesDir ?? bundledTemplatesDir(), sandbox: config.artifacts.sandbox }),
      artifacts: createOperationArtifacts(config.artifacts, config.templatesDir ?? bundledTemplatesDir()),
      logger: engineLogger(config.logLevel),
      callbacks: config.callbacks,
      callbackTimeoutMs: config.callbackTimeoutMs,
      ...(overrides.timings ? { timings: overrides.timings } : {}),
    });
    const queue = jobs;
    const opened = clouds;
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
      close: async () => {
        // The orchestrator closes the workers it started, the job runner and the store.
        await orchestrator.close();
        await opened.close();
        await compiler?.close();
      },
    };
  } catch (error) {
    await compiler?.close();
    await clouds?.close();
    await jobs?.close();
    await store.close();
    throw error;
  }
}
