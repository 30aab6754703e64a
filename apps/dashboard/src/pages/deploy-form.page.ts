// A template's deploy form, drawn from its inputs (catalogue/input-fields.ts); after a refusal,
// with the API's errors next to their fields and the values entered (never a password's).
import type { FormErrors } from '../catalogue/deploy-submission';
import type { InputField } from '../catalogue/input-fields';
import type { CatalogueTemplate } from '../catalogue/template-catalogue';
import { csrfField, escapeHtml, layout, type PageFrame } from './html';

export function deployFormPage(frame: PageFrame & { user: NonNullable<PageFrame['user']> }, template: CatalogueTemplate, values: Record<string, string> = {}, errors?: FormErrors): string {
  const summary =
    errors && errors.general.length + Object.keys(errors.byField).length > 0
      ? `<div class="alert" role="alert"><h2>The deployment was not created</h2>${
          errors.general.length > 0 ? `<ul>${errors.general.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>` : ''
        }${Object.keys(errors.byField).length > 0 ? '<p>Check the fields marked below.</p>' : ''}</div>`
      : '';
  const fields = template.fields.map((f) => fieldHtml(f, values[f.name], errors?.byField[f.name] ?? [])).join('\n');
  return layout(
    `baton: deploy ${template.title}`,
    `<h1>Deploy ${escapeHtml(template.title)}</h1><p>${escapeHtml(template.description)}</p>${summary}
<form method="post" action="${escapeHtml(frame.root)}/templates/${escapeHtml(encodeURIComponent(template.key))}">${csrfField(frame.user.csrfToken)}
${fields || '<p>This template has no inputs.</p>'}
<p><button>Deploy</button></p></form>`,
    frame,
  );
}

function fieldHtml(field: InputField, entered: string | undefined, errors: string[]): string {
  const id = `f-${field.name}`;
  const help = helpText(field);
  const describedBy = [help ? `h-${field.name}` : '', errors.length > 0 ? `e-${field.name}` : '']
    .filter((x) => x !== '')
    .join(' ');
  const common =
    `id="${escapeHtml(id)}" name="${escapeHtml(field.name)}"` +
    (describedBy ? ` aria-describedby="${escapeHtml(describedBy)}"` : '') +
    (errors.length > 0 ? ' aria-invalid="true"' : '') +
    (field.required && field.kind !== 'checkbox' ? ' required' : '');
  const value = entered ?? field.defaultValue ?? '';
  const label = `<label for="${escapeHtml(id)}">${escapeHtml(field.name)}${field.required ? ' <span>(required)</span>' : ''}</label>`;
  const helpHtml = help ? `<span class="help" id="h-${escapeHtml(field.name)}">${escapeHtml(help)}</span>` : '';
  const errorHtml = errors.length > 0 ? `<ul class="error" id="e-${escapeHtml(field.name)}">${errors.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul>` : '';
  return `<div class="field">${label}${control(field, common, value)}${helpHtml}${errorHtml}</div>`;
}

function control(field: InputField, common: string, value: string): string {
  switch (field.kind) {
    case 'checkbox':
      return `<input type="checkbox" ${common} value="true"${value === 'true' ? ' checked' : ''}>`;
    case 'password':
      // Never a value: neither the template's default nor what was typed comes back.
      return `<input type="password" ${common} autocomplete="new-password">`;
    case 'select': {
      const options = field.options ?? [];
      const empty = field.defaultValue === undefined ? `<option value=""${value === '' ? ' selected' : ''}>(choose)</option>` : '';
      return `<select ${common}>${empty}${options.map((o) => `<option${o === value ? ' selected' : ''}>${escapeHtml(o)}</option>`).join('')}</select>`;
    }
    case 'number': {
      // A browser empties a number control whose value is not a number: what was typed (and
      // refused) would vanish beside its error, so such a value comes back in a text control.
      if (value.trim() !== '' && !Number.isFinite(Number(value))) return `<input type="text" inputmode="decimal" ${common} value="${escapeHtml(value)}">`;
      const bounds = `${field.min !== undefined ? ` min="${field.min}"` : ''}${field.max !== undefined ? ` max="${field.max}"` : ''}`;
      return `<input type="number" step="${field.step ?? 'any'}"${bounds} ${common} value="${escapeHtml(value)}">`;
    }
    case 'text':
      return `<input type="text" ${common} value="${escapeHtml(value)}">`;
  }
}

function helpText(field: InputField): string {
  const parts: string[] = [];
  if (field.description) parts.push(/[.!?]$/.test(field.description) ? field.description : `${field.description}.`);
  if (field.kind === 'password') parts.push(field.required ? 'Secret: never shown again.' : 'Secret: never shown again; leave empty for the template default.');
  if (field.toscaType === 'list' || field.toscaType === 'map') parts.push(`A ${field.toscaType}, written as JSON.`);
  else if (field.kind === 'text' && field.toscaType !== 'string') parts.push(`Type ${field.toscaType}.`);
  return parts.join(' ');
}
