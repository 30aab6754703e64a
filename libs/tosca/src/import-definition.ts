// Import definition (TOSCA 1.3 §3.6.8; 1.0 §3.5.8): `- file`, `- name: file`,
// `- name: { file, repository, namespace_uri, namespace_prefix }`, and 1.2+ `- { file, ... }`.
// Also repository definitions (§3.6.7): `name: url` or `name: { url, description, credential }`.
import { diag, type DiagnosticBag } from './diagnostics';
import { here, join } from './where';
import { isYMap, type YList, type YMap, type YValue } from './yaml-tree';

export interface ImportDefinition {
  file: string;
  repository?: string;
  namespacePrefix?: string;
  /** Where the import sits, for diagnostics. */
  container: YMap | YList;
  key: string | number;
  path: string;
}

const LONG_KEYS = ['file', 'repository', 'namespace_uri', 'namespace_prefix'];

function fromLong(v: YMap, container: YMap | YList, key: string | number, path: string, file: string, bag: DiagnosticBag): ImportDefinition | undefined {
  for (const k of Object.keys(v)) {
    if (!LONG_KEYS.includes(k)) bag.add(diag.unknownField(here(v, k, join(path, k), file, true), { field: k, where: 'the import definition', allowed: LONG_KEYS }));
  }
  if (typeof v.file !== 'string' || v.file === '') {
    bag.add(diag.importInvalid(here(container, key, path, file), { reason: 'the long form needs a "file"' }));
    return undefined;
  }
  const def: ImportDefinition = { file: v.file, container, key, path };
  if (typeof v.repository === 'string') def.repository = v.repository;
  if (typeof v.namespace_prefix === 'string') def.namespacePrefix = v.namespace_prefix;
  return def;
}

/** Read the `imports` section of a file. */
export function readImports(doc: YMap, file: string, bag: DiagnosticBag): ImportDefinition[] {
  const raw = doc.imports;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    bag.add(diag.wrongShape(here(doc, 'imports', 'imports', file), { what: 'imports', expected: 'a list', actual: typeof raw }));
    return [];
  }
  const out: ImportDefinition[] = [];
  const names = new Set<string>();
  raw.forEach((entry: YValue, index: number) => {
    const path = `imports[${index}]`;
    if (typeof entry === 'string' && entry !== '') {
      out.push({ file: entry, container: raw, key: index, path });
      return;
    }
    if (!isYMap(entry)) {
      bag.add(diag.importInvalid(here(raw, index, path, file), { reason: 'an import is a file name or a map' }));
      return;
    }
    if ('file' in entry) {
      const def = fromLong(entry, raw, index, path, file, bag);
      if (def) out.push(def);
      return;
    }
    const keys = Object.keys(entry);
    if (keys.length !== 1) {
      bag.add(diag.importInvalid(here(raw, index, path, file), { reason: 'a named import has exactly one name' }));
      return;
    }
    const name = keys[0];
    if (names.has(name)) bag.add(diag.importInvalid(here(entry, name, join(path, name), file), { reason: `duplicate import name "${name}"` }));
    names.add(name);
    const value = entry[name];
    if (typeof value === 'string' && value !== '') out.push({ file: value, container: entry, key: name, path: join(path, name) });
    else if (isYMap(value)) {
      const def = fromLong(value, entry, name, join(path, name), file, bag);
      if (def) out.push(def);
    } else bag.add(diag.importInvalid(here(entry, name, join(path, name), file), { reason: `import "${name}" names no file` }));
  });
  return out;
}

/** Read `repositories`: name -> URL. */
export function readRepositories(doc: YMap, file: string, bag: DiagnosticBag): Map<string, string> {
  const out = new Map<string, string>();
  const raw = doc.repositories;
  if (!isYMap(raw)) return out;
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'string') out.set(name, value);
    else if (isYMap(value) && typeof value.url === 'string') out.set(name, value.url);
    else bag.add(diag.missingRequiredField(here(raw, name, `repositories.${name}`, file), { field: 'url', where: `repository "${name}"` }));
  }
  return out;
}
