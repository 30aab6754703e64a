// Starts the real service in this process, exactly as `npm start` composes it (startServe of the
// serve command), on a random loopback port with an in-memory store unless the env says
// otherwise. The environment is passed explicitly: nothing leaks in from the shell.
import { loadConfig } from '@lib/config';
import { startServe, type RunningService, type ServeOptions } from '../../../apps/cli/src/commands/serve.command';
import { startWorkerProcess, type RunningWorkerProcess } from '../../../apps/cli/src/commands/worker.command';
import type { EngineOverrides } from '../../../apps/worker/src/engine.composition';

export type RunningBaton = RunningService;

export async function startBaton(env: Record<string, string | undefined> = {}, options: Omit<ServeOptions, 'quiet'> = {}): Promise<RunningBaton> {
  const config = loadConfig({
    BATON_LISTEN: '127.0.0.1:0',
    BATON_DATA_DIR: 'memory://',
    BATON_LOG_LEVEL: 'warn',
    ...env,
  });
  return startServe(config, { quiet: true, ...options });
}

/** The OIDC variables that trust a test issuer (audience and token-exchange client included). */
export function oidcEnv(idp: { issuer: string; audience: string; client: { id: string; secret: string } }): Record<string, string> {
  return {
    BATON_OIDC_ISSUERS: idp.issuer,
    BATON_OIDC_AUDIENCE: idp.audience,
    BATON_OIDC_CLIENT_ID: idp.client.id,
    BATON_OIDC_CLIENT_SECRET: idp.client.secret,
  };
}

/** A lone worker (`baton worker`), composed as that command composes it, sharing `env`'s store and queue. */
export async function startBatonWorker(env: Record<string, string | undefined>, overrides: EngineOverrides = {}): Promise<RunningWorkerProcess> {
  const config = loadConfig({ BATON_DATA_DIR: 'memory://', BATON_LOG_LEVEL: 'warn', ...env });
  return startWorkerProcess(config, overrides);
}
