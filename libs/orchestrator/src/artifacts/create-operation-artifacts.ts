// Builds the plan-time artifact service from the operator's settings (@lib/config ArtifactConfig).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactConfig } from '@lib/config';
import { ArtifactSource } from './artifact-source';
import { OperationArtifacts } from './operation-artifacts';
import { RoleResolver } from './role-resolver';

export function createOperationArtifacts(config: ArtifactConfig, artifactsDir: string): OperationArtifacts {
  const workRoot = join(config.cacheDir, 'runs');
  mkdirSync(workRoot, { recursive: true });
  return new OperationArtifacts({
    source: new ArtifactSource({ allow: config.allow, mirrors: config.mirrors, cacheDir: join(config.cacheDir, 'files'), maxBytes: config.maxBytes, timeoutMs: config.timeoutMs }),
    roles: new RoleResolver({ rolesPath: config.rolesPath, overrides: config.roleOverrides, ...(config.galaxy ? { galaxyCacheDir: join(config.cacheDir, 'roles') } : {}) }),
    executor: config.executor,
    artifactsDir,
    workRoot,
  });
}
