// Which files of this machine (the controller) a run may read: `src:` of copy/template/script/
// unarchive, lookups (`file`, `template`, `fileglob`, `first_found`), `include_vars`,
// `vars_files` and dynamic `include_tasks`. Unconfined (the operator's `baton playbook`), a path is
// found as Ansible finds it. Confined (the orchestrator's runs, whose playbooks and values come
// through a template), a path resolves only inside the given folders: `..` segments are refused,
// an absolute path must lie inside, and the real path (symlinks followed) must too, so a link
// placed in the playbook's folder cannot lead out.
import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { FileRefusedError, RunnerError } from '../errors';

export class HostFiles {
  private readonly realRoots?: string[];

  /** `roots` undefined: unconfined. */
  constructor(readonly roots?: string[]) {
    this.realRoots = roots?.map((r) => (existsSync(r) ? realpathSync(r) : resolve(r)));
  }

  get confined(): boolean {
    return this.realRoots !== undefined;
  }

  /** A confined copy whose folders are also `more` (roles found on the roles path). */
  with(more: string[]): HostFiles {
    return this.roots ? new HostFiles([...this.roots, ...more]) : this;
  }

  /**
   * The first of `bases/name` that exists (or `name` itself when absolute), checked. `what` names
   * the use in messages (`src`, `lookup('file')`).
   */
  find(name: string, bases: string[], what: string): string {
    this.refuseShape(name, what);
    const candidates = isAbsolute(name) ? [name] : bases.map((b) => join(b, name));
    const found = candidates.find((c) => existsSync(c));
    if (!found) throw new RunnerError('playbook_invalid', `Could not find or access '${name}'${this.confined ? ' in the playbook\'s folder' : ''}`);
    return this.check(found, what, name);
  }

  /** `path` itself (an existing file or folder), checked; its real path when confined. */
  check(path: string, what: string, written = path): string {
    if (!this.realRoots) return path;
    let real: string;
    try {
      real = realpathSync(path);
    } catch (error) {
      throw new RunnerError('playbook_invalid', `Could not find or access '${written}'`, false, { cause: error });
    }
    if (!this.inside(real)) throw new FileRefusedError(`${what} '${written}' leads outside the playbook's folder (${real === resolve(path) ? 'absolute or relative path' : 'through a symbolic link'}); a playbook run by the orchestrator reads only its own files`);
    return real;
  }

  /** True when `path` would be allowed (existing, inside the roots after symlinks). */
  allows(path: string): boolean {
    if (!this.realRoots) return true;
    try {
      return this.inside(realpathSync(path));
    } catch {
      return false;
    }
  }

  private refuseShape(name: string, what: string): void {
    if (!this.realRoots) return;
    if (name.split(/[\\/]/).includes('..')) throw new FileRefusedError(`${what} '${name}': a path with '..' is refused; a playbook run by the orchestrator reads only files below its own folder`);
    if (isAbsolute(name) && !this.realRoots.some((r) => isWithin(r, resolve(name))) && !(this.roots ?? []).some((r) => isWithin(resolve(r), resolve(name)))) {
      throw new FileRefusedError(`${what} '${name}': an absolute path outside the playbook's folder is refused; a playbook run by the orchestrator reads only its own files`);
    }
  }

  private inside(real: string): boolean {
    return (this.realRoots ?? []).some((r) => isWithin(r, real));
  }
}

function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
