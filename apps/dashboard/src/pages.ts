// The dashboard's HTML: two small pages, every value escaped.
import type { DeploymentSummary } from './deployments.client';

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}</style>
</head><body>${body}</body></html>`;
}

export function loginPage(message?: string, options: { loginLink: boolean } = { loginLink: true }): string {
  const alert = message ? `<p role="alert">${escapeHtml(message)}</p>` : '';
  return layout('baton: log in', `<h1>baton</h1>${alert}${options.loginLink ? '<p><a href="login">Log in</a></p>' : ''}`);
}

export function deploymentsPage(user: { name: string; local: boolean }, deployments: DeploymentSummary[]): string {
  const rows = deployments
    .map(
      (d) =>
        `<tr><td><code>${escapeHtml(d.uuid)}</code></td><td>${escapeHtml(d.status)}</td><td>${escapeHtml(d.statusReason)}</td>` +
        `<td>${escapeHtml(d.creationTime)}</td><td>${escapeHtml(d.userGroup)}</td><td>${escapeHtml(d.cloudProviderName)}</td></tr>`,
    )
    .join('\n');
  const logout = user.local ? '' : '<form method="post" action="logout"><button>Log out</button></form>';
  return layout(
    'baton: my deployments',
    `<h1>My deployments</h1><p>Signed in as <strong>${escapeHtml(user.name)}</strong></p>${logout}
<table><thead><tr><th>uuid</th><th>status</th><th>reason</th><th>created</th><th>group</th><th>provider</th></tr></thead>
<tbody>${rows || '<tr><td colspan="6">No deployments.</td></tr>'}</tbody></table>`,
  );
}
