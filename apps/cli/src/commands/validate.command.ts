// `baton validate FILE [--input name=value]... [--inputs-file F] [--json] [--defer-inputs] [--strict]`
// Exit 0 when the template is valid, 1 when it is not, 64 on a usage error.
// A required input without a value is an error naming it (issue 2: inputs are checked as a
// deployment would check them); `--defer-inputs` makes it the warning `input_deferred`, for
// checking a template before its inputs are known. `--require-inputs`, the old spelling of the
// default, is still accepted.
import { compile, formatDiagnostic, hasErrors, STRICT_QUIRKS, type Diagnostic } from '@lib/tosca';
import { EXIT_USAGE } from './exit-codes';
import { parseTemplateArgs } from './template-args';

const USAGE = 'usage: baton validate FILE [--input name=value]... [--inputs-file F] [--json] [--defer-inputs] [--strict]\n';

export async function run(argv: string[]): Promise<number> {
  const args = parseTemplateArgs('validate', USAGE, argv, ['defer-inputs', 'require-inputs', 'strict']);
  if (typeof args === 'number') return args;
  if (args.flags['defer-inputs'] && args.flags['require-inputs']) {
    process.stderr.write(`baton validate: --defer-inputs and --require-inputs contradict each other\n${USAGE}`);
    return EXIT_USAGE;
  }
  const result = await compile(
    { file: args.file },
    { inputs: args.inputs, deferMissingInputs: args.flags['defer-inputs'], ...(args.flags.strict ? { quirks: STRICT_QUIRKS } : {}) },
  );
  if (args.json) process.stdout.write(`${JSON.stringify(result.diagnostics, null, 2)}\n`);
  else {
    for (const d of result.diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
    // The verdict goes to stderr: stdout stays one diagnostic a line for scripts to read.
    process.stderr.write(`${summary(args.file, result.diagnostics)}\n`);
  }
  return hasErrors(result.diagnostics) ? 1 : 0;
}

function summary(file: string, diagnostics: Diagnostic[]): string {
  const count = (severity: string, word: string): string => {
    const n = diagnostics.filter((d) => d.severity === severity).length;
    return `${n} ${word}${n === 1 ? '' : 's'}`;
  };
  return `${file}: ${hasErrors(diagnostics) ? 'invalid' : 'valid'} (${count('error', 'error')}, ${count('warning', 'warning')})`;
}
