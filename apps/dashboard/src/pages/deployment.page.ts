// One deployment, in tabs (overview, inputs, outputs, resources, log, template), each a link
// (?tab=) so it works without script; its status and log follow the API's event stream through
// the dashboard (assets/dashboard.js). Actions depend on the status: delete (confirmed), force
// delete on DELETE_FAILED, reset on DELETE_IN_PROGRESS, retry of a failed create, scale out and
// in (remove a chosen machine), start and stop a machine.
import type { ScalableNode } from '../catalogue/deployment-scaling';
import type { DeploymentSummary, ResourceSummary } from '../deployments.client';
import { csrfField, escapeHtml, layout, statusBadge, type UserFrame } from './html';
import { humanTime } from './list.page';

export const TABS = ['overview', 'inputs', 'outputs', 'resources', 'log', 'template'] as const;
export type DeploymentTab = (typeof TABS)[number];

/** A part of the page read separately: its value, or why it is missing. */
export type Part<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface DeploymentView {
  deployment: DeploymentSummary;
  tab: DeploymentTab;
  description?: string;
  templateName?: string;
  /** The inputs recorded at creation (secrets as null). */
  inputs?: Record<string, unknown>;
  template: Part<string>;
  resources: Part<ResourceSummary[]>;
  log?: Part<string>;
  scalable: ScalableNode[];
  /** A notice after an action ("Scale out requested"). */
  notice?: string;
}

export function deploymentPage(frame: UserFrame, view: DeploymentView): string {
  const d = view.deployment;
  const root = escapeHtml(frame.root);
  const base = `${root}/deployments/${escapeHtml(encodeURIComponent(d.uuid))}`;
  const inProgress = d.status.endsWith('_IN_PROGRESS');
  const title = view.description || view.templateName || 'Deployment';
  const tabs = TABS.map(
    (t) =>
      `<li class="nav-item"><a class="nav-link${t === view.tab ? ' active" aria-current="page' : ''}" href="${base}?tab=${t}">${t.charAt(0).toUpperCase()}${t.slice(1)}</a></li>`,
  ).join('');
  const reason = d.statusReason && d.status.endsWith('_FAILED') ? `<div class="alert alert-danger mt-3" role="alert"><strong>Why:</strong> ${escapeHtml(d.statusReason)}</div>` : '';
  const notice = view.notice ? `<div class="alert alert-info mt-3" role="status">${escapeHtml(view.notice)}</div>` : '';
  const live = inProgress ? ` data-events="${base}/events"` : '';
  return layout(
    `baton: ${title}`,
    `<nav aria-label="Breadcrumb"><ol class="breadcrumb"><li class="breadcrumb-item"><a href="${root}/">Deployments</a></li><li class="breadcrumb-item active" aria-current="page">${escapeHtml(title)}</li></ol></nav>
<div${live} class="d-flex flex-wrap align-items-center gap-3"><h1 class="h3 mb-0">${escapeHtml(title)}</h1>${statusBadge(d.status).replace('<span ', '<span data-live="status" ')}
<span class="visually-hidden" aria-live="polite" id="live-announcer"></span></div>
<p class="small text-body-secondary font-monospace mb-2">${escapeHtml(d.uuid)}</p>${actions(frame, base, view)}${reason}${notice}
<ul class="nav nav-tabs mt-3">${tabs}</ul><div class="pt-3">${tabBody(frame, base, view)}</div>`,
    { ...frame, section: 'deployments' },
  );
}

function postButton(frame: UserFrame, action: string, label: string, style: string, hidden: Record<string, string> = {}): string {
  const fields = Object.entries(hidden)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return `<form method="post" action="${action}" class="d-inline">${csrfField(frame.user.csrfToken)}${fields}<button class="btn btn-sm ${style}">${label}</button></form>`;
}

