// What every page shares: escaping, the frame (title, navigation, who is signed in, the active
// group) and the CSRF field. Every value from a template, the API or the user goes through
// escapeHtml, in text and in (always double-quoted) attributes alike. Styles are Bootstrap's and
// ours (assets/), both served by the dashboard itself; the one script only adds live parts.
import { CSRF_FIELD } from '../http/csrf';
import { ASSET_PATH } from '../http/assets.routes';

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface FrameUser {
  name: string;
  local: boolean;
  csrfToken: string;
  /** The user's groups (from the ID token) and the one the pages act for (becomes `userGroup`). */
  groups: string[];
  activeGroup: string | null;
  admin: boolean;
}

/** Where the page is and for whom. `root` is the path prefix of every link ('' at the host root). */
export interface PageFrame {
  root: string;
  user?: FrameUser;
  /** Which navigation entry is current. */
  section?: 'deployments' | 'catalogue' | 'keys';
}

export type UserFrame = PageFrame & { user: FrameUser };

export function layout(title: string, body: string, frame: PageFrame): string {
  const assets = `${escapeHtml(frame.root)}${ASSET_PATH}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="${assets}/bootstrap.min.css"><link rel="stylesheet" href="${assets}/dashboard.css">
<script src="${assets}/dashboard.js" defer></script></head>
<body><a class="visually-hidden-focusable skip-link" href="#main">Skip to main content</a>${nav(frame)}
<main id="main" tabindex="-1" class="container-lg py-4">${body}</main></body></html>`;
}

function nav(frame: PageFrame): string {
  const root = escapeHtml(frame.root);
  const brand = `<a class="navbar-brand fw-semibold" href="${root}/">baton</a>`;
  if (!frame.user) return `<header class="navbar navbar-dark bg-primary-subtle-dark"><div class="container-lg">${brand}</div></header>`;
  const user = frame.user;
  const link = (section: PageFrame['section'], href: string, text: string): string =>
    `<li class="nav-item"><a class="nav-link${frame.section === section ? ' active" aria-current="page' : ''}" href="${root}${href}">${text}</a></li>`;
  const logout = user.local
    ? ''
    : `<form method="post" action="${root}/logout" class="d-inline">${csrfField(user.csrfToken)}<button class="btn btn-sm btn-outline-light">Log out</button></form>`;
  return `<header class="navbar navbar-expand navbar-dark bg-primary-subtle-dark"><div class="container-lg flex-wrap gap-2">${brand}
<nav aria-label="Main"><ul class="navbar-nav">${link('deployments', '/', 'Deployments')}${link('catalogue', '/templates', 'Catalogue')}${link('keys', '/keys', 'SSH keys')}</ul></nav>
<div class="ms-auto d-flex align-items-center gap-2 flex-wrap">${groupSwitcher(frame.root, user)}
<span class="navbar-text text-light">Signed in as <strong>${escapeHtml(user.name)}</strong>${user.admin ? ' <span class="badge text-bg-warning">admin</span>' : ''}</span>${logout}</div></div></header>`;
}

/** The active-group switcher: a form, so it works without script (the script submits on change). */
function groupSwitcher(root: string, user: FrameUser): string {
  if (user.groups.length === 0) return '';
  const options = user.groups.map((g) => `<option${g === user.activeGroup ? ' selected' : ''}>${escapeHtml(g)}</option>`).join('');
  return `<form method="post" action="${escapeHtml(root)}/group" class="d-flex align-items-center gap-1" data-autosubmit>${csrfField(user.csrfToken)}
<label for="active-group" class="text-light small">Group</label><select id="active-group" name="group" class="form-select form-select-sm w-auto">${options}</select>
<button class="btn btn-sm btn-outline-light js-hide">Switch</button></form>`;
}

export function csrfField(token: string): string {
  return `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(token)}">`;
}

/** A page that only says something (an error, a refusal), with a way back. */
export function messagePage(frame: PageFrame, title: string, message: string): string {
  return layout(
    `baton: ${title}`,
    `<h1 class="h3">${escapeHtml(title)}</h1><div class="alert alert-danger" role="alert">${escapeHtml(message)}</div><p><a href="${escapeHtml(frame.root)}/">Back to the deployments</a></p>`,
    frame,
  );
}

/** A status as a badge: colour and words (a failure never looks like a success). */
export function statusBadge(status: string): string {
  return `<span class="badge status-badge ${statusClass(status)}" data-status="${escapeHtml(status)}">${escapeHtml(statusWords(status))}</span>`;
}

export function statusClass(status: string): string {
  if (status.endsWith('_FAILED')) return 'text-bg-danger';
  if (status.endsWith('_IN_PROGRESS')) return 'text-bg-info';
  if (status === 'DELETE_COMPLETE') return 'text-bg-secondary';
  if (status.endsWith('_COMPLETE')) return 'text-bg-success';
  return 'text-bg-light';
}

/** CREATE_FAILED → "Create failed"; the code stays in the badge's data-status and title. */
export function statusWords(status: string): string {
  const words = status.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
