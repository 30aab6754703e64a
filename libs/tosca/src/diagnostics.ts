// Every diagnostic the compiler can emit, one factory per code (STYLE.md rules 11-12).
// Phases call these factories and never format a message themselves, so wording lives here
// and the codes stay stable. libs/tosca/README.md lists which phase emits which code.
import type { Diagnostic, Severity } from './model';

/** Where a diagnostic points: template path plus source position, and the rule behind it. */
export interface Where {
  path: string;
  file: string;
  line: number;
  column: number;
  rule?: string;
}

function make(code: string, severity: Severity, where: Where, message: string): Diagnostic {
  const d: Diagnostic = { code, severity, message, path: where.path, file: where.file, line: where.line, column: where.column };
  if (where.rule !== undefined) d.rule = where.rule;
  return d;
}

const q = (s: unknown): string => JSON.stringify(typeof s === 'string' ? s : describe(s));

/** A short rendering of a value for messages; never more than 60 characters. */
export function describe(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export const diag = {
  // phase 1: reading files and imports
  csarInvalid: (w: Where, p: { file: string; reason: string }) => make('csar_invalid', 'error', w, `CSAR ${q(p.file)} cannot be read: ${p.reason}`),
  fileNotFound: (w: Where, p: { file: string }) => make('file_not_found', 'error', w, `file ${q(p.file)} does not exist or cannot be read`),
  fileTooLarge: (w: Where, p: { file: string; size: number; limit: number }) =>
    make('file_too_large', 'error', w, `file ${q(p.file)} is ${p.size} bytes, more than the limit of ${p.limit} bytes`),
  fileNotUtf8: (w: Where, p: { file: string; offset: number }) =>
    make('file_not_utf8', 'error', w, `file ${q(p.file)} is not valid UTF-8 (first bad byte at offset ${p.offset})`),
  yamlSyntax: (w: Where, p: { detail: string }) => make('yaml_syntax', 'error', w, `YAML syntax error: ${p.detail}`),
  yamlAliasLimit: (w: Where, p: { limit: number }) =>
    make('yaml_alias_limit', 'error', w, `YAML aliases expand to more than ${p.limit} nodes (an alias bomb?); refusing the document`),
  yamlTooManyNodes: (w: Where, p: { limit: number }) =>
    make('yaml_too_many_nodes', 'error', w, `the template holds more than ${p.limit} YAML nodes (keys, values and list items); refusing it`),
  yamlTooDeep: (w: Where, p: { limit: number }) => make('yaml_too_deep', 'error', w, `YAML nesting is deeper than ${p.limit} levels`),
  yamlMultipleDocuments: (w: Where) => make('yaml_multiple_documents', 'error', w, 'a TOSCA file holds one YAML document, this one holds several'),
  duplicateKey: (w: Where, p: { key: string; quirk: boolean }) =>
    p.quirk
      ? make('duplicate_key', 'warning', w, `duplicate mapping key ${q(p.key)}: the last one wins (quirk duplicate-keys-last-wins)`)
      : make('duplicate_key', 'error', w, `duplicate mapping key ${q(p.key)}`),
  wrongShape: (w: Where, p: { what: string; expected: string; actual: string }) =>
    make('wrong_shape', 'error', w, `${p.what} must be ${p.expected}, found ${p.actual}`),
  missingDefinitionsVersion: (w: Where) => make('missing_definitions_version', 'error', w, 'the file lacks "tosca_definitions_version"'),
  invalidDefinitionsVersion: (w: Where, p: { version: string; valid: string[] }) =>
    make('invalid_definitions_version', 'error', w, `${q(p.version)} is not a supported tosca_definitions_version; valid versions: ${p.valid.join(', ')}`),
  unknownField: (w: Where, p: { field: string; where: string; allowed: readonly string[] }) =>
    make('unknown_field', 'error', w, `${p.where} has an unknown field ${q(p.field)}; allowed: ${p.allowed.join(', ')}`),
  missingRequiredField: (w: Where, p: { field: string; where: string }) =>
    make('missing_required_field', 'error', w, `${p.where} lacks the required field ${q(p.field)}`),
  importInvalid: (w: Where, p: { reason: string }) => make('import_invalid', 'error', w, `invalid import: ${p.reason}`),
  importNotFound: (w: Where, p: { name: string; resolved: string }) =>
    make('import_not_found', 'error', w, `import ${q(p.name)} not found (looked for ${q(p.resolved)})`),
  importOutsideCatalogue: (w: Where, p: { name: string }) =>
    make('import_outside_catalogue', 'error', w, `import ${q(p.name)} is refused: a template sent to the service may import only the catalogue's URLs (tosca-types/catalog.yaml) and files of the types folder`),
  importCycle: (w: Where, p: { chain: string[] }) => make('import_cycle', 'error', w, `import cycle: ${p.chain.join(' -> ')}`),
  importRemoteDisabled: (w: Where, p: { url: string }) =>
    make('import_remote_disabled', 'error', w, `import URL ${q(p.url)} is not in the offline catalog and remote fetch is off`),
  importNotAllowed: (w: Where, p: { url: string }) => make('import_not_allowed', 'error', w, `import URL ${q(p.url)} is not on the fetch allow-list`),
  importFetchFailed: (w: Where, p: { url: string; reason: string }) => make('import_fetch_failed', 'error', w, `fetching ${q(p.url)} failed: ${p.reason}`),
  importTimeout: (w: Where, p: { url: string; ms: number }) => make('import_timeout', 'error', w, `fetching ${q(p.url)} took longer than ${p.ms} ms`),
  unknownRepository: (w: Where, p: { name: string }) => make('unknown_repository', 'error', w, `import refers to an unknown repository ${q(p.name)}`),
  quirkApplied: (w: Where, p: { quirk: string; detail: string }) => make('quirk_applied', 'warning', w, `${p.detail} (quirk ${p.quirk})`),

  // phase 2: namespaces
  duplicateType: (w: Where, p: { name: string; first: string }) =>
    make('duplicate_type', 'warning', w, `type ${q(p.name)} is defined again with a different body (first in ${p.first}); this definition wins`),

  // phase 3: hierarchies
  unknownType: (w: Where, p: { name: string; kind: string }) => make('unknown_type', 'error', w, `${q(p.name)} is not a known ${p.kind} type`),
  typeCycle: (w: Where, p: { chain: string[] }) => make('type_cycle', 'error', w, `type hierarchy cycle: ${p.chain.join(' -> ')}`),

  // phase 5: rendering
  unknownProperty: (w: Where, p: { name: string; owner: string }) => make('unknown_property', 'error', w, `${p.owner} has no property ${q(p.name)}`),
  missingRequiredProperty: (w: Where, p: { name: string; owner: string }) =>
    make('missing_required_property', 'error', w, `${p.owner} lacks the required property ${q(p.name)}`),
  typeMismatch: (w: Where, p: { value: unknown; expected: string }) => make('type_mismatch', 'error', w, `${q(p.value)} is not a valid ${p.expected}`),
  invalidScalarUnit: (w: Where, p: { value: unknown; kind: string; units: string[] }) =>
    make('invalid_scalar_unit', 'error', w, `${q(p.value)} is not a valid ${p.kind}: expected a number and one of the units ${p.units.join(', ')}`),
  constraintViolation: (w: Where, p: { value: unknown; constraint: string }) =>
    make('constraint_violation', 'error', w, `${q(p.value)} violates the constraint ${p.constraint}`),
  invalidConstraint: (w: Where, p: { operator: string; reason: string }) =>
    make('invalid_constraint', 'error', w, `invalid constraint ${q(p.operator)}: ${p.reason}`),
  unknownInput: (w: Where, p: { name: string }) => make('unknown_input', 'error', w, `unknown input ${q(p.name)}`),
  missingRequiredInput: (w: Where, p: { name: string }) => make('missing_required_input', 'error', w, `the required input ${q(p.name)} has no value and no default`),
  inputDeferred: (w: Where, p: { name: string }) =>
    make('input_deferred', 'warning', w, `the required input ${q(p.name)} has no value yet; it must be given before deployment`),
  missingSubstitutionInput: (w: Where, p: { name: string; nodeType: string }) =>
    make('missing_substitution_input', 'error', w, `substitution mappings for node type ${q(p.nodeType)} need an input definition for its required property ${q(p.name)}`),
  undeclaredInputValue: (w: Where, p: { name: string }) =>
    make('undeclared_input_value', 'warning', w, `a value was given for ${q(p.name)}, which the template does not declare as an input`),
  invalidFunction: (w: Where, p: { fn: string; reason: string }) => make('invalid_function', 'error', w, `${p.fn}: ${p.reason}`),
  functionNotAllowed: (w: Where, p: { fn: string; reason: string }) => make('function_not_allowed', 'error', w, `${p.fn} is not allowed here: ${p.reason}`),
  unknownNodeTemplate: (w: Where, p: { name: string; from: string }) =>
    make('unknown_node_template', 'error', w, `node template ${q(p.name)} (referenced from ${p.from}) does not exist`),
  unknownAttribute: (w: Where, p: { name: string; owner: string }) => make('unknown_attribute', 'error', w, `${p.owner} has no attribute ${q(p.name)}`),
  unknownCapability: (w: Where, p: { name: string; owner: string }) => make('unknown_capability', 'error', w, `${p.owner} has no capability ${q(p.name)}`),
  unknownRequirement: (w: Where, p: { name: string; owner: string }) => make('unknown_requirement', 'error', w, `${p.owner} has no requirement ${q(p.name)}`),
  unknownInterface: (w: Where, p: { name: string; owner: string }) => make('unknown_interface', 'error', w, `${p.owner} has no interface ${q(p.name)}`),
  unknownOperation: (w: Where, p: { name: string; owner: string }) => make('unknown_operation', 'error', w, `${p.owner} has no operation ${q(p.name)}`),
  reservedInputName: (w: Where, p: { name: string; operation: string; owner: string }) =>
    make('reserved_input_name', 'error', w, `input ${q(p.name)} of operation ${q(p.operation)} of ${p.owner} is refused: operation inputs reach the playbook as variables, and ansible_*, baton_* and Ansible's magic variables (hostvars, groups, inventory_hostname, remote_user, omit, ...) belong to the orchestrator (connection, inventory)`),
  unknownArtifact: (w: Where, p: { name: string; owner: string }) => make('unknown_artifact', 'error', w, `${p.owner} has no artifact ${q(p.name)}`),
  hostNotFound: (w: Where, p: { node: string }) =>
    make('host_not_found', 'error', w, `HOST used in ${q(p.node)}, but no tosca.relationships.HostedOn leads from it to a host`),
  requirementUnresolved: (w: Where, p: { name: string; node: string; reason: string }) =>
    make('requirement_unresolved', 'error', w, `requirement ${q(p.name)} of ${q(p.node)} cannot be satisfied: ${p.reason}`),
  requirementDeferred: (w: Where, p: { name: string; node: string; capability: string; reason: string }) =>
    make('requirement_deferred', 'warning', w, `requirement ${q(p.name)} of ${q(p.node)} is left to the orchestrator, which selects a target offering ${p.capability} at run time: ${p.reason}`),
  requirementOccurrences: (w: Where, p: { name: string; node: string; count: number; min: number; max: number }) =>
    make(
      'requirement_occurrences',
      'error',
      w,
      `requirement ${q(p.name)} of ${q(p.node)} is assigned ${p.count} time(s), outside its occurrences [${p.min}, ${p.max < 0 ? 'UNBOUNDED' : p.max}]`,
    ),
  unknownRelationshipTemplate: (w: Where, p: { name: string }) =>
    make('unknown_relationship_template', 'error', w, `${q(p.name)} is neither a relationship type nor a relationship template`),

  tooManyNodeTemplates: (w: Where, p: { count: number; limit: number }) =>
    make('too_many_node_templates', 'error', w, `the template has ${p.count} node templates, more than the limit of ${p.limit}`),

  // phase 6: normalization
  tooManyInstances: (w: Where, p: { node: string; count: number; total: number; limit: number }) =>
    make('too_many_instances', 'error', w, `node template ${q(p.node)} asks for ${p.count} instances: the plan would hold ${p.total} node instances, more than the limit of ${p.limit}`),
  tooManyRelationships: (w: Where, p: { node: string; total: number; limit: number }) =>
    make('too_many_relationships', 'error', w, `the requirements of ${q(p.node)} would make the plan hold ${p.total} relationships between instances, more than the limit of ${p.limit}`),

  // any phase
  internalError: (w: Where, p: { phase: string; error: string }) =>
    make('internal_error', 'error', w, `the compiler failed in phase ${p.phase} (a bug: please report it with the template): ${p.error}`),
  compileTimeout: (w: Where, p: { ms: number }) =>
    make('compile_timeout', 'error', w, `compiling the template took longer than ${p.ms} ms; it is refused (is it unusually large?)`),
  compileAborted: (w: Where, p: { reason: string }) => make('compile_aborted', 'error', w, `compiling the template was aborted: ${p.reason}`),
  compileBusy: (w: Where, p: { queued: number }) =>
    make('compile_busy', 'error', w, `${p.queued} templates are waiting to be compiled; try again shortly`),
  diagnosticsTruncated: (w: Where, p: { more: number; errors: number }) =>
    make('diagnostics_truncated', p.errors > 0 ? 'error' : 'warning', w, `${p.more} more diagnostic(s) not shown (${p.errors} of them errors); fix the ones above first`),

  dependencyCycle: (w: Where, p: { cycle: string[] }) => make('dependency_cycle', 'error', w, `dependency cycle between node instances: ${p.cycle.join(' -> ')}`),
  invalidScaling: (w: Where, p: { node: string; reason: string }) => make('invalid_scaling', 'error', w, `scaling of ${q(p.node)}: ${p.reason}`),
} as const;

/** Collects diagnostics in order; a phase reports into it and never throws for template faults. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  private errorCount = 0;
  /** Diagnostics past the cap: counted, not kept (600,000 duplicate keys must not make 600,000 objects). */
  dropped = 0;
  droppedErrors = 0;

  constructor(private readonly cap = Number.POSITIVE_INFINITY) {}

  add(d: Diagnostic): void {
    if (d.severity === 'error') this.errorCount += 1;
    if (this.items.length < this.cap) this.items.push(d);
    else {
      this.dropped += 1;
      if (d.severity === 'error') this.droppedErrors += 1;
    }
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }
}
