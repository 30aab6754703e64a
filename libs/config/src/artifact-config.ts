// The operator's settings for remote artifacts, Galaxy roles and the executor of playbooks
// (libs/orchestrator/README.md, "Remote artifacts and roles"). Read once, with the rest.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ArtifactConfig } from './config.types';
import type { EnvReader } from './env-reader';

/** The INDIGO and INFN Cloud tosca-types repositories. */
export const DEFAULT_ARTIFACT_ALLOW = [
  'https://raw.githubusercontent.com/indigo-dc/tosca-types/',
  'https://raw.githubusercontent.com/infn-cloud/tosca-types/',
  'https://baltig.infn.it/infn-cloud/tosca-types/',
];

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();

export function readArtifactConfig(r: EnvReader, dataDir: string, inMemory: boolean, tmp: string): ArtifactConfig {
  const allowRaw = r.raw('BATON_ARTIFACT_ALLOW');
  const allow = allowRaw === undefined ? DEFAULT_ARTIFACT_ALLOW : r.list('BATON_ARTIFACT_ALLOW');
  for (const prefix of allow) if (!/^https?:\/\/[^/]+\//.test(prefix)) r.fail('BATON_ARTIFACT_ALLOW', 'comma-separated http(s) URL prefixes ending in a path (https://host/path/)', `${prefix} is not one`);

  const mirrors: Array<{ prefix: string; dir: string }> = [];
  for (const entry of r.list('BATON_ARTIFACT_MIRRORS')) {
    const eq = entry.indexOf('=');
    const prefix = entry.slice(0, eq);
    const dir = resolve(entry.slice(eq + 1));
    if (eq <= 0 || !/^https?:\/\//.test(prefix)) r.fail('BATON_ARTIFACT_MIRRORS', 'comma-separated URL-prefix=local-folder', `${entry} is not one`);
    else if (!isDir(dir)) r.fail('BATON_ARTIFACT_MIRRORS', 'comma-separated URL-prefix=local-folder', `${dir} is not a folder`);
    else mirrors.push({ prefix, dir });
  }

  const rolesPath = (r.raw('BATON_ROLES_PATH') ?? '').split(':').filter(Boolean).map((p) => resolve(p));
  for (const dir of rolesPath) if (!isDir(dir)) r.fail('BATON_ROLES_PATH', 'colon-separated role folders', `${dir} is not a folder`);

  // NAME[,VERSION]=folder entries; `;` separates them because a version follows a comma.
  const roleOverrides: Record<string, string> = {};
  for (const entry of (r.raw('BATON_ROLE_OVERRIDES') ?? '').split(';').map((s) => s.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=');
    const dir = resolve(entry.slice(eq + 1));
    if (eq <= 0) r.fail('BATON_ROLE_OVERRIDES', 'semicolon-separated NAME[,VERSION]=role-folder', `${entry} is not one`);
    else if (!isDir(dir)) r.fail('BATON_ROLE_OVERRIDES', 'semicolon-separated NAME[,VERSION]=role-folder', `${dir} is not a folder`);
    else roleOverrides[entry.slice(0, eq).trim()] = dir;
  }

  const cacheDir = resolve(r.raw('BATON_ARTIFACT_CACHE_DIR') ?? (inMemory ? join(tmp, 'baton-artifacts') : join(dataDir, 'artifacts')));
  return {
    allow,
    mirrors,
    maxBytes: r.integer('BATON_ARTIFACT_MAX_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    timeoutMs: r.integer('BATON_ARTIFACT_TIMEOUT_MS', 30_000, 100, 600_000),
    cacheDir,
    rolesPath,
    roleOverrides,
    galaxy: r.oneOf('BATON_ANSIBLE_GALAXY', ['on', 'off'] as const, 'on') === 'on',
    executor: r.oneOf('BATON_ANSIBLE_EXECUTOR', ['auto', 'runner', 'ansible-playbook'] as const, 'auto'),
    sandbox: r.oneOf('BATON_ANSIBLE_SANDBOX', ['on', 'off'] as const, 'on') === 'on',
  };
}
