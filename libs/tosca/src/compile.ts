// The compile pipeline (STYLE.md rule 6): read -> namespaces -> hierarchies -> inheritance ->
// rendering -> normalization, stopping after any phase that recorded an error.
import { DiagnosticBag } from './diagnostics';
import { defaultTypesDir } from './import-resolver';
import type { CompileResult } from './model';
import { INDIGO_QUIRKS, type CompileOptions, type Quirks } from './options';
import { readContext, readPhase, type Entry } from './phase1-read';
import { namespacesPhase } from './phase2-namespaces';
import { hierarchiesPhase } from './phase3-hierarchies';
import { inheritancePhase } from './phase4-inheritance';
import { renderingPhase } from './phase5-rendering';
import { normalizePhase } from './phase6-normalize';

export async function compileTemplate(entry: Entry, options: CompileOptions & { deferMissingInputs?: boolean } = {}): Promise<CompileResult> {
  const bag = new DiagnosticBag();
  const quirks: Quirks = { ...INDIGO_QUIRKS, ...options.quirks };
  const typesDir = options.typesDir ?? defaultTypesDir();
  const read = await readPhase(entry, readContext(options, typesDir, quirks), bag);
  if (!read || bag.hasErrors) return { diagnostics: bag.items };
  const ns = namespacesPhase(read, quirks, bag);
  if (bag.hasErrors) return { diagnostics: bag.items };
  const h = hierarchiesPhase(ns, bag);
  if (bag.hasErrors) return { diagnostics: bag.items };
  const inh = inheritancePhase(h, quirks, bag);
  if (bag.hasErrors) return { diagnostics: bag.items };
  const rendered = renderingPhase(inh, { inputs: options.inputs ?? {}, quirks, deferMissingInputs: options.deferMissingInputs ?? false }, bag);
  if (bag.hasErrors) return { diagnostics: bag.items };
  const { topology, plan } = normalizePhase(rendered, bag);
  if (bag.hasErrors) return { diagnostics: bag.items };
  return { topology, plan, diagnostics: bag.items };
}
