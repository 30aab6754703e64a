// The command line shared by the commands that compile one template (`validate`, `plan`):
// FILE, --input name=value (repeatable), --inputs-file F and --json, plus each command's own flags.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parse as parseYaml } from 'yaml';
import type { Value } from '@lib/tosca';
import { EXIT_USAGE } from './exit-codes';


type Flags = NonNullable<ParseArgsConfig['options']>;

export interface TemplateArgs {
  file: string;
  inputs: Record<string, Value>;
  json: boolean;
  /** The command's own boolean flags, by name. */
  flags: Record<string, boolean>;
}

/**
 * Parses `argv`; on a usage error writes it with the usage line to stderr and returns
 * EX_USAGE instead of arguments; `--help` writes the usage line to stdout and returns 0.
 */
export function parseTemplateArgs(command: string, usage: string, argv: string[], booleanFlags: string[] = []): TemplateArgs | number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage);
    return 0;
  }
  const own: Flags = Object.fromEntries(booleanFlags.map((name) => [name, { type: 'boolean', default: false }]));
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        input: { type: 'string', multiple: true, default: [] },
        'inputs-file': { type: 'string' },
        json: { type: 'boolean', default: false },
        ...own,
      },
    });
  } catch (error) {
    process.stderr.write(`baton ${command}: ${(error as Error).message}\n${usage}`);
    return EXIT_USAGE;
  }
  const file = args.positionals[0];
  if (file === undefined || args.positionals.length > 1) {
    process.stderr.write(usage);
    return EXIT_USAGE;
  }
  const values = args.values as Record<string, unknown>;
  try {
    return {
      file,
      inputs: readInputs((values.input as string[] | undefined) ?? [], values['inputs-file'] as string | undefined),
      json: values.json === true,
      flags: Object.fromEntries(booleanFlags.map((name) => [name, values[name] === true])),
    };
  } catch (error) {
    process.stderr.write(`baton ${command}: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
}

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
