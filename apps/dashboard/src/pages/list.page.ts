// The user's deployments, newest first as the API sends them, each linking to its page.
import type { DeploymentSummary } from '../deployments.client';
import { escapeHtml, layout, type PageFrame } from './html';

export function deploymentsPage(frame: PageFrame, deployments: DeploymentSummary[]): string {
  const root = escapeHtml(frame.root);
  const rows = deployments
    .map(
      (d) =>
        `<tr><td><a href="${root}/deployments/${escapeHtml(encodeURIComponent(d.uuid))}"><code>${escapeHtml(d.uuid)}</code></a></td>` +
        `<td>${escapeHtml(d.status)}</td><td>${escapeHtml(d.statusReason)}</td>` +
        `<td>${escapeHtml(d.creationTime)}</td><td>${escapeHtml(d.userGroup)}</td><td>${escapeHtml(d.cloudProviderName)}</td></tr>`,
    )
    .join('\n');
  return layout(
    'baton: my deployments',
    `<h1>My deployments</h1><p><a href="${root}/templates">New deployment from the catalogue</a></p>
<table><caption>Deployments you created</caption><thead><tr><th scope="col">uuid</th><th scope="col">status</th><th scope="col">reason</th><th scope="col">created</th><th scope="col">group</th><th scope="col">provider</th></tr></thead>
<tbody>${rows || '<tr><td colspan="6">No deployments.</td></tr>'}</tbody></table>`,
    frame,
  );
}
