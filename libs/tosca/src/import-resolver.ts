// Where an import points (TOSCA 1.3 §3.6.8.3 "Import processing rules"): relative to the
// importing file, through a repository, or an absolute URL. URLs resolve offline first, through
// the catalog of tosca-types/catalog.yaml (exact URLs, then the longest matching prefix).
import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join as joinPath, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog } from './options';
import { readParsedFile } from './source-files';
import { DEFAULT_LIMITS, isYMap } from './yaml-tree';

export type Location = { kind: 'file'; path: string } | { kind: 'url'; url: string };

export const isUrl = (s: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(s);

/** Resolve an import name relative to the importing unit (a file path or a URL). */
export function locate(name: string, importerId: string, repositoryUrl: string | undefined): Location {
  let target: string;
  if (repositoryUrl !== undefined) target = repositoryUrl.endsWith('/') ? repositoryUrl + name : `${repositoryUrl}/${name}`;
  else if (isUrl(name)) target = name;
  else if (isUrl(importerId)) target = new URL(name, importerId).href;
  // resolve() normalises (`/a//b/./c` and `/a/x/../b/c` are one file, one cache entry).
  else if (isAbsolute(name)) return { kind: 'file', path: resolve(name) };
  else return { kind: 'file', path: resolve(dirname(importerId), name) };
  // fileURLToPath throws on a host (`file://host/x`) or an encoded slash: a TypeError the reader reports as import_invalid.
  if (/^file:/i.test(target)) return { kind: 'file', path: resolve(fileURLToPath(target)) };
  if (!isUrl(target)) return { kind: 'file', path: resolve(dirname(importerId), target) };
  return { kind: 'url', url: target };
}

/** Map a URL to a local file through the catalog, or undefined when the catalog does not know it. */
export function fromCatalog(url: string, catalog: Catalog): string | undefined {
  const exact = catalog.urls[url];
  if (exact !== undefined) return exact;
  let best: string | undefined;
  for (const prefix of Object.keys(catalog.prefixes)) {
    if (url.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  if (best === undefined) return undefined;
  const folder = catalog.prefixes[best];
  let rest: string;
  try {
    rest = decodeURIComponent(url.slice(best.length).split(/[?#]/)[0]);
  } catch {
    return undefined; // a malformed escape is no catalogued file
  }
  // An encoded `..%2F` must not walk out of the catalogued folder.
  const local = joinPath(folder, rest);
  return local === folder || local.startsWith(folder.endsWith(sep) ? folder : folder + sep) ? local : undefined;
}

/** Load tosca-types/catalog.yaml (cached by mtime) and merge `extra` over it; paths made absolute. */
const catalogCache = new Map<string, { doc: unknown; catalog: Catalog }>();

export function loadCatalog(typesDir: string, extra: Partial<Catalog> | undefined): Catalog {
  const parsed = readParsedFile(joinPath(typesDir, 'catalog.yaml'), 'catalog.yaml', DEFAULT_LIMITS, 4 * 1024 * 1024);
  const doc = parsed?.value;
  const key = extra ? `${typesDir}|${JSON.stringify(extra)}` : typesDir;
  const hit = catalogCache.get(key);
  if (hit && hit.doc === doc) return hit.catalog;
  const out: Catalog = { urls: {}, prefixes: {} };
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(typesDir, p));
  const add = (from: unknown, into: Record<string, string>) => {
    if (typeof from !== 'object' || from === null) return;
    for (const [k, v] of Object.entries(from as Record<string, unknown>)) if (typeof v === 'string') into[k] = abs(v);
  };
  if (isYMap(doc)) {
    add(doc.urls, out.urls);
    add(doc.prefixes, out.prefixes);
  }
  add(extra?.urls, out.urls);
  add(extra?.prefixes, out.prefixes);
  if (catalogCache.size > 32) catalogCache.clear();
  catalogCache.set(key, { doc, catalog: out });
  return out;
}

const profileCache = new Map<string, string[]>();

/** Versions with an implicit normative profile in typesDir/normative (profile-<version>.yaml). */
export function profileVersions(typesDir: string): string[] {
  const dir = joinPath(typesDir, 'normative');
  const hit = profileCache.get(dir);
  if (hit) return hit;
  const found = existsSync(dir)
    ? readdirSync(dir)
        .map((f) => /^profile-(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((v): v is string => v !== undefined)
    : [];
  profileCache.set(dir, found);
  return found;
}

export function profilePath(typesDir: string, version: string): string {
  const yaml = joinPath(typesDir, 'normative', `profile-${version}.yaml`);
  return existsSync(yaml) ? yaml : joinPath(typesDir, 'normative', `profile-${version}.yml`);
}

/** The project's tosca-types/ folder: the nearest ancestor of this file that holds one. */
let typesDirMemo: string | undefined;

export function defaultTypesDir(): string {
  typesDirMemo ??= findTypesDir();
  return typesDirMemo;
}

function findTypesDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i += 1) {
    const candidate = joinPath(dir, 'tosca-types');
    if (existsSync(candidate) && existsSync(joinPath(dir, 'package.json'))) return candidate;
    dir = dirname(dir);
  }
  return resolve('tosca-types');
}
