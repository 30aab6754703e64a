// `baton validate FILE [--input name=value]... [--inputs-file F] [--json] [--require-inputs] [--strict]`
// Exit 0 when the template is valid, 1 when it is not, 64 on a usage error.
import { compile, formatDiagnostic, hasErrors, STRICT_QUIRKS } from '@lib/tosca';
import { parseTemplateArgs } from './template-args';

const USAGE = 'usage: baton validate FILE [--input name=value]... [--inputs-file F] [--json] [--require-inputs] [--strict]\n';

export async function run(argv: string[]): Promise<number> {
  const args = parseTemplateArgs('validate', USAGE, argv, ['require-inputs', 'strict']);
  if (typeof args === 'number') return args;
  const result = await compile(
    { file: args.file },
    { inputs: args.inputs, deferMissingInputs: !args.flags['require-inputs'], ...(args.flags.strict ? { quirks: STRICT_QUIRKS } : {}) },
  );
  if (args.json) process.stdout.write(`${JSON.stringify(result.diagnostics, null, 2)}\n`);
  else for (const d of result.diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
  return hasErrors(result.diagnostics) ? 1 : 0;
}