function actions(frame: UserFrame, base: string, view: DeploymentView): string {
  const s = view.deployment.status;
  const out: string[] = [];
  const settled = !s.endsWith('_IN_PROGRESS');
  if (settled && (s === 'CREATE_COMPLETE' || s === 'UPDATE_COMPLETE')) {
    for (const n of view.scalable) out.push(postButton(frame, `${base}/scale`, `Add one ${escapeHtml(n.node)}`, 'btn-outline-primary', { node: n.node, by: '1' }));
  }
  if (s === 'CREATE_FAILED') out.push(postButton(frame, `${base}/retry`, 'Retry', 'btn-outline-primary'));
  if (s === 'DELETE_IN_PROGRESS') out.push(postButton(frame, `${base}/reset`, 'Reset the stuck deletion', 'btn-outline-warning'));
  if (s === 'DELETE_FAILED') out.push(`<a class="btn btn-sm btn-danger" href="${base}/delete?force=1">Force delete…</a>`);
  if (s !== 'DELETE_IN_PROGRESS' && s !== 'DELETE_COMPLETE') out.push(`<a class="btn btn-sm btn-outline-danger" href="${base}/delete">Delete…</a>`);
  return out.length > 0 ? `<div class="d-flex flex-wrap gap-2" aria-label="Actions" role="group">${out.join(' ')}</div>` : '';
}

function tabBody(frame: UserFrame, base: string, view: DeploymentView): string {
  const d = view.deployment;
  switch (view.tab) {
    case 'overview': {
      const facts: [string, string | undefined][] = [
        ['Status', undefined],
        ['Task', d.task],
        ['Template', view.templateName],
        ['Description', view.description],
        ['Cloud provider', d.cloudProviderName],
        ['Group', d.userGroup],
        ['Created', humanTime(d.creationTime)],
        ['Updated', humanTime(d.updateTime)],
      ];
      return `<dl class="row">${facts
        .filter(([k, v]) => k === 'Status' || (v !== undefined && v !== ''))
        .map(([k, v]) => `<dt class="col-sm-3">${escapeHtml(k)}</dt><dd class="col-sm-9">${k === 'Status' ? statusBadge(d.status).replace('<span ', '<span data-live="status" ') : escapeHtml(v)}</dd>`)
        .join('')}</dl>`;
    }
    case 'inputs': {
      const inputs = Object.entries(view.inputs ?? {});
      if (inputs.length === 0) return '<p>No inputs were recorded: the template defaults apply.</p>';
      return `<table class="table"><thead><tr><th scope="col">Input</th><th scope="col">Value</th></tr></thead><tbody>${inputs
        .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${v === null ? '<span class="text-body-secondary">•••••• (secret, not shown)</span>' : `<code>${escapeHtml(typeof v === 'string' ? v : JSON.stringify(v))}</code>`}</td></tr>`)
        .join('')}</tbody></table>`;
    }
    case 'outputs': {
      const rows = Object.entries(d.outputs ?? {}).map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${valueHtml(v)}</td></tr>`);
      return rows.length > 0 ? `<table class="table"><thead><tr><th scope="col">Output</th><th scope="col">Value</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '<p>No outputs yet.</p>';
    }
    case 'resources':
      return view.resources.ok ? resourcesHtml(frame, base, view, view.resources.value) : `<p>${escapeHtml(view.resources.reason)}</p>`;
    case 'log':
      if (!view.log || !view.log.ok) return `<p>${escapeHtml(view.log?.reason ?? 'Not available.')}</p>`;
      return `<pre class="log-view" id="log-lines" tabindex="0" aria-label="Deployment log">${escapeHtml(view.log.value)}</pre>`;
    case 'template':
      return view.template.ok ? `<pre class="template-view" tabindex="0" aria-label="TOSCA template"><code>${escapeHtml(view.template.value)}</code></pre>` : `<p>${escapeHtml(view.template.reason)}</p>`;
  }
}

/** A URL becomes a link (http and https only: never javascript: or data:), any value gets a copy button. */
function valueHtml(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? '(none)' : `<ul class="list-unstyled mb-0">${v.map((x) => `<li>${valueHtml(x)}</li>`).join('')}</ul>`;
  if (typeof v === 'object' && v !== null) return `<pre class="mb-0">${escapeHtml(JSON.stringify(v, null, 2))}</pre>`;
  const text = String(v ?? '');
  const shown = typeof v === 'string' && isWebUrl(v) ? `<a href="${escapeHtml(v)}" rel="noopener noreferrer">${escapeHtml(v)}</a>` : `<code>${escapeHtml(text)}</code>`;
  return `${shown} <button type="button" class="btn btn-sm btn-link p-0 ms-1" data-copy="${escapeHtml(text)}" hidden>Copy<span class="visually-hidden"> ${escapeHtml(text)}</span></button>`;
}

function isWebUrl(text: string): boolean {
  if (!/^https?:\/\/\S+$/i.test(text)) return false;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Addresses of a machine, from the resource's VirtualMachineInfo (vmProperties). */
export function addressesOf(r: ResourceSummary): string[] {
  try {
    const info = JSON.parse(r.metadata?.VirtualMachineInfo ?? '{}') as { vmProperties?: Record<string, unknown>[] };
    const out: string[] = [];
    for (const vm of info.vmProperties ?? []) {
      for (const [k, v] of Object.entries(vm)) if (/ip$|address/i.test(k) && typeof v === 'string' && v !== '') out.push(v);
    }
    return [...new Set(out)];
  } catch {
    return [];
  }
}

function resourcesHtml(frame: UserFrame, base: string, view: DeploymentView, resources: ResourceSummary[]): string {
  if (resources.length === 0) return '<p>No resources.</p>';
  const settled = view.deployment.status === 'CREATE_COMPLETE' || view.deployment.status === 'UPDATE_COMPLETE';
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.toscaNodeName, (counts.get(r.toscaNodeName) ?? 0) + 1);
  const rows = resources.map((r) => {
    const scalable = view.scalable.find((n) => n.node === r.toscaNodeName);
    const compute = /Compute$/.test(r.toscaNodeType);
    const buttons: string[] = [];
    if (settled && scalable && (counts.get(r.toscaNodeName) ?? 0) > Math.max(scalable.min, 1)) {
      buttons.push(postButton(frame, `${base}/resources/${escapeHtml(encodeURIComponent(r.uuid))}/remove`, `Remove<span class="visually-hidden"> machine ${escapeHtml(r.uuid)}</span>`, 'btn-outline-danger'));
    }
    if (settled && compute && r.physicalId) {
      const action = r.state === 'STOPPED' ? 'start' : 'stop';
      buttons.push(postButton(frame, `${base}/resources/${escapeHtml(encodeURIComponent(r.uuid))}/${action}`, `${action === 'start' ? 'Start' : 'Stop'}<span class="visually-hidden"> machine ${escapeHtml(r.uuid)}</span>`, 'btn-outline-secondary'));
    }
    const addresses = addressesOf(r).map((a) => `<code>${escapeHtml(a)}</code>`).join('<br>');
    return `<tr data-resource="${escapeHtml(r.uuid)}"><td>${escapeHtml(r.toscaNodeName)}<div class="small text-body-secondary font-monospace">${escapeHtml(r.uuid)}</div></td><td><code>${escapeHtml(r.toscaNodeType)}</code></td>
