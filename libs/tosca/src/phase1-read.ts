// Phase 1: read (STYLE.md rule 6). The entry file and, transitively, its imports (TOSCA 1.3
// §3.6.8) plus the implicit normative profile of its tosca_definitions_version become Units:
// parsed trees with positions. The only phase with I/O. Import cycles are reported, not followed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join as joinPath, relative, resolve } from 'node:path';
import { readCsar } from './csar';
import { diag, DiagnosticBag } from './diagnostics';
import type { Diagnostic } from './model';
import { readImports, readRepositories } from './import-definition';
import { fromCatalog, isUrl, loadCatalog, locate, profilePath, profileVersions, type Location } from './import-resolver';
import { importPolicy, type ImportPolicy } from './import-policy';
import { DEFAULT_COMPILE_LIMITS, type Catalog, type CompileOptions, type Quirks } from './options';
import { DEFAULT_FETCH_MAX_BYTES, DEFAULT_FETCH_TIMEOUT_MS, fetchImport } from './remote-fetch';
import { checkServiceTemplate, TOSCA_VERSIONS } from './service-template';
import { isCachedFile, parseBytes, parseText, readParsedFile, type ParsedFile } from './source-files';
import { here } from './where';
import { DEFAULT_LIMITS, isYMap, type ParseLimits, type YMap } from './yaml-tree';

/** One parsed TOSCA file. */
export interface Unit {
  /** Absolute path or URL: the identity of the file. */
  id: string;
  /** The name diagnostics show (relative to the working directory when inside it). */
  file: string;
  doc: YMap;
  version?: string;
  /** Part of the implicit normative profile: its types also answer to short names. */
  normative: boolean;
  /** Prefixes under which importers see this unit's types; '' = unprefixed. */
  prefixes: Set<string>;
}

export interface ReadOutput {
  root: Unit;
  /** Every unit, dependencies before the files that import them. */
  units: Unit[];
  version: string;
}

export type Entry = { file: string } | { text: string; file: string };

export interface ReadContext {
  typesDir: string;
  catalog: Catalog;
  /** Which local files imports may read (import-policy.ts). */
  policy: ImportPolicy;
  options: CompileOptions;
  quirks: Quirks;
}

const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;

const displayNames = new Map<string, string>();

/** The name diagnostics show for a unit (memoized: path.relative is costly on the warm path). */
export function displayName(id: string): string {
  if (isUrl(id)) return id;
  const cwd = process.cwd();
  const key = `${cwd}\0${id}`;
  let name = displayNames.get(key);
  if (name === undefined) {
    const rel = relative(cwd, id);
    name = rel.startsWith('..') ? id : rel;
    if (displayNames.size > 10_000) displayNames.clear();
    displayNames.set(key, name);
  }
  return name;
}

