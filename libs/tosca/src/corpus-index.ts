// Reads ../shared/corpus/INDEX.md (§0, §2) to list which corpus files must compile and which
// must be rejected. Used by the corpus test and the benchmark only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface CorpusLists {
  mustCompile: string[];
  mustReject: string[];
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** Absolute paths, sorted. */
export function corpusLists(corpus: string): CorpusLists {
  const index = readFileSync(join(corpus, 'INDEX.md'), 'utf8');
  const tp = 'openstack-tosca-parser';
  const mustReject: string[] = [];
  const tpPass: string[] = [];
  let section = '';
  for (const line of index.split('\n')) {
    const h = /^### (\S+)\//.exec(line);
    if (h) section = h[1];
    const row = /^\| `([^`]+)` \| (\*\*expected FAIL\*\*|expected PASS)/.exec(line);
    if (row && section === tp) (row[2] === 'expected PASS' ? tpPass : mustReject).push(join(corpus, tp, row[1]));
  }
  const whole = ['indigo-dc-tosca-templates', 'indigo-dc-tosca-types', 'infn-cloud-tosca-types', 'oasis-tosca-community-contributions'].flatMap((d) => walk(join(corpus, d)));
  return { mustCompile: [...whole, ...tpPass].sort(), mustReject: mustReject.sort() };
}
