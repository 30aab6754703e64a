// Everything one running step needs, gathered once by the step handler.
import type { CloudProvider, CloudSession } from '../cloud.port';
import type { DeploymentRow, ResourceRow, StepRow } from '../store.port';
import type { DeploymentLog } from './deployment-log';
import type { EngineContext } from './engine.context';
import type { StepSpec } from '../workflow/step-spec';
import type { SshKeyPair } from './ssh-keys';

export interface StepWork {
  ctx: EngineContext;
  deployment: DeploymentRow;
  step: StepRow;
  spec: StepSpec;
  resource: ResourceRow;
  provider: CloudProvider;
  session: CloudSession;
  log: DeploymentLog;
  signal: AbortSignal;
  /** False once a newer workflow (update, delete) took over this deployment. */
  stillCurrent(): Promise<boolean>;
  /** The deployment's SSH key pair, read (or made) once per step. */
  keyPair(): Promise<SshKeyPair>;
}

export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw signal.reason ?? new Error('aborted');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason ?? new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
