// How a template input becomes a form field (TOSCA 1.3 §3.6.12 parameter definition: type,
// description, required, default, constraints). The field says what kind of control to draw and
// what to pre-fill; the compiler stays the judge of every value (the API answers with its
// diagnostics), so nothing here validates.
import { isSecretInput } from '@lib/tosca';

export type FieldKind = 'number' | 'checkbox' | 'select' | 'password' | 'text';

export interface InputField {
  name: string;
  kind: FieldKind;
  /** The TOSCA type, shown to the user (`scalar-unit.size`, `list`...). */
  toscaType: string;
  description?: string;
  /** No default, and `required` is not false: the API refuses a deployment without it. */
  required: boolean;
  /** The default as the control shows it; never set for a password. */
  defaultValue?: string;
  /** number: `1` for integers, `any` for floats. */
  step?: '1' | 'any';
  min?: number;
  max?: number;
  /** select: the `valid_values`, as text. */
  options?: string[];
}

/** The fields of `topology_template.inputs`, in the template's order. */
export function inputFields(inputs: unknown): InputField[] {
  if (!isRecord(inputs)) return [];
  return Object.entries(inputs).map(([name, definition]) => inputField(name, isRecord(definition) ? definition : {}));
}

export function inputField(name: string, definition: Record<string, unknown>): InputField {
  const toscaType = typeof definition.type === 'string' ? definition.type : 'string';
  const constraints = constraintMap(definition.constraints);
  const hasDefault = definition.default !== undefined && definition.default !== null;
  const field: InputField = {
    name,
    kind: kindOf(name, toscaType, constraints),
    toscaType,
    required: definition.required !== false && !hasDefault,
  };
  if (typeof definition.description === 'string' && definition.description.trim() !== '') field.description = definition.description.trim();
  if (field.kind === 'select') field.options = (constraints.valid_values as unknown[]).map(asText);
  if (field.kind === 'number') {
    field.step = toscaType === 'integer' ? '1' : 'any';
    const [min, max] = bounds(constraints);
    if (min !== undefined) field.min = min;
    if (max !== undefined) field.max = max;
  }
  // A password's default stays in the template: a page never carries a secret.
  if (hasDefault && field.kind !== 'password') field.defaultValue = asText(definition.default);
  return field;
}

function kindOf(name: string, toscaType: string, constraints: Record<string, unknown>): FieldKind {
  if (isSecretInput(name, toscaType)) return 'password';
  if (Array.isArray(constraints.valid_values) && constraints.valid_values.length > 0) return 'select';
  if (toscaType === 'boolean') return 'checkbox';
  if (toscaType === 'integer' || toscaType === 'float') return 'number';
  return 'text';
}

/** TOSCA writes constraints as a list of one-key maps (§3.6.3). */
function constraintMap(constraints: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(constraints)) return out;
  for (const c of constraints) if (isRecord(c)) Object.assign(out, c);
  return out;
}

function bounds(c: Record<string, unknown>): [number | undefined, number | undefined] {
  const range = Array.isArray(c.in_range) ? c.in_range : [];
  const min = numberOf(c.greater_or_equal) ?? numberOf(range[0]);
  const max = numberOf(c.less_or_equal) ?? numberOf(range[1]);
  return [min, max];
}

function numberOf(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The text a control shows for a YAML value: scalars as written, lists and maps as JSON (the compiler reads JSON for them). */
export function asText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
