// A submitted deploy form: the parameters for `POST /deployments`, the values to show again if
// the API refuses them (never a password's), and the API's diagnostics placed next to the
// field their path names. Values go to the API as the form's text, as the INFN dashboard sends
// them (reference §1.3): the compiler coerces each to its input's type and says what is wrong.
import { simpleEntries, type InputField } from './input-fields';

/** A diagnostic of the API's 400/422 body, as much of it as the form uses. */
export interface ApiDiagnostic {
  severity?: string;
  message?: string;
  path?: string;
}

export interface Submission {
  parameters: Record<string, unknown>;
  /** What the form shows again: text as typed, checkboxes as 'true'/'false'; no password. */
  values: Record<string, string>;
  /** Passwords typed in, so that no error message can show them back. */
  secrets: string[];
  /** Values the dashboard itself could not read (a list editor's bad JSON, a bad port line). */
  local: Record<string, string[]>;
}

export interface FormErrors {
  /** Messages for no field in particular (shown at the top of the form). */
  general: string[];
  byField: Record<string, string[]>;
}

export function readSubmission(fields: InputField[], body: Record<string, unknown>): Submission {
  const submission: Submission = { parameters: {}, values: {}, secrets: [], local: {} };
  for (const field of fields) {
    const raw = lastString(body[field.name]);
    if (field.kind === 'checkbox') {
      // An unchecked box sends nothing: that is an explicit false, not "use the default".
      submission.parameters[field.name] = raw !== undefined;
      submission.values[field.name] = String(raw !== undefined);
      continue;
    }
    const value = raw ?? '';
    if (field.kind === 'password') {
      if (value !== '') {
        submission.parameters[field.name] = value;
        submission.secrets.push(value);
      }
      continue;
    }
    submission.values[field.name] = value;
    // An empty control means "the template's default"; the API reports a required one missing.
    if (value.trim() === '') continue;
    const parsed = structured(field, value);
    if ('error' in parsed) submission.local[field.name] = [parsed.error];
    else submission.parameters[field.name] = parsed.value;
  }
  return submission;
}

/** List, map and port editors: lines (or JSON) to the value; anything else stays text for the compiler. */
function structured(field: InputField, text: string): { value: unknown } | { error: string } {
  const trimmed = text.trim();
  const lines = trimmed
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  switch (field.kind) {
    case 'list':
    case 'map': {
      if (!simpleEntries(field) || /^[[{]/.test(trimmed)) {
        try {
          return { value: JSON.parse(trimmed) as unknown };
        } catch {
          return { error: `Write the ${field.kind} as JSON (${field.kind === 'list' ? '[ ... ]' : '{ ... }'}).` };
        }
      }
      if (field.kind === 'list') return { value: lines };
      const map: Record<string, string> = {};
      for (const line of lines) {
        const eq = line.indexOf('=');
        if (eq <= 0) return { error: `Write each entry as key=value ("${line}" has no key).` };
        map[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
      }
      return { value: map };
    }
    case 'ports': {
      const ports: Record<string, Record<string, unknown>> = {};
      for (const line of lines) {
        const m = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp|icmp))?$/i.exec(line);
        if (!m) return { error: `Write each port as 8080, 8080/udp or 9000-9100/tcp ("${line}" is not one).` };
        const protocol = (m[3] ?? 'tcp').toLowerCase();
        const spec: Record<string, unknown> = { protocol };
        if (m[2]) spec.source_range = [Number(m[1]), Number(m[2])];
        else spec.source = Number(m[1]);
        ports[`port_${m[1]}${m[2] ? `_${m[2]}` : ''}_${protocol}`] = spec;
      }
      return { value: field.toscaType === 'list' ? Object.values(ports) : ports };
    }
    default:
      return { value: trimmed };
  }
}

const INPUT_PATH = /^topology_template\.inputs\.([^.[\]]+)/;

/** Errors next to the input a diagnostic's path names, the rest at the top; secrets masked. */
export function placeErrors(fields: InputField[], message: string, diagnostics: ApiDiagnostic[], secrets: string[]): FormErrors {
  const names = new Set(fields.map((f) => f.name));
  const errors: FormErrors = { general: [], byField: {} };
  const add = (list: string[], text: string): void => {
    if (!list.includes(text)) list.push(text);
  };
  for (const d of diagnostics) {
    if (d.severity !== undefined && d.severity !== 'error') continue;
    const text = mask(typeof d.message === 'string' ? d.message : 'invalid', secrets);
    const name = INPUT_PATH.exec(d.path ?? '')?.[1];
    if (name !== undefined && names.has(name)) add((errors.byField[name] ??= []), text);
    else add(errors.general, d.path ? `${d.path}: ${text}` : text);
  }
  if (errors.general.length === 0 && Object.keys(errors.byField).length === 0) errors.general.push(mask(message, secrets));
  return errors;
}

/**
 * Hides every typed password in a message. The compiler quotes a refused value in its message
 * (`"abc" violates the constraint min_length: 8`), JSON-escaped, so both spellings go.
 */
export function mask(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) {
    for (const spelling of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      if (spelling !== '') out = out.split(spelling).join('•••');
    }
  }
  return out;
}

function lastString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    const strings = v.filter((x): x is string => typeof x === 'string');
    return strings[strings.length - 1];
  }
  return undefined;
}
