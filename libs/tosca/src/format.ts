// Rendering diagnostics for people: `file:line:col: severity[code]: message` (the GNU style
// editors and CI annotate from).
import type { Diagnostic } from './model';

export function formatDiagnosticLine(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file || '<input>';
  return `${where}: ${d.severity}[${d.code}]: ${d.message}`;
}
