// The compile pipeline (STYLE.md rule 6): read -> namespaces -> hierarchies -> inheritance ->
// rendering -> normalization, stopping after any phase that recorded an error.
// Phases 2-4 depend only on the type files when the template defines no types of its own, so
// their result is reused across compiles while every imported file is the same parsed object
// (the file cache keeps it while mtime and size hold): a warm compile renders the template only.
import { checkNodeTemplateCount, truncateDiagnostics } from './compile-bounds';
import { diag, DiagnosticBag } from './diagnostics';
import { defaultTypesDir } from './import-resolver';
import type { CompileResult, Diagnostic } from './model';
import { DEFAULT_COMPILE_LIMITS, INDIGO_QUIRKS, type CompileLimits, type CompileOptions, type Quirks } from './options';
import { readContext, readPhase, type Entry, type ReadOutput } from './phase1-read';
import { KINDS, namespacesPhase, SECTIONS } from './phase2-namespaces';
import { hierarchiesPhase } from './phase3-hierarchies';
import { inheritancePhase, type Inheritance } from './phase4-inheritance';
import { renderingPhase } from './phase5-rendering';
import { normalizePhase } from './phase6-normalize';
import type { YMap } from './yaml-tree';

interface TypeSystemEntry {
  docs: YMap[];
  inh: Inheritance;
  diagnostics: Diagnostic[];
}

const typeSystems = new Map<string, TypeSystemEntry>();
const MAX_TYPE_SYSTEMS = 64;

/** Phases 2-4, or their cached result. Returns undefined when they found errors. */
function typeSystem(read: ReadOutput, quirks: Quirks, bag: DiagnosticBag): Inheritance | undefined {
  const library = read.units.filter((u) => u !== read.root);
  const rootDefinesTypes = KINDS.some((k) => read.root.doc[SECTIONS[k]] !== undefined && read.root.doc[SECTIONS[k]] !== null);
  const key = `${JSON.stringify(quirks)}|${library.map((u) => `${u.id}#${[...u.prefixes].join(',')}#${u.normative}`).join('|')}`;
  if (!rootDefinesTypes) {
    const hit = typeSystems.get(key);
    if (hit && hit.docs.length === library.length && hit.docs.every((d, i) => d === library[i].doc)) {
      for (const d of hit.diagnostics) bag.add(d);
      return bag.hasErrors ? undefined : hit.inh;
    }
  }
  const local = new DiagnosticBag();
  const run = (): Inheritance | undefined => {
    const ns = namespacesPhase(read, quirks, local);
    if (local.hasErrors) return undefined;
    const h = hierarchiesPhase(ns, local);
    if (local.hasErrors) return undefined;
    return inheritancePhase(h, quirks, local);
  };
  const inh = run();
  for (const d of local.items) bag.add(d);
  if (!rootDefinesTypes && inh) {
    if (typeSystems.size >= MAX_TYPE_SYSTEMS) typeSystems.delete(typeSystems.keys().next().value as string);
    typeSystems.set(key, { docs: library.map((u) => u.doc), inh, diagnostics: local.items });
  }
  return local.hasErrors ? undefined : inh;
}

export async function compileTemplate(entry: Entry, options: CompileOptions & { deferMissingInputs?: boolean } = {}): Promise<CompileResult> {
  const limits: CompileLimits = { ...DEFAULT_COMPILE_LIMITS, ...options.limits };
  const bag = new DiagnosticBag(limits.maxDiagnostics);
  const phase = { name: 'read' };
  const finish = (result: Omit<CompileResult, 'diagnostics'> = {}): CompileResult => ({ ...result, diagnostics: truncateDiagnostics(bag, limits.maxDiagnostics, entry.file) });
  try {
    return finish(await runPhases(entry, options, limits, bag, phase));
  } catch (error) {
    // A compiler bug is the caller's diagnostic, never a 500 (issue 8): the phase says where.
    // Only the error's first line: no stack, no server path beyond what the message holds.
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    bag.add(diag.internalError({ path: '', file: entry.file, line: 1, column: 1 }, { phase: phase.name, error: text.split('\n')[0].slice(0, 200) }));
    return finish();
  }
}

async function runPhases(entry: Entry, options: CompileOptions & { deferMissingInputs?: boolean }, limits: CompileLimits, bag: DiagnosticBag, phase: { name: string }): Promise<Omit<CompileResult, 'diagnostics'>> {
  const quirks: Quirks = { ...INDIGO_QUIRKS, ...options.quirks };
  const typesDir = options.typesDir ?? defaultTypesDir();
  const read = await readPhase(entry, readContext(options, typesDir, quirks), bag);
  if (!read || bag.hasErrors) return {};
  checkNodeTemplateCount(read.root, limits, bag);
  if (bag.hasErrors) return {};
  phase.name = 'namespaces, hierarchies and inheritance';
  const inh = typeSystem(read, quirks, bag);
  if (!inh || bag.hasErrors) return {};
  phase.name = 'rendering';
  const rendered = renderingPhase(read, inh, { inputs: options.inputs ?? {}, quirks, deferMissingInputs: options.deferMissingInputs ?? false }, bag);
  if (bag.hasErrors) return {};
  phase.name = 'normalization';
  const { topology, plan } = normalizePhase(rendered, bag, limits.maxInstances);
  if (bag.hasErrors) return {};
  return { topology, plan };
}
