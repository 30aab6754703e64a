// What every page shares: escaping, the frame (title, navigation, who is signed in) and the
// CSRF field. Every value from a template, the API or the user goes through escapeHtml, in text
// and in (always double-quoted) attributes alike.
import { CSRF_FIELD } from '../http/csrf';

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Where the page is and for whom. `root` is the path prefix of every link ('' at the host root). */
export interface PageFrame {
  root: string;
  user?: { name: string; local: boolean; csrfToken: string };
  /** A meta refresh, for pages that follow work in progress. */
  refreshSeconds?: number;
}

const STYLE = `body{font-family:sans-serif;margin:2rem;max-width:70rem;line-height:1.4}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
nav{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;border-bottom:1px solid #ccc;padding-bottom:.5rem}
nav form{margin:0}.field{margin:.8rem 0}.field label{display:block;font-weight:bold}.help{display:block;color:#555}
.error{color:#a00000}.alert{border:2px solid #a00000;padding:.5rem 1rem}pre{background:#f4f4f4;padding:.5rem;overflow:auto;max-height:30rem}
.button-row{display:flex;gap:1rem;align-items:center}`;

export function layout(title: string, body: string, frame: PageFrame): string {
  const refresh = frame.refreshSeconds ? `<meta http-equiv="refresh" content="${frame.refreshSeconds}">` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${refresh}
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${nav(frame)}<main>${body}</main></body></html>`;
}

function nav(frame: PageFrame): string {
  if (!frame.user) return '';
  const logout = frame.user.local
    ? ''
    : `<form method="post" action="${escapeHtml(frame.root)}/logout">${csrfField(frame.user.csrfToken)}<button>Log out</button></form>`;
  return `<nav aria-label="Main"><a href="${escapeHtml(frame.root)}/">My deployments</a><a href="${escapeHtml(frame.root)}/templates">Catalogue</a>
<span>Signed in as <strong>${escapeHtml(frame.user.name)}</strong></span>${logout}</nav>`;
}

export function csrfField(token: string): string {
  return `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(token)}">`;
}

/** A page that only says something (an error, a refusal), with a way back. */
export function messagePage(frame: PageFrame, title: string, message: string): string {
  return layout(`baton: ${title}`, `<h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(message)}</p><p><a href="${escapeHtml(frame.root)}/">Back to my deployments</a></p>`, frame);
}
