// `baton validate FILE [--input name=value]... [--inputs-file F] [--json] [--require-inputs] [--strict]`
// Exit 0 when the template is valid, 1 when it is not, 64 on a usage error.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { compile, formatDiagnostic, hasErrors, STRICT_QUIRKS, type Value } from '@lib/tosca';

const USAGE = 'usage: baton validate FILE [--input name=value]... [--inputs-file F] [--json] [--require-inputs] [--strict]\n';

/** Inputs from --inputs-file (YAML or JSON map) overlaid by each --input name=value (a string, coerced by type later). */
export function readInputs(pairs: string[], inputsFile: string | undefined): Record<string, Value> {
  const inputs: Record<string, Value> = {};
  if (inputsFile !== undefined) {
    const doc = parseYaml(readFileSync(inputsFile, 'utf8')) as unknown;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new TypeError(`${inputsFile}: an inputs file holds a map of input names to values`);
    Object.assign(inputs, doc);
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new TypeError(`--input expects name=value, got "${pair}"`);
    inputs[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return inputs;
}

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
        'require-inputs': { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`baton validate: ${(error as Error).message}\n${USAGE}`);
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
    process.stderr.write(`baton validate: ${(error as Error).message}\n`);
    return 64;
  }
  const result = await compile(
    { file },
    { inputs, deferMissingInputs: !args.values['require-inputs'], ...(args.values.strict ? { quirks: STRICT_QUIRKS } : {}) },
  );
  if (args.values.json) process.stdout.write(`${JSON.stringify(result.diagnostics, null, 2)}\n`);
  else for (const d of result.diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
  return hasErrors(result.diagnostics) ? 1 : 0;
}