/** tosca-parser resolves a nested relative import against the importer's ancestors too. */
function ancestorFallback(importer: string, name: string): string | undefined {
  let dir = dirname(dirname(importer));
  for (let i = 0; i < 6; i += 1) {
    const candidate = joinPath(dir, name);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

class Reader {
  readonly units = new Map<string, Unit>();
  readonly order: Unit[] = [];
  /** Files of the CSAR being compiled, by the absolute path they would have if it were a folder. */
  archive: Map<string, Uint8Array> | undefined;
  private readonly limits: ParseLimits;
  private readonly maxBytes: number;
  private readonly knownVersions: string[];

  constructor(
    private readonly ctx: ReadContext,
    private readonly bag: DiagnosticBag,
  ) {
    this.limits = { ...DEFAULT_LIMITS, duplicateKeysLastWins: ctx.quirks.duplicateKeysLastWins };
    this.maxBytes = ctx.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.knownVersions = [...new Set([...TOSCA_VERSIONS, ...profileVersions(ctx.typesDir)])];
  }

  private accept(parsed: ParsedFile, file: string): YMap | undefined {
    for (const d of parsed.diagnostics) this.bag.add(d);
    if (parsed.value === undefined) return undefined;
    if (!isYMap(parsed.value)) {
      const w = { path: '', file, line: 1, column: 1 };
      this.bag.add(diag.wrongShape(w, { what: `the TOSCA file ${file}`, expected: 'a map', actual: Array.isArray(parsed.value) ? 'a list' : typeof parsed.value }));
      return undefined;
    }
    return parsed.value;
  }

  async load(loc: Location, at: { container: unknown; key: string | number | undefined; path: string; file: string }, parse: () => Promise<ParsedFile | undefined>, normative: boolean, isRoot: boolean, stack: string[], prefix: string): Promise<Unit | undefined> {
    const id = loc.kind === 'file' ? loc.path : loc.url;
    if (stack.includes(id)) {
      this.bag.add(diag.importCycle(here(at.container, at.key, at.path, at.file), { chain: [...stack.slice(stack.indexOf(id)), id].map(displayName) }));
      return undefined;
    }
    const existing = this.units.get(id);
    if (existing) {
      existing.prefixes.add(prefix);
      return existing;
    }
    const file = displayName(id);
    const parsed = await parse();
    if (parsed === undefined) {
      if (isRoot) {
        this.bag.add(diag.fileNotFound({ path: '', file: at.file, line: 0, column: 0 }, { file: at.file }));
        return undefined;
      }
      this.bag.add(diag.importNotFound(here(at.container, at.key, at.path, at.file), { name: file, resolved: id }));
      return undefined;
    }
    const doc = this.accept(parsed, file);
    if (!doc) return undefined;
    const versionOptional = !isRoot && (normative || this.ctx.quirks.importedWithoutVersion);
    const version = checkServiceTemplate(doc, file, this.knownVersions, this.bag, versionOptional);
    if (!isRoot && doc.tosca_definitions_version === undefined && !normative) {
      this.bag.add(diag.quirkApplied(here(doc, undefined, '', file), { quirk: 'imported-without-version', detail: `imported file ${file} has no tosca_definitions_version` }));
    }
    const unit: Unit = { id, file, doc, normative, prefixes: new Set([prefix]) };
    if (version !== undefined) unit.version = version;
    this.units.set(id, unit);
    await this.loadImports(unit, [...stack, id]);
    this.order.push(unit);
    return unit;
  }

  private async loadImports(unit: Unit, stack: string[]): Promise<void> {
    const repos = readRepositories(unit.doc, unit.file, this.bag);
    for (const def of readImports(unit.doc, unit.file, this.bag)) {
      const at = { container: def.container, key: def.key, path: def.path, file: unit.file };
      let repoUrl: string | undefined;
      if (def.repository !== undefined) {
        repoUrl = repos.get(def.repository);
        if (repoUrl === undefined) {
          this.bag.add(diag.unknownRepository(here(def.container, def.key, def.path, unit.file), { name: def.repository }));
          continue;
        }
      }
      let loc: Location;
      try {
        loc = locate(def.file, unit.id, repoUrl);
      } catch (error) {
        this.bag.add(diag.importInvalid(here(def.container, def.key, def.path, unit.file), { reason: `${JSON.stringify(def.file)} is no usable path or URL (${error instanceof Error ? error.message : String(error)})` }));
        continue;
      }
      // Checked only when the import is missing, so the warm path costs no extra stat; never
      // outside what the policy allows (no existence probe of a refused path).
      if (loc.kind === 'file' && this.ctx.policy.allows(loc.path) && !this.archive?.has(loc.path) && !isAbsolute(def.file) && !isUrl(def.file) && this.ctx.quirks.importAncestorFallback && !isUrl(unit.id) && !isCachedFile(loc.path) && !existsSync(loc.path)) {
        const found = ancestorFallback(unit.id, def.file);
        if (found) {
          this.bag.add(diag.quirkApplied(here(def.container, def.key, def.path, unit.file), { quirk: 'import-ancestor-fallback', detail: `import "${def.file}" found as ${displayName(found)}` }));
          loc = { kind: 'file', path: found };
        }
      }
      await this.loadLocation(loc, { ...at, name: def.file }, unit.normative, stack, def.namespacePrefix ?? '');
    }
  }

  async loadLocation(loc: Location, at: { container: unknown; key: string | number | undefined; path: string; file: string; name?: string }, normative: boolean, stack: string[], prefix: string): Promise<Unit | undefined> {
    if (loc.kind === 'file') {
      const packed = this.archive?.get(loc.path);
      if (!packed && !this.ctx.policy.allows(loc.path)) {
        // The same words whether or not the file exists, and nothing read from it.
        this.bag.add(diag.importOutsideCatalogue(here(at.container, at.key, at.path, at.file), { name: at.name ?? '' }));
        return undefined;
      }
      const display = displayName(loc.path);
      if (packed) return this.load(loc, at, async () => parseBytes(packed, display, this.limits, this.maxBytes), normative, false, stack, prefix);
      return this.load(loc, at, async () => readParsedFile(loc.path, display, this.limits, this.maxBytes), normative, false, stack, prefix);
    }
    const local = fromCatalog(loc.url, this.ctx.catalog);
    if (local !== undefined) {
      // Catalogued URL: the local copy stands for the URL; relative imports inside it resolve locally.
      return this.loadLocation({ kind: 'file', path: local }, at, normative, stack, prefix);
    }
    const fetchOptions = this.ctx.options.fetch;
    const w = here(at.container, at.key, at.path, at.file);
    if (!fetchOptions) {
      this.bag.add(diag.importRemoteDisabled(w, { url: loc.url }));
      return undefined;
    }
    return this.load(
      loc,
      at,
      async () => {
        const got = await fetchImport(loc.url, fetchOptions);
        if (got.ok) return parseBytes(got.body, loc.url, this.limits, this.maxBytes);
        if (got.kind === 'not_allowed') this.bag.add(diag.importNotAllowed(w, { url: loc.url }));
        else if (got.kind === 'timeout') this.bag.add(diag.importTimeout(w, { url: loc.url, ms: fetchOptions.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS }));
        else if (got.kind === 'too_large') this.bag.add(diag.fileTooLarge(w, { file: loc.url, size: got.size ?? 0, limit: fetchOptions.maxBytes ?? DEFAULT_FETCH_MAX_BYTES }));
        else this.bag.add(diag.importFetchFailed(w, { url: loc.url, reason: got.reason }));
        return { value: undefined, diagnostics: [] };
      },
      normative,
      false,
      stack,
      prefix,
    );
  }
}

// The import graph of a file entry is reused while every file in it is the same parsed object
// (the file cache re-stats each one), so a warm compile does one stat per file and nothing else.
const graphs = new Map<string, { files: Array<[string, string, unknown]>; catalog: Catalog; out: ReadOutput; diagnostics: Diagnostic[] }>();

function graphKey(id: string, ctx: ReadContext): string {
  const o = ctx.options;
  return JSON.stringify([id, ctx.typesDir, ctx.quirks, o.catalog ?? null, o.maxFileBytes ?? null, o.noImplicitImports ?? false, o.imports ?? 'local-files', o.limits ?? null]);
}

/** Phase 1: read the entry and everything it imports. Returns undefined when the entry is unusable. */
export async function readPhase(entry: Entry, ctx: ReadContext, bag: DiagnosticBag): Promise<ReadOutput | undefined> {
  const cacheable = !('text' in entry) && !ctx.options.fetch;
  const key = cacheable ? graphKey(resolve(entry.file), ctx) : '';
  if (cacheable) {
    const hit = graphs.get(key);
    const limits = { ...DEFAULT_LIMITS, duplicateKeysLastWins: ctx.quirks.duplicateKeysLastWins };
    const maxBytes = ctx.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    if (hit && hit.catalog === ctx.catalog && hit.files.every(([path, display, doc]) => readParsedFile(path, display, limits, maxBytes)?.value === doc)) {
      for (const d of hit.diagnostics) bag.add(d);
      return hit.out;
    }
  }
  const local = new DiagnosticBag();
  const out = await readFresh(entry, ctx, local);
  for (const d of local.items) bag.add(d);
  if (cacheable && out && !local.hasErrors && out.units.every((u) => !isUrl(u.id))) {
    if (graphs.size > 256) graphs.clear();
    graphs.set(key, { files: out.units.map((u) => [u.id, u.file, u.doc]), catalog: ctx.catalog, out, diagnostics: local.items });
  }
  return out;
}

const CSAR = /\.(?:csar|zip)$/i;

/**
 * A CSAR entry (§4): its files become an in-memory folder at the archive's own path, and the
 * entry definitions stand for the archive; relative imports then resolve inside it.
 */
function openCsar(reader: Reader, path: string, maxBytes: number, bag: DiagnosticBag): string | undefined {
  const at = { path: '', file: displayName(path), line: 1, column: 1 };
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st?.isFile()) {
    bag.add(diag.fileNotFound(at, { file: at.file }));
    return undefined;
  }
  if (st.size > maxBytes) {
    bag.add(diag.fileTooLarge(at, { file: at.file, size: st.size, limit: maxBytes }));
    return undefined;
  }
  const csar = readCsar(readFileSync(path), { maxEntries: 10_000, maxBytes });
  if (!csar.ok) {
    bag.add(diag.csarInvalid(at, { file: at.file, reason: csar.reason }));
    return undefined;
  }
  reader.archive = new Map([...csar.files].map(([name, body]) => [joinPath(path, name), body]));
  return joinPath(path, csar.entry);
}

async function readFresh(entry: Entry, ctx: ReadContext, bag: DiagnosticBag): Promise<ReadOutput | undefined> {
  const reader = new Reader(ctx, bag);
  const limits = { ...DEFAULT_LIMITS, duplicateKeysLastWins: ctx.quirks.duplicateKeysLastWins };
  const maxBytes = ctx.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let id = resolve(entry.file);
  if (!('text' in entry) && CSAR.test(id)) {
    const inside = openCsar(reader, id, maxBytes, bag);
    if (inside === undefined) return undefined;
    id = inside;
  }
  const display = 'text' in entry ? entry.file : displayName(id);
  const top = { container: undefined, key: undefined, path: '', file: display };
  const packed = reader.archive?.get(id);
  // The entry is the caller's: bounded in bytes and in YAML nodes (catalogue files are the operator's).
  const bounds = { ...DEFAULT_COMPILE_LIMITS, ...ctx.options.limits };
  const rootLimits = { ...limits, maxNodes: bounds.maxTemplateNodes };
  const rootBytes = Math.min(maxBytes, bounds.maxTemplateBytes);
  const root = await reader.load(
    { kind: 'file', path: id },
    top,
    async () =>
      'text' in entry ? parseText(entry.text, display, rootLimits, rootBytes) : packed ? parseBytes(packed, display, rootLimits, rootBytes) : readParsedFile(id, display, rootLimits, rootBytes),
    false,
    true,
    [],
    '',
  );
  if (!root) return undefined;
  const version = root.version ?? 'tosca_simple_yaml_1_0';
  if (!ctx.options.noImplicitImports && root.version !== undefined) {
    const profile = profilePath(ctx.typesDir, version);
    const unit = await reader.loadLocation({ kind: 'file', path: profile }, top, true, [], '');
    if (unit) {
      // The profile must precede everything that derives from it.
      reader.order.splice(reader.order.indexOf(unit), 1);
      const normativeUnits = reader.order.filter((u) => u.normative);
      const rest = reader.order.filter((u) => !u.normative);
      reader.order.length = 0;
      reader.order.push(...normativeUnits, unit, ...rest);
    }
  }
  return { root, units: reader.order, version };
}

/** Build the read context from options (catalog loaded and cached per typesDir). */
export function readContext(options: CompileOptions, typesDir: string, quirks: Quirks): ReadContext {
  const catalog = loadCatalog(typesDir, options.catalog);
  return { typesDir, catalog, policy: importPolicy(options.imports ?? 'local-files', typesDir, catalog), options, quirks };
}
