// Public door of libs/tosca (STYLE.md rule 2). Named exports only.
import { compileTemplate } from './compile';
import { formatDiagnosticLine } from './format';
import { coerceInput as coerce, isSecretInput as secretRule } from './input-definition';
import type { CompileResult, Diagnostic, Value } from './model';
import type { CompileOptions } from './options';

export type {
  ArtifactModel,
  CapabilityModel,
  CompileResult,
  DeferredExpression,
  Diagnostic,
  GroupModel,
  InputModel,
  InstanceEdge,
  InstancePlan,
  NodeInstance,
  NodeTemplateModel,
  OperationModel,
  OutputModel,
  PolicyModel,
  RelationshipModel,
  ScalingModel,
  ServiceTopology,
  Severity,
  SourceLocation,
  Value,
} from './model';
export type { Catalog, CompileLimits, CompileOptions, FetchOptions, ImportScope, Quirks } from './options';

/** What to compile: a file on disk, or text already in memory named as a file (for positions and relative imports). */
export type CompileEntry = { file: string } | { text: string; file: string };

/**
 * Compile a TOSCA service template into a ServiceTopology and an InstancePlan.
 * Diagnostics are always returned, all of them; `topology` and `plan` are absent when any
 * error was found. Async only because imports may be fetched; parsing is cached per file.
 *
 * @example
 * const result = await compile({ file: 'templates/mesos_cluster.yaml' }, { inputs: { number_of_slaves: 2 } });
 * if (!result.plan) for (const d of result.diagnostics) console.error(formatDiagnostic(d));
 */
export function compile(entry: CompileEntry, options: CompileOptions & { deferMissingInputs?: boolean } = {}): Promise<CompileResult> {
  return compileTemplate(entry, options);
}

/**
 * One diagnostic as a line: `file:line:col: error[code]: message`.
 *
 * @example
 * formatDiagnostic(d); // 'tpl.yaml:12:9: error[unknown_property]: node template "vm" ... has no property "flavour"'
 */
export function formatDiagnostic(d: Diagnostic): string {
  return formatDiagnosticLine(d);
}

/**
 * True when the list holds at least one error (warnings do not count).
 *
 * @example
 * if (hasErrors(result.diagnostics)) process.exitCode = 1;
 */
export function hasErrors(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * Coerce a command-line string to a TOSCA type (integer, float, boolean, list/map as JSON);
 * anything else is returned unchanged. The compiler does this for declared inputs already.
 *
 * @example
 * coerceInput('3', 'integer'); // 3
 */
export function coerceInput(value: Value, type: string): Value {
  return coerce(value, type);
}

/**
 * The one rule for secret inputs (issue 5): `type: password`, or a name that looks secret
 * (`*pass*`, `*secret*`, `*token*`, `*private_key*`, `*credential*`). The compiler sets
 * `InputModel.secret` with it; the engine uses it for undeclared parameters (type unknown), so
 * storage, log redaction and responses all follow the same rule.
 *
 * @example
 * isSecretInput('db_password', 'string'); // true
 * isSecretInput('api_key', 'password');   // true
 * isSecretInput('num_cpus', 'integer');   // false
 */
export function isSecretInput(name: string, type: string | undefined): boolean {
  return secretRule(name, type ?? '');
}

/**
 * The quirk presets: INDIGO_QUIRKS (default, every named leniency on) and STRICT_QUIRKS.
 *
 * @example
 * await compile({ file }, { quirks: STRICT_QUIRKS });
 */
export { INDIGO_QUIRKS, STRICT_QUIRKS } from './options';

/**
 * The compiler's own bounds when a caller gives none (generous; the service passes its
 * configured ones through `CompileOptions.limits`).
 *
 * @example
 * await compile({ text, file: 'template.yaml' }, { imports: 'catalogue', limits: { ...DEFAULT_COMPILE_LIMITS, maxInstances: 1000 } });
 */
export { DEFAULT_COMPILE_LIMITS } from './options';

/**
 * A pool of worker threads that compile off the caller's event loop, each compile bounded by a
 * deadline and a heap cap (over either, the diagnostic `compile_timeout` or `compile_aborted`).
 *
 * @example
 * const pool = createCompilePool({ threads: 1, deadlineMs: 10_000 });
 * const result = await pool.compile({ text, file: 'template.yaml' }, { imports: 'catalogue' });
 * await pool.close();
 */
export { createCompilePool } from './compile-pool';
export type { CompilePool, CompilePoolOptions } from './compile-pool';
