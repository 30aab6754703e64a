// `baton plan FILE [--input name=value]... [--inputs-file F] [--json]`: the instance plan
// (nodes, edges, levels, outputs). Exit 0 with a plan, 1 when the template is invalid, 64 on usage.
import { parseArgs } from 'node:util';
import { compile, formatDiagnostic, type Value } from '@lib/tosca';
import { readInputs } from './validate.command';

const USAGE = 'usage: baton plan FILE [--input name=value]... [--inputs-file F] [--json]\n';

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        input: { type: 'string', multiple: true, default: [] },
        'inputs-file': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`baton plan: ${(error as Error).message}\n${USAGE}`);
    return 64;
  }
  const file = args.positionals[0];
  if (file === undefined || args.positionals.length > 1) {
    process.stderr.write(USAGE);
    return 64;
  }
  let inputs: Record<string, Value>;
  try {
    inputs = readInputs(args.values.input ?? [], args.values['inputs-file']);
  } catch (error) {
    process.stderr.write(`baton plan: ${(error as Error).message}\n`);
    return 64;
  }
  const result = await compile({ file }, { inputs });
  for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const plan = result.plan;
  if (!plan) return 1;
  const view = {
    nodes: plan.nodes.map((n) => ({ id: n.id, template: n.template, type: n.type, index: n.index })),
    edges: plan.edges.map((e) => ({ from: e.from, to: e.to, relationship: e.relationship })),
    levels: plan.levels,
    outputs: plan.outputs,
  };
  if (args.values.json) {
    process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    return 0;
  }
  plan.levels.forEach((level, i) => process.stdout.write(`level ${i}: ${level.join(', ')}\n`));
  for (const e of view.edges) process.stdout.write(`  ${e.from} -> ${e.to} (${e.relationship})\n`);
  for (const [name, value] of Object.entries(view.outputs)) process.stdout.write(`output ${name} = ${JSON.stringify(value)}\n`);
  return 0;
}
