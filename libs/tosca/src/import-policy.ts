// Which files an import may read (issue 8, finding 3). A template the compiler's caller wrote on
// its own machine (`baton validate FILE`) may import its neighbours; a template uploaded to the
// service may not touch the server's disk beyond the operator's types: the types folder and the
// catalogue's targets. The check is lexical first and runs before any file-system call, so a
// refused import costs no `stat` and answers the same whether the file exists or not (no
// existence oracle); a path that passes is then resolved through symlinks and checked again.
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Catalog, ImportScope } from './options';

export interface ImportPolicy {
  /** True when `path` (absolute, normalised) may be read. */
  allows(path: string): boolean;
}

const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/** The folders and files an uploaded template may reach: the types folder and every catalogue target. */
function catalogueRoots(typesDir: string, catalog: Catalog): string[] {
  return [resolve(typesDir), ...Object.values(catalog.prefixes).map((p) => resolve(p)), ...Object.values(catalog.urls).map((p) => resolve(p))];
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** The policy of one compile; `local-files` allows every path (the command line's own files). */
export function importPolicy(scope: ImportScope, typesDir: string, catalog: Catalog): ImportPolicy {
  if (scope === 'local-files') return { allows: () => true };
  const roots = catalogueRoots(typesDir, catalog);
  const realRoots = roots.map((r) => realpathOrUndefined(r) ?? r);
  return {
    allows(path) {
      if (!roots.some((root) => inside(root, path))) return false;
      // A missing file is the caller's ordinary import_not_found, inside the catalogue only.
      const real = realpathOrUndefined(path);
      return real === undefined || realRoots.some((root) => inside(root, real));
    },
  };
}
