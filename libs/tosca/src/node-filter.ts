// Node filter definitions (TOSCA 1.3 §3.6.5): `properties` and `capabilities`, each a list of
// single-entry maps. Only the grammar is checked here; matching is in requirement-assignment.ts.
import { diag, type DiagnosticBag } from './diagnostics';
import { here, join } from './where';
import { isYMap, type YValue } from './yaml-tree';

const KEYS = ['properties', 'capabilities'];

export function checkNodeFilter(filter: YValue, path: string, file: string, bag: DiagnosticBag): void {
  if (!isYMap(filter)) {
    bag.add(diag.wrongShape(here(filter, undefined, path, file), { what: 'node_filter', expected: 'a map', actual: typeof filter }));
    return;
  }
  for (const key of Object.keys(filter)) {
    if (!KEYS.includes(key)) {
      bag.add(diag.unknownField(here(filter, key, join(path, key), file, true), { field: key, where: 'the node filter', allowed: KEYS }));
      continue;
    }
    const v = filter[key];
    if (!Array.isArray(v)) bag.add(diag.wrongShape(here(filter, key, join(path, key), file), { what: `${key} of the node filter`, expected: 'a list', actual: isYMap(v) ? 'a map' : typeof v }));
  }
}