<td>${escapeHtml(r.state)}</td><td>${addresses || '<span class="text-body-secondary">none</span>'}</td><td class="text-nowrap">${buttons.join(' ')}</td></tr>`;
  });
  return `<div class="table-responsive"><table class="table align-middle"><thead><tr><th scope="col">Node</th><th scope="col">Type</th><th scope="col">State</th><th scope="col">Addresses</th><th scope="col">Actions</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

export function confirmDeletePage(frame: UserFrame, id: string, title: string, force: boolean): string {
  const root = escapeHtml(frame.root);
  const path = `${root}/deployments/${escapeHtml(encodeURIComponent(id))}`;
  const warning = force
    ? 'A forced delete removes the deployment even though its last deletion failed: cloud objects that could not be deleted may stay behind; check the log first.'
    : 'Every cloud object it made (servers, volumes, addresses, networks) is removed. This cannot be undone.';
  return layout(
    'baton: delete deployment',
    `<h1 class="h3">${force ? 'Force delete' : 'Delete'} ${escapeHtml(title)}?</h1><p class="font-monospace small">${escapeHtml(id)}</p>
<div class="alert alert-warning">${escapeHtml(warning)}</div>
<div class="d-flex gap-2 align-items-center"><form method="post" action="${path}/delete">${csrfField(frame.user.csrfToken)}${force ? '<input type="hidden" name="force" value="true">' : ''}<button class="btn btn-danger">${force ? 'Force delete' : 'Delete'} the deployment</button></form>
<a class="btn btn-outline-secondary" href="${path}">Cancel</a></div>`,
    { ...frame, section: 'deployments' },
  );
}
