// A template's deploy form: one tab per tab of its parameters file and an "Advanced" tab, fields
// drawn from its inputs (catalogue/input-fields.ts); after a refusal, an error summary first
// (the script focuses it), the API's errors next to their fields and the values entered (never a
// password's). Without script every tab is a section of one long form.
import type { FormErrors } from '../catalogue/deploy-submission';
import type { InputField } from '../catalogue/input-fields';
import { simpleEntries } from '../catalogue/input-fields';
import type { CatalogueTemplate } from '../catalogue/template-catalogue';
import { csrfField, escapeHtml, layout, type UserFrame } from './html';

export const ADVANCED_TAB = 'Advanced';

export function deployFormPage(frame: UserFrame, template: CatalogueTemplate, values: Record<string, string> = {}, errors?: FormErrors, providers: string[] = []): string {
  const needsKey = template.metadata.require_ssh_key === 'true' || template.fields.some((f) => f.kind === 'sshkey' && f.required);
  const keyNotice =
    needsKey && !template.fields.some((f) => f.kind === 'sshkey' && (values[f.name] ?? '') !== '')
      ? `<div class="alert alert-info">This service needs your SSH public key. <a href="${escapeHtml(frame.root)}/keys" class="alert-link">Add or generate one</a>, then come back.</div>`
      : '';
  const root = escapeHtml(frame.root);
  const tabs = [...template.tabs.filter((tab) => template.fields.some((f) => f.tab === tab && f.kind !== 'hidden') || tab === template.tabs[0]), ADVANCED_TAB];
  const panes = tabs.map((tab, i) => {
    const fields = tab === ADVANCED_TAB ? advancedFields(values, providers, errors) : template.fields.filter((f) => f.tab === tab || (i === 0 && !template.tabs.includes(f.tab)));
    const body = typeof fields === 'string' ? fields : fields.map((f) => fieldHtml(f, values[f.name], errors?.byField[f.name] ?? [])).join('\n') || '<p>This template has no inputs.</p>';
    return `<section class="form-tab-pane pt-3" id="pane-${i}" role="tabpanel" aria-labelledby="tab-${i}"><h2 class="js-hide">${escapeHtml(tab)}</h2>${body}</section>`;
  });
  const tabList = tabs
    .map((tab, i) => `<li class="nav-item" role="presentation"><button type="button" class="nav-link" role="tab" id="tab-${i}" aria-controls="pane-${i}" aria-selected="false">${escapeHtml(tab)}${tabErrorCount(tab, template, errors)}</button></li>`)
    .join('');
  const group = frame.user.activeGroup ? `<p class="small">Deploying for group <strong>${escapeHtml(frame.user.activeGroup)}</strong>.</p>` : '';
  return layout(
    `baton: deploy ${template.title}`,
    `<nav aria-label="Breadcrumb"><ol class="breadcrumb"><li class="breadcrumb-item"><a href="${root}/templates">Catalogue</a></li><li class="breadcrumb-item active" aria-current="page">${escapeHtml(template.title)}</li></ol></nav>
<h1 class="h3">Deploy ${escapeHtml(template.title)}</h1><p class="text-body-secondary">${escapeHtml(template.description)}</p>${group}${keyNotice}${errorSummary(template, errors)}
<form method="post" action="${root}/templates/${escapeHtml(encodeURIComponent(template.key))}" novalidate>${csrfField(frame.user.csrfToken)}
<ul class="nav nav-tabs" role="tablist" aria-label="Parts of the form" data-form-tabs hidden>${tabList}</ul>
${panes.join('\n')}
<div class="mt-4 d-flex gap-2"><button class="btn btn-primary">Deploy</button><a class="btn btn-outline-secondary" href="${root}/templates">Cancel</a></div></form>`,
    { ...frame, section: 'catalogue' },
  );
}

function tabErrorCount(tab: string, template: CatalogueTemplate, errors?: FormErrors): string {
  if (!errors) return '';
  const names = tab === ADVANCED_TAB ? ['description', 'timeoutMins', 'maxProvidersRetry'] : template.fields.filter((f) => f.tab === tab).map((f) => f.name);
  const n = names.filter((name) => (errors.byField[name] ?? []).length > 0).length;
  return n > 0 ? ` <span class="badge text-bg-danger">${n}<span class="visually-hidden"> with errors</span></span>` : '';
}

