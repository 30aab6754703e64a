// Loads TOSCA type files with their imports (relative paths, and URLs through catalog.yaml) and
// indexes every type definition per import closure. Shared by check-types.ts and
// check-corpus.ts; standalone on purpose (no libs/tosca), so the type files can be checked
// before and independently of the compiler.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';

export const TYPES_DIR = resolve(__dirname, '..');

export const SECTIONS = [
  'data_types',
  'artifact_types',
  'capability_types',
  'interface_types',
  'relationship_types',
  'node_types',
  'group_types',
  'policy_types',
] as const;
export type Section = (typeof SECTIONS)[number];

export type Doc = Record<string, unknown>;
export interface TypeDef {
  section: Section;
  name: string;
  def: Doc;
  file: string;
}
export interface Closure {
  files: string[];
  types: Map<string, TypeDef>;
  duplicates: string[];
  problems: string[];
}

export const isMap = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Catalog {
  urls: Record<string, string>;
  prefixes: Record<string, string>;
}

let catalogCache: Catalog | undefined;
export function catalog(): Catalog {
  if (catalogCache) return catalogCache;
  const doc = readYaml(join(TYPES_DIR, 'catalog.yaml'));
  catalogCache = {
    urls: isMap(doc.urls) ? (doc.urls as Record<string, string>) : {},
    prefixes: isMap(doc.prefixes) ? (doc.prefixes as Record<string, string>) : {},
  };
  return catalogCache;
}

/** The local file a URL maps to, or undefined. */
export function resolveUrl(url: string): string | undefined {
  const c = catalog();
  if (c.urls[url] !== undefined) return join(TYPES_DIR, c.urls[url]);
  const prefix = Object.keys(c.prefixes)
    .filter((p) => url.startsWith(p))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : join(TYPES_DIR, c.prefixes[prefix], url.slice(prefix.length));
}

const docCache = new Map<string, Doc>();
/** YAML 1.1 (yes/no booleans, as the corpus expects); duplicate keys are errors. */
export function readYaml(file: string): Doc {
  const hit = docCache.get(file);
  if (hit) return hit;
  const doc = parseDocument(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { version: '1.1' });
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
  const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  const out = isMap(value) ? value : {};
  docCache.set(file, out);
  return out;
}

/** Import targets of a document as [what was written, local file or undefined]. */
export function importsOf(file: string, doc: Doc): Array<[string, string | undefined]> {
  const list = Array.isArray(doc.imports) ? doc.imports : [];
  const repos = isMap(doc.repositories) ? doc.repositories : {};
  const out: Array<[string, string | undefined]> = [];
  for (const entry of list) {
    let name: unknown = entry;
    let repo: unknown;
    if (isMap(entry)) {
      const inner = 'file' in entry ? entry : Object.values(entry)[0];
      name = isMap(inner) ? inner.file : inner;
      repo = isMap(inner) ? inner.repository : undefined;
    }
    if (typeof name !== 'string') continue;
    let target = name;
    if (typeof repo === 'string') {
      const r = repos[repo];
      const base = isMap(r) ? r.url : r;
      if (typeof base === 'string') target = base.endsWith('/') ? base + name : `${base}/${name}`;
    }
    if (/^[a-z]+:\/\//i.test(target)) out.push([target, resolveUrl(target)]);
    else out.push([target, resolve(dirname(file), target)]);
  }
  return out;
}

export function profileFor(version: unknown): string | undefined {
  if (typeof version !== 'string') return undefined;
  const p = join(TYPES_DIR, 'normative', `profile-${version}.yaml`);
  return existsSync(p) ? p : undefined;
}

/** Every type visible from `roots` (files loaded in import order, each once). */
export function closure(roots: string[]): Closure {
  const c: Closure = { files: [], types: new Map(), duplicates: [], problems: [] };
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!existsSync(file)) {
      c.problems.push(`missing file ${file}`);
      return;
    }
    const doc = readYaml(file);
    for (const [written, local] of importsOf(file, doc)) {
      if (local === undefined) c.problems.push(`${file}: import ${written} is not in the catalog`);
      else visit(local);
    }
    c.files.push(file);
    for (const section of SECTIONS) {
      const defs = doc[section];
      if (!isMap(defs)) continue;
      for (const [name, def] of Object.entries(defs)) {
        const prev = c.types.get(name);
        if (prev) c.duplicates.push(`${section} ${name}: ${prev.file} and ${file}`);
        c.types.set(name, { section, name, def: isMap(def) ? def : {}, file });
      }
    }
  };
  for (const r of roots) visit(r);
  return c;
}

/** The type and its ancestors, nearest first (stops on unknown parents and cycles). */
export function lineage(c: Closure, name: string): TypeDef[] {
  const out: TypeDef[] = [];
  const seen = new Set<string>();
  let cur = c.types.get(name);
  while (cur && !seen.has(cur.name)) {
    seen.add(cur.name);
    out.push(cur);
    const parent = cur.def.derived_from;
    cur = typeof parent === 'string' ? c.types.get(parent) : undefined;
  }
  return out;
}

export function isA(c: Closure, name: string, ancestor: string): boolean {
  return lineage(c, name).some((t) => t.name === ancestor);
}

/** Merged map of a keyed section (properties, attributes, capabilities, interfaces...) along the lineage. */
export function merged(c: Closure, name: string, key: string): Doc {
  const out: Doc = {};
  for (const t of lineage(c, name).reverse()) {
    const m = t.def[key];
    if (isMap(m)) for (const [k, v] of Object.entries(m)) out[k] = isMap(out[k]) && isMap(v) ? { ...out[k], ...v } : v;
  }
  return out;
}

/** Requirement definitions along the lineage, by name (children refine parents). */
export function requirementDefs(c: Closure, name: string): Doc {
  const out: Doc = {};
  for (const t of lineage(c, name).reverse()) {
    const list = t.def.requirements;
    if (!Array.isArray(list)) continue;
    for (const r of list) {
      if (!isMap(r)) continue;
      for (const [k, v] of Object.entries(r)) out[k] = isMap(out[k]) && isMap(v) ? { ...out[k], ...v } : v;
    }
  }
  return out;
}
