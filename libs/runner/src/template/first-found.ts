// The first_found lookup of ansible-core 2.14 (plugins/lookup/first_found.py): terms are file
// names, lists, or mappings with `files`, `paths` and `skip`; names split on , and ; and paths
// on , : and ;; each candidate is templated (an undefined one is passed over) and searched in
// the task's search path (DataLoader.path_dwim_relative_stack); the first found is the result.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateError } from '../errors';
import { isMapping } from './python';

function splitOn(v: unknown, chars: string): string[] {
  if (typeof v === 'string') return v.split(new RegExp(`[${chars}]`));
  if (Array.isArray(v)) return v.flatMap((x) => splitOn(x, chars));
  return [];
}

/** Candidate paths, and whether a missing file gives an empty result instead of an error. */
export function firstFoundCandidates(terms: unknown[], kw: Record<string, unknown>): { search: string[]; skip: boolean } {
  let search: string[] = [];
  let skip = false;
  for (const term of terms) {
    let options: Record<string, unknown>;
    if (isMapping(term)) options = term;
    else if (typeof term === 'string') options = kw;
    else if (Array.isArray(term)) {
      const inner = firstFoundCandidates(term, kw);
      search.push(...inner.search);
      skip = inner.skip;
      continue;
    } else throw new TemplateError(`Invalid term supplied, can handle string, mapping or list of strings but got: ${typeof term} for ${String(term)}`);
    const files = splitOn(options.files ?? [], ',;');
    const paths = splitOn(options.paths ?? [], ',:;');
    skip = options.skip === true || options.skip === 'yes' || options.skip === 'true';
    if (paths.length) for (const p of paths) for (const f of files) search.push(join(p, f));
    else if (files.length) search = files; // as the plugin: an entry with files replaces what came before
    else search.push(term as string);
  }
  return { search, skip };
}

/**
 * path_dwim_relative_stack: absolute names as they are; else, in each search path,
 * PATH/SUBDIR/NAME then PATH/NAME (SUBDIR skipped when NAME starts with it), then the same in the
 * playbook folder.
 */
export function findInSearchPath(paths: string[], baseDir: string, subdir: string, name: string): string | undefined {
  if (name.startsWith('/')) return existsSync(name) ? name : undefined;
  const search: string[] = [];
  const withSub = name.split('/')[0] !== subdir;
  for (const p of paths) {
    if (withSub) search.push(join(p, subdir, name));
    search.push(join(p, name));
  }
  if (withSub) search.push(join(baseDir, subdir, name));
  search.push(join(baseDir, name));
  return search.find((c) => existsSync(c));
}

/** Runs the lookup: `[path]`, or `[]` when nothing is found and `skip` is set. */
export function firstFound(
  terms: unknown[],
  kw: Record<string, unknown>,
  find: (name: string) => string | undefined,
  template: (name: string) => string | undefined,
): string[] {
  const { search, skip } = firstFoundCandidates(terms, kw);
  for (const candidate of search) {
    const name = template(candidate);
    if (name === undefined) continue;
    const path = find(name);
    if (path !== undefined) return [path];
  }
  if (skip) return [];
  throw new TemplateError('No file was found when using first_found.');
}