function errorSummary(template: CatalogueTemplate, errors?: FormErrors): string {
  if (!errors || errors.general.length + Object.keys(errors.byField).length === 0) return '';
  const labels = new Map(template.fields.map((f) => [f.name, f.label]));
  const fieldLinks = Object.entries(errors.byField).map(
    ([name, list]) => `<li><a href="#f-${escapeHtml(name)}" class="alert-link">${escapeHtml(labels.get(name) ?? name)}</a>: ${escapeHtml(list.join(' '))}</li>`,
  );
  const general = errors.general.map((m) => `<li>${escapeHtml(m)}</li>`);
  return `<div class="alert alert-danger" role="alert" id="error-summary" tabindex="-1" aria-labelledby="error-summary-title"><h2 class="h5" id="error-summary-title">The deployment was not created: fix ${
    fieldLinks.length + general.length === 1 ? 'this problem' : 'these problems'
  }</h2><ul class="mb-0">${[...general, ...fieldLinks].join('')}</ul></div>`;
}

function advancedFields(values: Record<string, string>, providers: string[], errors?: FormErrors): string {
  const err = (name: string): string[] => errors?.byField[name] ?? [];
  const f = (name: string, label: string, help: string, control: string): string => fieldBlock(name, label, false, help, err(name), control);
  const attrs = (name: string): string => commonAttrs(name, true, err(name).length > 0);
  return [
    f('description', 'Description', 'A few words to tell this deployment from the others in your list.', `<input type="text" class="form-control" maxlength="500" ${attrs('description')} value="${escapeHtml(values.description ?? '')}">`),
    f(
      'provider',
      'Cloud provider',
      'Automatic: the orchestrator tries the providers in their rank order until one succeeds. A provider named here is the only one tried.',
      `<select class="form-select" ${attrs('provider')}><option value="">Automatic</option>${providers
        .map((p) => `<option value="${escapeHtml(p)}"${values.provider === p ? ' selected' : ''}>${escapeHtml(p)}</option>`)
        .join('')}</select>`,
    ),
    f('timeoutMins', 'Time-out (minutes)', 'Give up when the deployment is not complete after this long; empty for the service default.', `<input type="number" class="form-control" min="1" step="1" ${attrs('timeoutMins')} value="${escapeHtml(values.timeoutMins ?? '')}">`),
    f('maxProvidersRetry', 'Providers to try at most', 'Empty: every provider that qualifies.', `<input type="number" class="form-control" min="1" step="1" ${attrs('maxProvidersRetry')} value="${escapeHtml(values.maxProvidersRetry ?? '')}">`),
    `<div class="form-check form-switch mb-3"><input class="form-check-input" type="checkbox" role="switch" ${attrs('keepLastAttempt')} value="true"${values.keepLastAttempt === 'true' ? ' checked' : ''}>` +
      `<label class="form-check-label" for="f-keepLastAttempt">Keep the last failed attempt</label><div class="form-text" id="h-keepLastAttempt">Leaves its machines in place to look into, instead of deleting them.</div></div>`,
  ].join('\n');
}

function commonAttrs(name: string, hasHelp: boolean, invalid: boolean): string {
  const describedBy = [hasHelp ? `h-${name}` : '', invalid ? `e-${name}` : ''].filter(Boolean).join(' ');
  return `id="f-${escapeHtml(name)}" name="${escapeHtml(name)}"${describedBy ? ` aria-describedby="${escapeHtml(describedBy)}"` : ''}${invalid ? ' aria-invalid="true"' : ''}`;
}

function fieldBlock(name: string, label: string, required: boolean, help: string, errors: string[], control: string): string {
  const req = required ? ' <span class="text-danger" aria-hidden="true">*</span><span class="visually-hidden">(required)</span>' : '';
  const helpHtml = help ? `<div class="form-text" id="h-${escapeHtml(name)}">${escapeHtml(help)}</div>` : '';
  const errorHtml = errors.length > 0 ? `<div class="invalid-feedback d-block" id="e-${escapeHtml(name)}">${errors.map((e) => escapeHtml(e)).join('<br>')}</div>` : '';
  return `<div class="mb-3"><label class="form-label fw-semibold" for="f-${escapeHtml(name)}">${escapeHtml(label)}${req}</label>${control}${helpHtml}${errorHtml}</div>`;
}

