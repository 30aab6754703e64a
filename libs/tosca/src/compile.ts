// The compile pipeline (STYLE.md rule 6): read -> namespaces -> hierarchies -> inheritance ->
// rendering -> normalization, stopping after any phase that recorded an error.
// Phases 2-4 depend only on the type files when the template defines no types of its own, so
// their result is reused across compiles while every imported file is the same parsed object
// (the file cache keeps it while mtime and size hold): a warm compile renders the template only.
import { DiagnosticBag } from './diagnostics';
import { defaultTypesDir } from './import-resolver';
import type { CompileResult, Diagnostic } from './model';
import { INDIGO_QUIRKS, type CompileOptions, type Quirks } from './options';
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
  const bag = new DiagnosticBag();
  const quirks: Quirks = { ...INDIGO_QUIRKS, ...options.quirks };
  const typesDir = options.typesDir ?? defaultTypesDir();
  const read = await readPhase(entry, readContext(options, typesDir, quirks), bag);
  if (!read || bag.hasErrors) return { diagnostics: bag.items };
  const inh = typeSystem(read, quirks, bag);
  if (!inh || bag.hasErrors) return { diagnostics: bag.items };
  const rendered = renderingPhase(read, inh, { inputs: options.inputs ?? {}, quirks, deferMissingInputs: options.deferMissingInputs ?? false }, bag);
  if (bag.hasErrors) return { diagnostics: bag.items };
  const { topology, plan } = normalizePhase(rendered, bag);
  if (bag.hasErrors) return { diagnostics: bag.items };
  return { topology, plan, diagnostics: bag.items };
}
