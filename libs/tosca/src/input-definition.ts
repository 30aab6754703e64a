// Topology inputs (TOSCA 1.3 §3.9.3.4 input parameters, §3.6.14 parameter definition): typed,
// with defaults, constraints and `required`. Values given at compile time arrive as JSON values
// or, from the command line, as strings: they are coerced to the declared type, then checked.
import { describe, diag, type DiagnosticBag } from './diagnostics';
import type { Value } from './model';
import type { Quirks } from './options';
import { PRIMITIVE_TYPES } from './primitive-types';
import { readPropertySection, mergeProperty } from './property-definition';
import type { RenderContext } from './render-context';
import { here, join } from './where';
import { rawTextOf, type YValue } from './yaml-tree';

/** Coerce a command-line string to the input's declared type (leaves other values alone). */
export function coerceInput(value: Value, type: string): Value {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  switch (type) {
    case 'integer':
      return /^[+-]?\d+$/.test(t) ? Number(t) : value;
    case 'float':
      return t !== '' && !Number.isNaN(Number(t)) ? Number(t) : value;
    case 'boolean':
      return t === 'true' ? true : t === 'false' ? false : value;
    case 'list':
    case 'map':
      try {
        return JSON.parse(t) as Value;
      } catch {
        return value;
      }
    default:
      if (!PRIMITIVE_TYPES.has(type) && (t.startsWith('{') || t.startsWith('['))) {
        try {
          return JSON.parse(t) as Value;
        } catch {
          return value;
        }
      }
      return value;
  }
}

const SECRET = /pass(word)?|secret|token|private_key|credential/i;

/** Render `topology_template.inputs` with the given values. */
export function renderInputs(r: RenderContext, raw: YValue | undefined, given: Record<string, Value>, quirks: Quirks, deferMissing: boolean): void {
  const path = 'topology_template.inputs';
  const defs = readPropertySection(raw, path, 'topology_template.inputs', r.file, quirks, r.bag).map((d) => mergeProperty(undefined, d));
  for (const def of defs) {
    const p = join(path, def.name);
    if (def.type === undefined) {
      r.bag.add(diag.missingRequiredField(here(raw, def.name, p, r.file), { field: 'type', where: `input "${def.name}"` }));
      continue;
    }
    let value: Value = null;
    let hasValue = false;
    const from = r.bag.items.length;
    if (Object.prototype.hasOwnProperty.call(given, def.name)) {
      value = r.validator.validate(coerceInput(given[def.name], def.type), def, { container: raw, key: def.name, path: p, file: r.file, rule: `input ${def.name}` });
      if (isSecretInput(def.name, def.type)) maskValueInDiagnostics(r.bag, from, given[def.name]);
      hasValue = true;
    } else if (def.hasDefault && def.default !== null) {
      let dflt = def.default as Value;
      if (def.type === 'string' && (typeof dflt === 'boolean' || typeof dflt === 'number') && quirks.scalarAsStringDefault) {
        dflt = rawTextOf(def.container, 'default') ?? String(dflt);
        r.bag.add(diag.quirkApplied(here(def.container, 'default', join(p, 'default'), r.file), { quirk: 'scalar-as-string-default', detail: `the default of string input "${def.name}" is read as the text "${dflt}"` }));
      }
      value = r.validator.validate(dflt, def, { container: def.container, key: 'default', path: join(p, 'default'), file: r.file, rule: `input ${def.name}`, raw: rawTextOf(def.container, 'default') });
      hasValue = true;
    } else if (def.required) {
      if (deferMissing) r.bag.add(diag.inputDeferred(here(raw, def.name, p, r.file), { name: def.name }));
      else r.bag.add(diag.missingRequiredInput(here(raw, def.name, p, r.file), { name: def.name }));
    }
    // A value refused here is reported once, at the input: its uses do not check it again.
    const invalid = hasValue && r.bag.items.slice(from).some((d) => d.severity === 'error');
    r.inputs.set(def.name, { def, value, hasValue, invalid });
  }
  for (const name of Object.keys(given)) {
    if (!r.inputs.has(name)) r.bag.add(diag.undeclaredInputValue({ path: join(path, name), file: r.file, line: 0, column: 0 }, { name }));
  }
}

/**
 * A diagnostic about a secret input's value ("…" violates min_length) must not quote it: the
 * diagnostics go back to the caller and into logs. Masks the diagnostics added since `from`.
 */
function maskValueInDiagnostics(bag: DiagnosticBag, from: number, value: Value): void {
  // Messages quote values as diagnostics.ts does (`describe`, cut at 60 characters, in JSON
  // quotes), so those forms are what to look for: a bare search for a short secret would also
  // blank out unrelated letters of the message.
  const forms = [JSON.stringify(describe(value)), JSON.stringify(value)].filter((f): f is string => f !== undefined);
  for (let i = from; i < bag.items.length; i += 1) {
    const d = bag.items[i];
    let message = d.message;
    for (const form of forms) message = message.split(form).join('"****"');
    if (message !== d.message) bag.items[i] = { ...d, message };
  }
}

/** True for inputs whose value must never be logged or returned. */
export function isSecretInput(name: string, type: string): boolean {
  return type === 'password' || SECRET.test(name);
}
