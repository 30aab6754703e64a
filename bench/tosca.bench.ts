// `npm run bench:tosca`: compile times of the TOSCA compiler (issue 2, item 5).
//  1. Every INDIGO template of the corpus, warm (type files parsed and type system cached):
//     median and p99 per template over several rounds.
//  2. Generated topologies of 100, 1,000 and 10,000 node instances, and the time ratio between
//     sizes (linear growth means about 10x per 10x instances).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '@lib/tosca';

const CORPUS = join(__dirname, '..', '..', 'shared', 'corpus');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

/**
 * N instances, two shapes:
 *  - 'scaled': 5 Compute templates scaled to N/10 instances each, each hosting a SoftwareComponent
 *    (replicated per host) that depends on the previous one: the plan grows, the YAML does not.
 *  - 'templates': N/2 Compute templates of one instance, each hosting one SoftwareComponent that
 *    depends on the previous one: the YAML grows with N (YAML parsing then dominates).
 */
function generated(instances: number, shape: 'scaled' | 'templates'): string {
  const pairs = shape === 'scaled' ? 5 : instances / 2;
  const count = shape === 'scaled' ? instances / 10 : 1;
  const lines = ['tosca_definitions_version: tosca_simple_yaml_1_0', 'topology_template:', '  inputs:', '    cpus: { type: integer, default: 2 }', '  node_templates:'];
  for (let i = 0; i < pairs; i += 1) {
    lines.push(`    vm_${i}:`, '      type: tosca.nodes.Compute', '      capabilities:', '        host:', '          properties:', '            num_cpus: { get_input: cpus }', '            mem_size: 2 GB', '        scalable:', '          properties:', `            default_instances: ${count}`, '            max_instances: 1000000');
    lines.push(`    app_${i}:`, '      type: tosca.nodes.SoftwareComponent', '      properties:', `        component_version: "1.${i}"`, '      requirements:', `        - host: vm_${i}`);
    if (i % 10 !== 0) lines.push(`        - dependency: app_${i - 1}`);
  }
  lines.push('  outputs:', '    first:', '      value: { get_attribute: [ vm_0, public_address ] }');
  return `${lines.join('\n')}\n`;
}

// Wall time and CPU time (user + system of this process). On a shared, loaded machine the wall
// time includes waiting for a core; the CPU time is the compiler's own cost.
const cpuSamples: number[] = [];

async function time(fn: () => Promise<unknown>): Promise<number> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const wall = performance.now() - t;
  const used = process.cpuUsage(c);
  cpuSamples.push((used.user + used.system) / 1000);
  return wall;
}

let lastCpuMedian = 0;

function cpuMedian(): string {
  const sorted = cpuSamples.splice(0).sort((a, b) => a - b);
  lastCpuMedian = quantile(sorted, 0.5);
  return `cpu median ${fmt(lastCpuMedian)}`;
}

async function main(): Promise<void> {
  if (existsSync(join(CORPUS, 'INDEX.md'))) {
    const files = [...yamlFiles(join(CORPUS, 'indigo-dc-tosca-templates')), ...yamlFiles(join(CORPUS, 'indigo-dc-tosca-types', 'examples'))];
    for (const file of files) await compile({ file }, { deferMissingInputs: true });
    const samples: number[] = [];
    for (let round = 0; round < 5; round += 1) for (const file of files) samples.push(await time(() => compile({ file }, { deferMissingInputs: true })));
    samples.sort((a, b) => a - b);
    process.stdout.write(`corpus (INDIGO templates, ${files.length} files x 5 rounds, warm): median ${fmt(quantile(samples, 0.5))}, p99 ${fmt(quantile(samples, 0.99))}, ${cpuMedian()}\n`);
  } else process.stdout.write('corpus: ../shared/corpus not found, skipped\n');

  for (const shape of ['scaled', 'templates'] as const) await sizes(shape);
}

async function sizes(shape: 'scaled' | 'templates'): Promise<void> {
  const medians: number[] = [];
  const cpu: number[] = [];
  cpuSamples.length = 0;
  for (const n of [100, 1000, 10_000]) {
    const text = generated(n, shape);
    const first = await compile({ text, file: `generated-${n}.yaml` });
    cpuSamples.length = 0;
    if (!first.plan || first.plan.nodes.length !== n) throw new Error(`generated ${n}: ${first.diagnostics.map((d) => d.message).join('; ')}`);
    const runs = n >= 10_000 ? (shape === 'templates' ? 3 : 5) : 15;
    const samples: number[] = [];
    for (let i = 0; i < runs; i += 1) samples.push(await time(() => compile({ text, file: `generated-${n}.yaml` })));
    samples.sort((a, b) => a - b);
    const median = quantile(samples, 0.5);
    medians.push(median);
    process.stdout.write(`generated/${shape} ${String(n).padStart(6)} instances (${Object.keys(first.topology!.nodes).length} templates, ${(text.length / 1024).toFixed(0)} KB, ${first.plan.edges.length} edges, ${first.plan.levels.length} levels): median ${fmt(median)}, p99 ${fmt(quantile(samples, 0.99))}, ${cpuMedian()}\n`);
    cpu.push(lastCpuMedian);
  }
  process.stdout.write(
    `${shape}: wall ratio 1,000/100: ${(medians[1] / medians[0]).toFixed(1)}x, 10,000/1,000: ${(medians[2] / medians[1]).toFixed(1)}x; ` +
      `cpu ratio 1,000/100: ${(cpu[1] / cpu[0]).toFixed(1)}x, 10,000/1,000: ${(cpu[2] / cpu[1]).toFixed(1)}x (linear: 10x)\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
