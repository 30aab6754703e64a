// The deployments: description, template, status badge, provider, group, created, actions; with
// filters (status, group; an admin may list everyone's). Newest first, as the API sends them.
import type { DeploymentSummary } from '../deployments.client';
import { escapeHtml, layout, statusBadge, type UserFrame } from './html';

export interface ListedDeployment {
  deployment: DeploymentSummary;
  description?: string;
  templateName?: string;
}

export interface ListFilters {
  status: '' | 'progress' | 'complete' | 'failed';
  /** '' = the active group; '*' = every group of mine. */
  group: string;
  all: boolean;
}

const STATUS_FILTERS: [ListFilters['status'], string][] = [
  ['', 'Any status'],
  ['progress', 'In progress'],
  ['complete', 'Complete'],
  ['failed', 'Failed'],
];

export function matchesStatus(status: string, filter: ListFilters['status']): boolean {
  switch (filter) {
    case '':
      return true;
    case 'progress':
      return status.endsWith('_IN_PROGRESS');
    case 'complete':
      return status.endsWith('_COMPLETE');
    case 'failed':
      return status.endsWith('_FAILED');
  }
}

export function deploymentsPage(frame: UserFrame, rows: ListedDeployment[], filters: ListFilters): string {
  const root = escapeHtml(frame.root);
  const body = rows
    .map(({ deployment: d, description, templateName }) => {
      const href = `${root}/deployments/${escapeHtml(encodeURIComponent(d.uuid))}`;
      const name = description || templateName || 'Deployment';
      return `<tr><td><a href="${href}">${escapeHtml(name)}</a><div class="small text-body-secondary font-monospace">${escapeHtml(d.uuid)}</div></td>
<td>${escapeHtml(templateName ?? '')}</td><td>${statusBadge(d.status)}${d.statusReason && d.status.endsWith('_FAILED') ? `<div class="small text-danger">${escapeHtml(d.statusReason.slice(0, 120))}</div>` : ''}</td>
<td>${escapeHtml(d.cloudProviderName ?? '')}</td><td>${escapeHtml(d.userGroup ?? '')}</td><td><time datetime="${escapeHtml(d.creationTime ?? '')}">${escapeHtml(humanTime(d.creationTime))}</time></td>
<td class="text-nowrap"><a class="btn btn-sm btn-outline-primary" href="${href}">Details<span class="visually-hidden"> of ${escapeHtml(name)}</span></a>
<a class="btn btn-sm btn-outline-danger" href="${href}/delete">Delete<span class="visually-hidden"> ${escapeHtml(name)}</span></a></td></tr>`;
    })
    .join('\n');
  const groupOptions = [
    ['', frame.user.activeGroup ? `Group ${frame.user.activeGroup} (active)` : 'Any group'],
    ...(frame.user.groups.length > 0 ? [['*', 'All my groups']] : []),
    ...frame.user.groups.filter((g) => g !== frame.user.activeGroup).map((g) => [g, `Group ${g}`]),
  ];
  const select = (name: string, label: string, options: string[][], value: string): string =>
    `<div><label class="form-label small mb-0" for="filter-${name}">${label}</label><select class="form-select form-select-sm" id="filter-${name}" name="${name}">${options
      .map(([v, text]) => `<option value="${escapeHtml(v)}"${v === value ? ' selected' : ''}>${escapeHtml(text)}</option>`)
      .join('')}</select></div>`;
  const adminBox = frame.user.admin
    ? `<div class="form-check align-self-end"><input class="form-check-input" type="checkbox" id="filter-all" name="all" value="1"${filters.all ? ' checked' : ''}><label class="form-check-label small" for="filter-all">Everyone's deployments</label></div>`
    : '';
  return layout(
    'baton: deployments',
    `<div class="d-flex flex-wrap justify-content-between align-items-end gap-3 mb-3"><h1 class="h3 mb-0">Deployments</h1><a class="btn btn-primary" href="${root}/templates">New deployment</a></div>
<form method="get" action="${root}/" class="d-flex flex-wrap gap-3 align-items-end mb-3" aria-label="Filters">${select('status', 'Status', STATUS_FILTERS, filters.status)}${select('group', 'Group', groupOptions, filters.group)}${adminBox}
<button class="btn btn-sm btn-outline-secondary">Filter</button></form>
<div class="table-responsive"><table class="table table-hover align-middle"><caption class="visually-hidden">Deployments</caption><thead><tr><th scope="col">Description</th><th scope="col">Template</th><th scope="col">Status</th><th scope="col">Provider</th><th scope="col">Group</th><th scope="col">Created</th><th scope="col">Actions</th></tr></thead>
<tbody>${body || '<tr><td colspan="7">No deployments.</td></tr>'}</tbody></table></div>`,
    { ...frame, section: 'deployments' },
  );
}

/** The API's `2024-03-01T09:56+0000` as `2024-03-01 09:56 UTC`. */
export function humanTime(t: string | undefined): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(t ?? '');
  return m ? `${m[1]} ${m[2]} UTC` : (t ?? '');
}
