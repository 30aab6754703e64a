// Bounds of one compile (issue 8): what the caller's template may ask of the machine. Each check
// runs before the work it bounds (node templates before rendering, instances and relationships
// before the plan is expanded), so a template asking for a million instances costs microseconds.
import { diag, type DiagnosticBag } from './diagnostics';
import type { Diagnostic } from './model';
import type { CompileLimits } from './options';
import { positionOf, isYMap, type YMap } from './yaml-tree';

/** Node templates of the entry template, counted before anything is rendered. */
export function checkNodeTemplateCount(root: { doc: YMap; file: string }, limits: CompileLimits, bag: DiagnosticBag): void {
  const topology = root.doc.topology_template;
  const nodes = isYMap(topology) ? topology.node_templates : undefined;
  if (!isYMap(nodes)) return;
  const count = Object.keys(nodes).length;
  if (count <= limits.maxNodeTemplates) return;
  const pos = positionOf(topology, 'node_templates') ?? { file: root.file, line: 1, column: 1 };
  bag.add(diag.tooManyNodeTemplates({ path: 'topology_template.node_templates', ...pos }, { count, limit: limits.maxNodeTemplates }));
}

/** Caps the list, ending it with one `diagnostics_truncated` that counts what was left out. */
export function truncateDiagnostics(bag: DiagnosticBag, limit: number, file: string): Diagnostic[] {
  const kept = bag.items.slice(0, limit);
  const more = bag.items.length - kept.length + bag.dropped;
  if (more <= 0) return kept;
  const errorsShown = kept.filter((d) => d.severity === 'error').length;
  const errorsInBag = bag.items.filter((d) => d.severity === 'error').length + bag.droppedErrors;
  kept.push(diag.diagnosticsTruncated({ path: '', file, line: 1, column: 1 }, { more, errors: errorsInBag - errorsShown }));
  return kept;
}
