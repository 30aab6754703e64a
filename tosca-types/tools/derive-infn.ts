// Rebuilds infn-cloud/tosca_types/** from the INFN Cloud split type files (GitHub copy
// ffornari90/tosca-types, commit 2269ee6, of baltig.infn.it/infn-cloud/tosca-types), so the
// derivation is repeatable and reviewable:
//   npx tsx tosca-types/tools/derive-infn.ts [CORPUS_DIR]   (default ../shared/corpus)
// Changes, named in each output header:
//   - a type that a file re-declares identically although the normative profile or a file it
//     imports already defines it (tosca.datatypes.Root, the Docker image artifact,
//     tosca.artifacts.Implementation.YAML, AnsibleGalaxy.role ... repeated in every file) is
//     dropped, so no name is defined twice in one import closure; differing re-declarations
//     are kept and reported;
//   - duplicate mapping keys keep their last value (what PyYAML, and so upstream, used);
//   - booleans are written true/false instead of YAML 1.1 yes/no.
// Imports keep their upstream absolute URLs: catalog.yaml maps them back to these files.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMap as isYamlMap, isScalar, isSeq, type Pair, parseDocument, visit, type YAMLMap } from 'yaml';
import { SECTIONS, TYPES_DIR, closure, importsOf, profileFor } from './type-index';

const corpus = resolve(process.argv[2] ?? join(TYPES_DIR, '..', '..', 'shared', 'corpus'));
const SRC = join(corpus, 'infn-cloud-tosca-types', 'tosca_types');
const OUT = join(TYPES_DIR, 'infn-cloud', 'tosca_types');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

/** Drop all but the last of duplicate keys in every mapping. */
function dedupeKeys(map: YAMLMap, where: string, notes: string[]): void {
  const last = new Map<string, number>();
  map.items.forEach((p: Pair, i: number) => last.set(String(p.key), i));
  const before = map.items.length;
  map.items = map.items.filter((p: Pair, i: number) => last.get(String(p.key)) === i);
  if (map.items.length !== before) notes.push(`duplicate key(s) removed in ${where}`);
  for (const p of map.items as Pair[]) if (isYamlMap(p.value)) dedupeKeys(p.value, `${where}.${String(p.key)}`, notes);
}

const TYPO = 'the misspelt key `descritpion` is written `description`';
const done = new Set<string>();
function derive(src: string): void {
  if (done.has(src)) return;
  done.add(src);
  const rel = relative(SRC, src);
  const out = join(OUT, rel);
  const doc = parseDocument(readFileSync(src, 'utf8'), { version: '1.1', uniqueKeys: false });
  const js = doc.toJS() as Record<string, unknown>;
  // Imports first, so their derived files exist when we compute what they already define.
  const imported = importsOf(out, js).map(([, local]) => local).filter((f): f is string => f !== undefined);
  for (const f of imported) derive(join(SRC, relative(OUT, f)));
  const profile = profileFor(js.tosca_definitions_version);
  const visible = closure([...(profile ? [profile] : []), ...imported]).types;
  const notes: string[] = [];
  dedupeKeys(doc.contents as YAMLMap, 'document', notes);
  // Upstream misspells `description` as `descritpion` in some property definitions.
  visit(doc, {
    Pair(_k, pair) {
      if (isScalar(pair.key) && pair.key.value === 'descritpion') {
        pair.key.value = 'description';
        if (!notes.includes(TYPO)) notes.push(TYPO);
      }
    },
  });
  const clean = doc.toJS() as Record<string, Record<string, unknown>>;
  for (const section of SECTIONS) {
    const defs = doc.get(section) as YAMLMap | undefined;
    if (!isYamlMap(defs)) continue;
    for (const name of Object.keys(clean[section] ?? {})) {
      const prev = visible.get(name);
      if (!prev) continue;
      const same = isDeepStrictEqual(prev.def, clean[section][name]);
      const isNormative = relative(TYPES_DIR, prev.file).startsWith('normative/');
      if (same || isNormative) {
        defs.delete(name);
        notes.push(`${name} dropped (${same ? 'identical to' : 'normative type, defined in'} ${relative(TYPES_DIR, prev.file)})`);
      } else {
        console.warn(`${rel}: ${name} differs from ${relative(TYPES_DIR, prev.file)}; kept`);
      }
    }
    if (defs.items.length === 0) doc.delete(section);
  }
  // valid_source_types naming a node type no file defines (upstream dropped ElasticCluster but
  // kept a reference to it) would make the file invalid: drop those names.
  const known = new Set([...visible.keys(), ...Object.values(clean).flatMap((v) => (typeof v === 'object' && v ? Object.keys(v) : []))]);
  visit(doc, {
    Pair(_k, pair) {
      if (String(pair.key) !== 'valid_source_types' || !isSeq(pair.value)) return undefined;
      const seq = pair.value;
      const before = seq.items.length;
      seq.items = seq.items.filter((n) => !isScalar(n) || known.has(String(n.value)));
      if (seq.items.length !== before) notes.push('valid_source_types entries naming undefined node types removed (tosca.nodes.indigo.ElasticCluster)');
      return seq.items.length === 0 ? visit.REMOVE : undefined;
    },
  });
  visit(doc, {
    Scalar(_k, node) {
      if (isScalar(node) && typeof node.value === 'boolean') delete node.source;
    },
  });
  const header = [
    `# INFN Cloud types for baton, derived from infn-cloud/tosca-types tosca_types/${rel}`,
    '# (GitHub copy ffornari90/tosca-types, commit 2269ee6; Apache-2.0, see ../../../NOTICE).',
    '# Generated by tools/derive-infn.ts. Changes to the upstream file:',
    ...(notes.length ? notes.map((n) => `#   - ${n}`) : ['#   - none besides booleans']),
    '#   - booleans are written true/false instead of YAML 1.1 yes/no.',
    '',
  ].join('\n');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, header + doc.toString({ lineWidth: 0 }).replace(/^%YAML 1\.1\n---\n/, ''));
  console.log(`wrote ${relative(TYPES_DIR, out)} (${notes.length} change(s))`);
}

for (const f of files(SRC).sort()) derive(f);
