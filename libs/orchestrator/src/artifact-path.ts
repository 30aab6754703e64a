// Where an operation's implementation (a playbook) is read from. A template comes from a caller,
// so the path it names must stay inside the operator's artifacts folder: `../` or an absolute
// path would make the worker read (and report parse errors of) any file on its disk, and so
// would a symbolic link in the folder that leads out of it (the real path is checked too).
import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

export class ArtifactPathError extends Error {
  override readonly name = 'ArtifactPathError';
}

/** The absolute path of `implementation` inside `artifactsDir`, or an ArtifactPathError saying why not. */
export function resolveArtifactPath(artifactsDir: string, implementation: string): string {
  if (URL_SCHEME.test(implementation)) {
    throw new ArtifactPathError(`${implementation}: remote artifacts are not fetched; put the playbook in the templates folder (BATON_TEMPLATES_DIR) and name it by a relative path`);
  }
  const root = resolve(artifactsDir);
  const path = resolve(root, implementation);
  const inside = relative(root, path);
  if (isAbsolute(implementation) || outside(inside)) {
    throw new ArtifactPathError(`${implementation}: an implementation is a path relative to the templates folder (BATON_TEMPLATES_DIR), inside it`);
  }
  if (existsSync(path) && existsSync(root) && outside(relative(realpathSync(root), realpathSync(path)))) {
    throw new ArtifactPathError(`${implementation}: a symbolic link in the templates folder (BATON_TEMPLATES_DIR) leads outside it`);
  }
  return path;
}

function outside(rel: string): boolean {
  return rel === '' || rel === '..' || rel.startsWith('../') || rel.startsWith('..\\') || isAbsolute(rel);
}

/**
 * Why `implementation` cannot be run from `artifactsDir`, or undefined when it can: the rules of
 * resolveArtifactPath, then a file that is there (checked when a deployment is submitted, so a
 * missing playbook is the template's error before any server exists).
 */
export function artifactProblem(artifactsDir: string, implementation: string): string | undefined {
  try {
    const path = resolveArtifactPath(artifactsDir, implementation);
    return existsSync(path) ? undefined : `${implementation}: no such playbook in the templates folder (BATON_TEMPLATES_DIR)`;
  } catch (error) {
    return error instanceof ArtifactPathError ? error.message : String(error);
  }
}
