// A submitted deploy form: the parameters for `POST /deployments`, the values to show again if
// the API refuses them (never a password's), and the API's diagnostics placed next to the
// field their path names. Values go to the API as the form's text, as the INFN dashboard sends
// them (reference §1.3): the compiler coerces each to its input's type and says what is wrong.
import type { InputField } from './input-fields';

/** A diagnostic of the API's 400/422 body, as much of it as the form uses. */
export interface ApiDiagnostic {
  severity?: string;
  message?: string;
  path?: string;
}

export interface Submission {
  parameters: Record<string, string | boolean>;
  /** What the form shows again: text as typed, checkboxes as 'true'/'false'; no password. */
  values: Record<string, string>;
  /** Passwords typed in, so that no error message can show them back. */
  secrets: string[];
}

export interface FormErrors {
  /** Messages for no field in particular (shown at the top of the form). */
  general: string[];
  byField: Record<string, string[]>;
}

export function readSubmission(fields: InputField[], body: Record<string, unknown>): Submission {
  const submission: Submission = { parameters: {}, values: {}, secrets: [] };
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
    if (value.trim() !== '') submission.parameters[field.name] = value.trim();
  }
  return submission;
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
