// `baton plan FILE [--input name=value]... [--inputs-file F] [--json]`: the instance plan
// (nodes, edges, levels, outputs). Exit 0 with a plan, 1 when the template is invalid, 64 on usage.
import { compile, formatDiagnostic } from '@lib/tosca';
import { parseTemplateArgs } from './template-args';

const USAGE = 'usage: baton plan FILE [--input name=value]... [--inputs-file F] [--json]\n';

export async function run(argv: string[]): Promise<number> {
  const args = parseTemplateArgs('plan', USAGE, argv);
  if (typeof args === 'number') return args;
  const result = await compile({ file: args.file }, { inputs: args.inputs });
  for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const plan = result.plan;
  if (!plan) return 1;
  const view = {
    nodes: plan.nodes.map((n) => ({ id: n.id, template: n.template, type: n.type, index: n.index })),
    edges: plan.edges.map((e) => ({ from: e.from, to: e.to, relationship: e.relationship })),
    levels: plan.levels,
    outputs: plan.outputs,
  };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    return 0;
  }
  plan.levels.forEach((level, i) => process.stdout.write(`level ${i}: ${level.join(', ')}\n`));
  for (const e of view.edges) process.stdout.write(`  ${e.from} -> ${e.to} (${e.relationship})\n`);
  for (const [name, value] of Object.entries(view.outputs)) process.stdout.write(`output ${name} = ${JSON.stringify(value)}\n`);
  return 0;
}