function fieldHtml(field: InputField, entered: string | undefined, errors: string[]): string {
  const value = entered ?? field.defaultValue ?? '';
  if (field.kind === 'hidden') return `<input type="hidden" name="${escapeHtml(field.name)}" value="${escapeHtml(value)}">`;
  const help = helpText(field);
  const invalid = errors.length > 0;
  const common = commonAttrs(field.name, help !== '', invalid) + (field.required && field.kind !== 'checkbox' ? ' required aria-required="true"' : '');
  const cls = (base: string): string => `${base}${invalid ? ' is-invalid' : ''}`;
  if (field.kind === 'checkbox') {
    return `<div class="form-check form-switch mb-3"><input class="${cls('form-check-input')}" type="checkbox" role="switch" ${common} value="true"${value === 'true' ? ' checked' : ''}>
<label class="form-check-label fw-semibold" for="f-${escapeHtml(field.name)}">${escapeHtml(field.label)}</label>${help ? `<div class="form-text" id="h-${escapeHtml(field.name)}">${escapeHtml(help)}</div>` : ''}${
      invalid ? `<div class="invalid-feedback d-block" id="e-${escapeHtml(field.name)}">${errors.map(escapeHtml).join('<br>')}</div>` : ''
    }</div>`;
  }
  return fieldBlock(field.name, field.label, field.required, help, errors, control(field, common, value, cls));
}

function control(field: InputField, common: string, value: string, cls: (base: string) => string): string {
  const placeholder = field.placeholder ? ` placeholder="${escapeHtml(field.placeholder)}"` : '';
  switch (field.kind) {
    case 'password':
      // Never a value: neither the template's default nor what was typed comes back.
      return `<input type="password" class="${cls('form-control')}" ${common} autocomplete="new-password">`;
    case 'select': {
      const options = field.options ?? [];
      const empty = field.defaultValue === undefined ? `<option value=""${value === '' ? ' selected' : ''}>Choose…</option>` : '';
      return `<select class="${cls('form-select')}" ${common}>${empty}${options
        .map((o) => `<option value="${escapeHtml(o.value)}"${o.value === value ? ' selected' : ''}>${escapeHtml(o.label)}</option>`)
        .join('')}</select>`;
    }
    case 'number': {
      // A browser empties a number control whose value is not a number: what was typed (and
      // refused) would vanish beside its error, so such a value comes back in a text control.
      if (value.trim() !== '' && !Number.isFinite(Number(value))) return `<input type="text" inputmode="decimal" class="${cls('form-control')}" ${common} value="${escapeHtml(value)}">`;
      const bounds = `${field.min !== undefined ? ` min="${field.min}"` : ''}${field.max !== undefined ? ` max="${field.max}"` : ''}`;
      return `<input type="number" class="${cls('form-control')}" step="${field.step ?? 'any'}"${bounds} ${common} value="${escapeHtml(value)}">`;
    }
    case 'textarea':
    case 'list':
    case 'map':
    case 'ports':
      return `<textarea class="${cls('form-control')} font-monospace" rows="4" ${common}${placeholder}>${escapeHtml(value)}</textarea>`;
    case 'sshkey':
      return `<textarea class="${cls('form-control')} font-monospace" rows="3" ${common} placeholder="ssh-ed25519 AAAA… you@host">${escapeHtml(value)}</textarea>`;
    case 'checkbox':
    case 'hidden':
    case 'text':
      return `<input type="text" class="${cls('form-control')}" ${common}${placeholder} value="${escapeHtml(value)}">`;
  }
}

/** The help under a field, in words: its description, its bounds, how to write it. */
function helpText(field: InputField): string {
  const parts: string[] = [];
  if (field.description) parts.push(/[.!?]$/.test(field.description) ? field.description : `${field.description}.`);
  if (field.kind === 'number') {
    if (field.min !== undefined && field.max !== undefined) parts.push(`From ${field.min} to ${field.max}.`);
    else if (field.min !== undefined) parts.push(`At least ${field.min}.`);
    else if (field.max !== undefined) parts.push(`At most ${field.max}.`);
    if (field.step === '1') parts.push('A whole number.');
  }
  if (field.kind === 'password') parts.push(field.required ? 'Secret: never shown again.' : 'Secret: never shown again; leave empty for the template default.');
  if (field.toscaType === 'scalar-unit.size') parts.push('A size with its unit, such as 2 GB or 512 MiB.');
  if (field.toscaType === 'scalar-unit.time') parts.push('A duration with its unit, such as 30 s or 5 m.');
  if (field.kind === 'list') parts.push(simpleEntries(field) ? 'One entry per line.' : 'A list written as JSON.');
  if (field.kind === 'map') parts.push(simpleEntries(field) ? 'One key=value per line.' : 'A map written as JSON.');
  if (field.kind === 'ports') parts.push('One port per line: 8080, 8080/udp, or a range 9000-9100/tcp.');
  if (field.kind === 'sshkey') parts.push('Your SSH public key (one line, starting ssh-ed25519, ssh-rsa or ecdsa-).');
  return parts.join(' ');
}
