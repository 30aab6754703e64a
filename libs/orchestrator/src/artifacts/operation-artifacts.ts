// The plan-time half of running a template's operations: every operation's playbook (a URL under
// the allow-list, or a path in the operator's templates folder), the files it names, the roles of
// its node type and playbook, and the executor, decided before any server is created. The result
// (the artifact lock: digests, roles, executor and its reason) is kept with the deployment, and
// an operation's run writes exactly those bytes into its work folder.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { NodeTemplateModel, OperationModel, ServiceTopology } from '@lib/tosca';
import { chooseExecutor, type Executor, type ExecutorSetting } from '../ansible/executor-choice';
import { resolveArtifactPath } from '../artifact-path';
import { ArtifactError } from './artifact.errors';
import type { ArtifactSource } from './artifact-source';
import { bundlePlaybook, localPathOf, writeBundle } from './playbook-bundle';
import { playbookRefs } from './playbook-refs';
import { parseRoleArtifact, writeRoles, type ResolvedRole, type RoleRef, type RoleResolver } from './role-resolver';

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const GALAXY_ROLE = 'tosca.artifacts.AnsibleGalaxy.role';

export interface LockedRole {
  name: string;
  version?: string;
  via: ResolvedRole['via'];
  dir: string;
  /** sha256 over the role folder's files (paths and contents). */
  digest: string;
}

export interface LockedOperation {
  /** The implementation as the template names it. */
  implementation: string;
  /** A URL's files by digest; empty for a playbook of the templates folder. */
  files: Record<string, string>;
  roles: LockedRole[];
  executor: Executor;
  reason: string;
}

/** Operation key (`node.interface.operation` or `node.requirement.operation`) → what it runs. */
export type ArtifactLock = Record<string, LockedOperation>;

export interface ArtifactProblem {
  node: string;
  operation: string;
  message: string;
  code: ArtifactError['code'];
}

export interface OperationArtifactsOptions {
  source: ArtifactSource;
  roles: RoleResolver;
  executor: ExecutorSetting;
  /** The templates folder where relative implementations resolve. */
  artifactsDir: string;
  /** Parent of the runs' work folders. */
  workRoot: string;
}

export interface PreparedRun {
  workDir: string;
  playbookPath: string;
  rolesDir: string;
}

function treeDigest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(`${relative(dir, path)}\0`).update(readFileSync(path)).update('\0');
    }
  };
  walk(dir);
  return `sha256:${hash.digest('hex')}`;
}

/** Role artifacts of the node (its type's and parents' are merged into the model by the compiler). */
function roleArtifacts(node: NodeTemplateModel): RoleRef[] {
  return Object.values(node.artifacts ?? {})
    .filter((a) => a.type === GALAXY_ROLE)
    .map((a) => parseRoleArtifact(a.file));
}

function operationsOf(node: NodeTemplateModel): Array<{ key: string; label: string; op: OperationModel }> {
  const out = node.operations.filter((op) => op.implementation).map((op) => ({ key: `${node.name}.${op.interface}.${op.name}`, label: `${op.interface}.${op.name}`, op }));
  for (const rel of node.requirements) {
    for (const op of rel.operations) if (op.implementation) out.push({ key: `${node.name}.${rel.requirement}.${op.name}`, label: `${rel.requirement}.${op.name}`, op });
  }
  return out;
}

function localRolesNamed(playbookPath: string): string[] {
  try {
    return playbookRefs(readFileSync(playbookPath, 'utf8')).roles;
  } catch {
    return []; // unreadable: the executor choice and the run say why
  }
}

export function implementationOf(op: OperationModel): string {
  return op.artifact?.resolvedLocation ?? op.artifact?.file ?? op.implementation ?? '';
}

export class OperationArtifacts {
  constructor(private readonly options: OperationArtifactsOptions) {}

