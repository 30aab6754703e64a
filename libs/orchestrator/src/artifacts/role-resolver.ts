// Galaxy roles of a deployment: role artifacts of a node type and its parents
// (`tosca.artifacts.AnsibleGalaxy.role`, `file: indigo-dc.slurm,master` or
// `git+https://github.com/ORG/REPO,v2.4.0`), roles named by playbooks, and their meta/main.yml
// dependencies. Each is found, in order: in the operator's override map, in a role folder
// (`NAME,VERSION/` then `NAME/`), in the cache of earlier ansible-galaxy installs, or installed
// by ansible-galaxy when the operator lets it reach the role's source. What is not found is an
// error at plan time.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { ArtifactError } from './artifact.errors';

const run = promisify(execFile);

export interface RoleRef {
  /** The name playbooks use (`indigo-dc.slurm`). */
  name: string;
  version?: string;
  /** Where ansible-galaxy would install it from (a Galaxy name or `git+https://...`). */
  src?: string;
}

export interface ResolvedRole extends RoleRef {
  dir: string;
  /** How it was found, for the deployment log. */
  via: 'override' | 'folder' | 'galaxy';
}

export interface RoleResolverOptions {
  /** Role folders (BATON_ROLES_PATH). */
  rolesPath: readonly string[];
  /** `NAME` or `NAME,VERSION` → local role folder (BATON_ROLE_OVERRIDES). */
  overrides?: Readonly<Record<string, string>>;
  /** Install with ansible-galaxy into this cache when no folder has the role; undefined = never. */
  galaxyCacheDir?: string;
  galaxyTimeoutMs?: number;
}

/** `src[,version[,name]]` as ansible-galaxy reads it; the name of a git source is its repository's. */
export function parseRoleArtifact(file: string): RoleRef {
  const [src = '', version, name] = file.split(',').map((s) => s.trim());
  const derived = /^(git\+|https?:\/\/)/.test(src) ? (src.replace(/\/+$/, '').split('/').pop() ?? src).replace(/\.git$/, '') : src;
  return { name: name || derived, src, ...(version ? { version } : {}) };
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function dependenciesOf(dir: string): RoleRef[] {
  for (const file of ['meta/main.yml', 'meta/main.yaml']) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    const meta = parseYaml(readFileSync(path, 'utf8'), { version: '1.1' }) as { dependencies?: unknown } | null;
    const deps = Array.isArray(meta?.dependencies) ? meta.dependencies : [];
    return deps.flatMap((d): RoleRef[] => {
      if (typeof d === 'string') return [parseRoleArtifact(d)];
      if (d && typeof d === 'object') {
        const o = d as Record<string, unknown>;
        const name = o.role ?? o.name ?? o.src;
        if (typeof name !== 'string') return [];
        return [{ name, ...(typeof o.version === 'string' ? { version: o.version } : {}), ...(typeof o.src === 'string' ? { src: o.src } : {}) }];
      }
      return [];
    });
  }
  return [];
}

export class RoleResolver {
  constructor(private readonly options: RoleResolverOptions) {}

  /** Every role of `refs` and their dependencies, each once (the first version named wins). */
  async resolve(refs: RoleRef[]): Promise<ResolvedRole[]> {
    const out = new Map<string, ResolvedRole>();
    const queue = [...refs];
    while (queue.length) {
      const ref = queue.shift()!;
      if (out.has(ref.name)) continue;
      const role = await this.find(ref);
      out.set(ref.name, role);
      queue.push(...dependenciesOf(role.dir));
    }
    return [...out.values()];
  }

  private async find(ref: RoleRef): Promise<ResolvedRole> {
    const overrides = this.options.overrides ?? {};
    const override = (ref.version && overrides[`${ref.name},${ref.version}`]) || overrides[ref.name];
    if (override) {
      if (!isDir(override)) throw new ArtifactError('role_missing', `role ${ref.name}: its override folder ${override} does not exist`);
      return { ...ref, dir: override, via: 'override' };
    }
    for (const base of this.options.rolesPath) {
      for (const candidate of [...(ref.version ? [`${ref.name},${ref.version}`] : []), ref.name]) {
        const dir = join(base, candidate);
        if (isDir(dir)) return { ...ref, dir, via: 'folder' };
      }
    }
    const cache = this.options.galaxyCacheDir;
    if (cache) {
      const home = join(cache, `${ref.name},${ref.version ?? 'latest'}`.replace(/[^A-Za-z0-9.,_+-]/g, '_'));
      const dir = join(home, ref.name);
      if (isDir(dir)) return { ...ref, dir, via: 'galaxy' };
      mkdirSync(home, { recursive: true });
      const spec = [ref.src ?? ref.name, ref.version ?? '', ref.name].join(',');
      try {
        await run('ansible-galaxy', ['role', 'install', '--roles-path', home, spec], { timeout: this.options.galaxyTimeoutMs ?? 60_000 });
        if (isDir(dir)) return { ...ref, dir, via: 'galaxy' };
      } catch {
        // Unreachable source or no such role: reported below with the places looked in.
      }
    }
    const where = [...this.options.rolesPath.map((p) => `${p}/${ref.name}${ref.version ? `[,${ref.version}]` : ''}`), ...(cache ? ['ansible-galaxy'] : [])];
    throw new ArtifactError('role_missing', `role ${ref.name}${ref.version ? ` (${ref.version})` : ''} was found in none of: ${where.join(', ') || 'no role folder (BATON_ROLES_PATH) and ansible-galaxy off'}`);
  }
}

/** Copies the roles into `<dir>/NAME`, the roles path of a run. */
export function writeRoles(roles: ResolvedRole[], dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const role of roles) cpSync(role.dir, join(dir, role.name), { recursive: true, dereference: true });
}
