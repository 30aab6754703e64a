// One deployment: its status, outputs, resources and log, refreshing itself while work is in
// progress, with the way to delete it. Parts the API could not give (the log is the owner's
// only) say so in place rather than failing the page.
import type { DeploymentSummary, ResourceSummary } from '../deployments.client';
import { csrfField, escapeHtml, layout, type PageFrame } from './html';

export const REFRESH_SECONDS = 5;

/** A part of the page read separately: its value, or why it is missing. */
export type Part<T> = { ok: true; value: T } | { ok: false; reason: string };

export function deploymentPage(frame: PageFrame, d: DeploymentSummary, resources: Part<ResourceSummary[]>, log: Part<string>): string {
  const root = escapeHtml(frame.root);
  const id = escapeHtml(encodeURIComponent(d.uuid));
  const inProgress = d.status.endsWith('_IN_PROGRESS');
  const failed = d.status.endsWith('_FAILED');
  const facts: [string, unknown][] = [
    ['Status', d.status],
    ['Status reason', d.statusReason],
    ['Task', d.task],
    ['Created', d.creationTime],
    ['Updated', d.updateTime],
    ['Group', d.userGroup],
    ['Cloud provider', d.cloudProviderName],
  ];
  const factsHtml = facts
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd${k === 'Status reason' && failed ? ' role="alert"' : ''}>${k === 'Status' ? `<strong>${escapeHtml(v)}</strong>` : escapeHtml(v)}</dd>`)
    .join('');
  const progress = inProgress ? `<p>Work in progress: this page refreshes every ${REFRESH_SECONDS} seconds.</p>` : '';
  const canDelete = d.status !== 'DELETE_IN_PROGRESS' && d.status !== 'DELETE_COMPLETE';
  const remove = canDelete ? `<form method="get" action="${root}/deployments/${id}/delete"><button>Delete…</button></form>` : '';
  return layout(
    `baton: deployment ${d.uuid}`,
    `<h1>Deployment <code>${escapeHtml(d.uuid)}</code></h1>${progress}<dl>${factsHtml}</dl>${remove}
<h2>Outputs</h2>${outputsHtml(d.outputs ?? {})}
<h2>Resources</h2>${resources.ok ? resourcesHtml(resources.value) : `<p>${escapeHtml(resources.reason)}</p>`}
<h2>Log</h2>${log.ok ? (log.value === '' ? '<p>The log is empty.</p>' : `<pre>${escapeHtml(log.value)}</pre>`) : `<p>${escapeHtml(log.reason)}</p>`}`,
    { ...frame, ...(inProgress ? { refreshSeconds: REFRESH_SECONDS } : {}) },
  );
}

export function confirmDeletePage(frame: PageFrame & { user: NonNullable<PageFrame['user']> }, id: string): string {
  const root = escapeHtml(frame.root);
  const path = `${root}/deployments/${escapeHtml(encodeURIComponent(id))}`;
  return layout(
    'baton: delete deployment',
    `<h1>Delete deployment <code>${escapeHtml(id)}</code>?</h1>
<p>Every cloud object it made (servers, volumes, addresses, networks) is removed. This cannot be undone.</p>
<div class="button-row"><form method="post" action="${path}/delete">${csrfField(frame.user.csrfToken)}<button>Delete the deployment</button></form>
<a href="${path}">Cancel</a></div>`,
    frame,
  );
}

function outputsHtml(outputs: Record<string, unknown>): string {
  const rows = Object.entries(outputs).map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${valueHtml(v)}</td></tr>`);
  return rows.length > 0 ? `<table><tbody>${rows.join('')}</tbody></table>` : '<p>No outputs yet.</p>';
}

/** A URL becomes a link (http and https only: never javascript: or data:), a list a list. */
function valueHtml(v: unknown): string {
  if (typeof v === 'string') return isWebUrl(v) ? `<a href="${escapeHtml(v)}" rel="noopener noreferrer">${escapeHtml(v)}</a>` : escapeHtml(v);
  if (Array.isArray(v)) return v.length === 0 ? '(none)' : `<ul>${v.map((x) => `<li>${valueHtml(x)}</li>`).join('')}</ul>`;
  if (typeof v === 'object' && v !== null) return `<pre>${escapeHtml(JSON.stringify(v, null, 2))}</pre>`;
  return escapeHtml(v);
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

function resourcesHtml(resources: ResourceSummary[]): string {
  if (resources.length === 0) return '<p>No resources.</p>';
  const rows = resources.map((r) => `<tr><td>${escapeHtml(r.toscaNodeName)}</td><td><code>${escapeHtml(r.toscaNodeType)}</code></td><td>${escapeHtml(r.state)}</td></tr>`);
  return `<table><thead><tr><th scope="col">node</th><th scope="col">type</th><th scope="col">state</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
