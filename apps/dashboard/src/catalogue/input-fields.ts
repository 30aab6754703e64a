// How a template input becomes a form field (TOSCA 1.3 §3.6.12 parameter definition: type,
// description, required, default, constraints), with the INFN parameters file's overrides (tab,
// display_name, description, widget type, options). The field says what control to draw and what
// to pre-fill; the compiler stays the judge of every value (the API answers with diagnostics).
import { isSecretInput } from '@lib/tosca';

export type FieldKind = 'number' | 'checkbox' | 'select' | 'password' | 'text' | 'textarea' | 'list' | 'map' | 'ports' | 'sshkey' | 'hidden';

export interface InputField {
  name: string;
  /** The words shown as the label: display_name, else the name with spaces. */
  label: string;
  kind: FieldKind;
  /** The TOSCA type (`scalar-unit.size`, `list`...). */
  toscaType: string;
  /** list, map: the entries' type; a list or map of anything but scalars is edited as JSON. */
  entryType?: string;
  tab: string;
  description?: string;
  placeholder?: string;
  /** No default, and `required` is not false: the API refuses a deployment without it. */
  required: boolean;
  /** The default as the control shows it; never set for a password. */
  defaultValue?: string;
  /** number: `1` for integers, `any` for floats. */
  step?: '1' | 'any';
  min?: number;
  max?: number;
  /** select: the values and their words. */
  options?: { value: string; label: string }[];
}

const SCALARS = new Set(['string', 'integer', 'float', 'boolean', 'version', 'scalar-unit.size', 'scalar-unit.time']);
const PORT_SPEC = /(^|\.)PortSpec$/;

/** The fields of `topology_template.inputs`, in the template's order, with the parameters file's overrides. */
export function inputFields(inputs: unknown, overrides: Record<string, Record<string, unknown>> = {}, firstTab = 'Configuration'): InputField[] {
  if (!isRecord(inputs)) return [];
  return Object.entries(inputs).map(([name, definition]) => inputField(name, isRecord(definition) ? definition : {}, overrides[name] ?? {}, firstTab));
}

export function inputField(name: string, definition: Record<string, unknown>, override: Record<string, unknown> = {}, firstTab = 'Configuration'): InputField {
  const toscaType = typeof definition.type === 'string' ? definition.type : 'string';
  const constraints = constraintMap(definition.constraints);
  const hasDefault = definition.default !== undefined && definition.default !== null;
  const entryType = isRecord(definition.entry_schema) && typeof definition.entry_schema.type === 'string' ? definition.entry_schema.type : undefined;
  const widget = typeof override.type === 'string' ? override.type : undefined;
  const kind = kindOf(name, toscaType, entryType, constraints, widget, override);
  const description = [override.description, definition.description].find((d): d is string => typeof d === 'string' && d.trim() !== '');
  const field: InputField = {
    name,
    label: typeof override.display_name === 'string' ? override.display_name : humanize(name),
    kind,
    toscaType,
    tab: typeof override.tab === 'string' ? override.tab : firstTab,
    required: definition.required !== false && !hasDefault,
  };
  if (entryType) field.entryType = entryType;
  if (description) field.description = description.trim();
  if (typeof override.placeholder === 'string') field.placeholder = override.placeholder;
  if (kind === 'select') field.options = optionsOf(override.options, constraints.valid_values);
  if (kind === 'number') {
    field.step = toscaType === 'integer' || widget === 'integer' ? '1' : 'any';
    const [min, max] = bounds(constraints);
    if (min !== undefined) field.min = min;
    if (max !== undefined) field.max = max;
  }
  // A password's default stays in the template: a page never carries a secret.
  if (hasDefault && kind !== 'password') field.defaultValue = controlText(kind, definition.default);
  return field;
}

function kindOf(name: string, toscaType: string, entryType: string | undefined, constraints: Record<string, unknown>, widget: string | undefined, override: Record<string, unknown>): FieldKind {
  if (isSecretInput(name, toscaType) || widget === 'password') return 'password';
  switch (widget) {
    case 'select':
      return 'select';
    case 'toggle':
    case 'boolean':
      return 'checkbox';
    case 'integer':
    case 'float':
      return 'number';
    case 'textarea':
      return 'textarea';
    case 'ports':
      return 'ports';
    case 'ssh_pub_key_type':
      return 'sshkey';
    case 'hidden':
      return 'hidden';
    case 'list':
      return 'list';
    case 'map':
      return 'map';
    default:
      break;
  }
  if (Array.isArray(constraints.valid_values) && constraints.valid_values.length > 0) return 'select';
  if (Array.isArray(override.options) && override.options.length > 0) return 'select';
  if (toscaType === 'boolean') return 'checkbox';
  if (toscaType === 'integer' || toscaType === 'float') return 'number';
  if ((toscaType === 'map' || toscaType === 'list') && entryType && PORT_SPEC.test(entryType)) return 'ports';
  if (toscaType === 'list') return 'list';
  if (toscaType === 'map') return 'map';
  if (/ssh.*(pub|key)/i.test(name)) return 'sshkey';
  return 'text';
}

function optionsOf(fromFile: unknown, validValues: unknown): { value: string; label: string }[] {
  const list = Array.isArray(fromFile) && fromFile.length > 0 ? fromFile : Array.isArray(validValues) ? validValues : [];
  return list.map((o) => (isRecord(o) ? { value: asText(o.value), label: typeof o.label === 'string' ? o.label : asText(o.value) } : { value: asText(o), label: asText(o) }));
}

/** `num_cpus` → "Num cpus": words for a name that has no display_name. */
export function humanize(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Whether a list or map of this entry type is edited line by line (else as JSON). */
export function simpleEntries(field: InputField): boolean {
  return field.entryType === undefined || SCALARS.has(field.entryType);
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

/** The text a control shows for a default: lines for list, map and port editors, JSON for structured entries. */
function controlText(kind: FieldKind, value: unknown): string {
  if (kind === 'list' && Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return value.map(asText).join('\n');
  if (kind === 'map' && isRecord(value) && Object.values(value).every((v) => v === null || typeof v !== 'object')) {
    return Object.entries(value)
      .map(([k, v]) => `${k}=${asText(v)}`)
      .join('\n');
  }
  if (kind === 'ports' && (isRecord(value) || Array.isArray(value))) return portsText(value);
  return asText(value);
}

/** PortSpecs as lines `8080/tcp` or `9000-9100/udp`. */
function portsText(value: Record<string, unknown> | unknown[]): string {
  const specs = Array.isArray(value) ? value : Object.values(value);
  return specs
    .filter(isRecord)
    .map((p) => {
      const protocol = typeof p.protocol === 'string' ? p.protocol : 'tcp';
      const range = Array.isArray(p.source_range) ? `${asText(p.source_range[0])}-${asText(p.source_range[1])}` : asText(p.source ?? p.target ?? '');
      return `${range}/${protocol}`;
    })
    .join('\n');
}

/** The text of a YAML value: scalars as written, lists and maps as JSON (the compiler reads JSON for them). */
export function asText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
