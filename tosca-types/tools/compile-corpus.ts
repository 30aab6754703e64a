// Compiles every YAML file of the shared corpus with libs/tosca against these types, and
// compares each result with the expectation INDEX.md gives (tosca-parser data: "expected PASS",
// "expected FAIL", "helper"; everything else must compile). Prints the files whose result
// differs and a summary; with --all, every file. Exit code 1 when a result differs.
//   npx tsx tosca-types/tools/compile-corpus.ts [CORPUS_DIR] [--all] [--only SUBSTRING]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { compile } from '@lib/tosca';
import { TYPES_DIR } from './type-index';

type Expect = 'PASS' | 'FAIL' | 'helper';

function expectations(corpus: string): Map<string, Expect> {
  const out = new Map<string, Expect>();
  let dir = '';
  for (const line of readFileSync(join(corpus, 'INDEX.md'), 'utf8').split('\n')) {
    const heading = /^### (\S+)\/ —/.exec(line);
    if (heading) dir = heading[1];
    const row = /^\| `([^`]+)` \| (.*)$/.exec(line);
    if (!row || !dir) continue;
    const e = /expected (PASS|FAIL)|helper/.exec(row[2]);
    out.set(`${dir}/${row[1]}`, e ? ((e[1] as Expect | undefined) ?? 'helper') : 'PASS');
  }
  return out;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
    })
    .sort();
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const all = args.includes('--all');
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
  const positional = args.filter((a, i) => !a.startsWith('--') && i !== onlyAt + 1);
  const corpus = resolve(positional[0] ?? join(TYPES_DIR, '..', '..', 'shared', 'corpus'));
  const expect = expectations(corpus);
  const counts: Record<string, number> = {};
  let differs = 0;
  for (const file of yamlFiles(corpus)) {
    const rel = relative(corpus, file);
    if (only && !rel.includes(only)) continue;
    const exp = expect.get(rel) ?? 'PASS';
    const result = await compile({ file }, { deferMissingInputs: true });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    const passed = errors.length === 0;
    const verdict = exp === 'helper' ? 'helper' : passed === (exp === 'PASS') ? 'as expected' : `expected ${exp}`;
    counts[verdict] = (counts[verdict] ?? 0) + 1;
    const wrong = verdict.startsWith('expected');
    if (wrong) differs += 1;
    if (wrong || all) {
      console.log(`${passed ? 'pass' : 'FAIL'} (${verdict}) ${rel}`);
      for (const d of errors.slice(0, 3)) console.log(`    [${d.code}] ${d.message}`);
    }
  }
  console.log(JSON.stringify(counts));
  return differs === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
