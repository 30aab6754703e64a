// listUnsupported: every construct of a playbook and its roles that libs/runner does not run, so
// that a caller can choose another executor before anything runs.
import { load, type LoadOptions } from './load-playbook';
import type { Unsupported } from './model';

export function listUnsupported(source: string | unknown[], options: LoadOptions = {}): Unsupported[] {
  const found: Unsupported[] = [];
  load(source, options, found);
  return found;
}