  /**
   * Fetches, resolves and chooses for every operation of the topology. `previous` (the lock of
   * the generation being updated) keeps the same bytes unless `refresh`. Problems name node and
   * operation; the lock is complete only when there are none.
   */
  async plan(topology: ServiceTopology, previous: ArtifactLock = {}, refresh = false): Promise<{ lock: ArtifactLock; problems: ArtifactProblem[]; notes: string[] }> {
    const lock: ArtifactLock = {};
    const problems: ArtifactProblem[] = [];
    const notes: string[] = [];
    mkdirSync(this.options.workRoot, { recursive: true });
    for (const node of Object.values(topology.nodes)) {
      for (const { key, label, op } of operationsOf(node)) {
        const implementation = implementationOf(op);
        const before = refresh ? undefined : previous[key];
        const work = mkdtempSync(join(this.options.workRoot, 'plan-'));
        try {
          const pinned = before && before.implementation === implementation ? before.files : {};
          let files: Record<string, string> = {};
          let named: string[] = [];
          let playbookPath: string;
          let playbookDir: string;
          if (URL_SCHEME.test(implementation)) {
            const bundle = await bundlePlaybook(this.options.source, implementation, pinned);
            files = bundle.files;
            named = bundle.roles;
            playbookPath = writeBundle(this.options.source, bundle, join(work, 'files'));
            playbookDir = dirname(playbookPath);
          } else {
            playbookPath = resolveArtifactPath(this.options.artifactsDir, implementation);
            playbookDir = dirname(playbookPath);
            // A playbook of the operator's folder brings its roles/ along; only the others are resolved.
            named = localRolesNamed(playbookPath).filter((name) => !existsSync(join(playbookDir, 'roles', name)));
          }
          // A type's role artifacts serve its own (remote) playbooks, as IM installs them all; a
          // template that overrides the operation with a local playbook needs only what it names.
          const artifacts = roleArtifacts(node);
          const refs = URL_SCHEME.test(implementation)
            ? [...artifacts, ...named.filter((n) => !artifacts.some((a) => a.name === n)).map((name) => ({ name }))]
            : named.map((name) => artifacts.find((a) => a.name === name) ?? { name });
          const roles = await this.options.roles.resolve(refs);
          writeRoles(roles, join(work, 'roles'));
          for (const r of roles) if (r.via === 'override') notes.push(`${node.name} ${label}: role ${r.name} from the override folder ${r.dir}`);
          const choice = chooseExecutor(this.options.executor, playbookPath, { playbookDir, rolesDir: join(work, 'roles') });
          lock[key] = {
            implementation,
            files,
            roles: roles.map((r) => ({ name: r.name, ...(r.version ? { version: r.version } : {}), via: r.via, dir: r.dir, digest: treeDigest(r.dir) })),
            executor: choice.executor,
            reason: choice.reason,
          };
        } catch (error) {
          const code = error instanceof ArtifactError ? error.code : 'artifact_fetch_failed';
          problems.push({ node: node.name, operation: label, code, message: error instanceof Error ? error.message : String(error) });
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      }
    }
    return { lock, problems, notes };
  }

  /**
   * Writes a locked operation's files and roles into a new work folder (the caller removes it).
   * A worker whose cache lacks a file (another machine planned it) reads it again, by digest: a
   * file that changed since is refused. A role folder this machine lacks is resolved again.
   */
  async prepare(locked: LockedOperation): Promise<PreparedRun> {
    mkdirSync(this.options.workRoot, { recursive: true });
    const workDir = mkdtempSync(join(this.options.workRoot, 'run-'));
    const rolesDir = join(workDir, 'roles');
    mkdirSync(rolesDir, { recursive: true });
    for (const role of locked.roles) {
      const dir = existsSync(role.dir) ? role.dir : (await this.options.roles.resolve([{ name: role.name, ...(role.version ? { version: role.version } : {}) }]))[0]!.dir;
      cpSync(dir, join(rolesDir, role.name), { recursive: true, dereference: true });
    }
    for (const [url, digest] of Object.entries(locked.files)) if (!this.options.source.cached(digest)) await this.options.source.get(url, digest);
    let playbookPath: string;
    if (URL_SCHEME.test(locked.implementation)) {
      playbookPath = writeBundle(this.options.source, { entry: locked.implementation, files: locked.files, roles: [] }, join(workDir, 'files'));
    } else {
      // A playbook of the templates folder runs from a copy of its folder, so a confined run sees it.
      // Links are copied as links (to where they pointed), never followed: a link leading out of
      // the folder stays a link the confined run refuses, not a copy of a file of this host.
      const original = resolveArtifactPath(this.options.artifactsDir, locked.implementation);
      const copy = join(workDir, 'files', 'local');
      cpSync(dirname(original), copy, { recursive: true, dereference: false });
      playbookPath = join(copy, relative(dirname(original), original));
    }
    return { workDir, playbookPath, rolesDir };
  }

  /** The local path a URL of a locked operation takes in a work folder (for tests and logs). */
  static localPathOf = localPathOf;
}
