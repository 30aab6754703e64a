// The catalogue: a card per template the active group may see (icon, name, description, tags),
// each a link to its deploy form, and a search box (the server filters with ?q=, the script as
// one types).
import type { CatalogueTemplate } from '../catalogue/template-catalogue';
import { escapeHtml, layout, type PageFrame } from './html';

export function cataloguePage(frame: PageFrame, templates: CatalogueTemplate[], query: string): string {
  const q = query.trim().toLowerCase();
  const shown = templates.filter((t) => q === '' || searchText(t).includes(q));
  const cards = shown.map((t) => card(frame.root, t)).join('\n');
  return layout(
    'baton: catalogue',
    `<div class="d-flex flex-wrap align-items-end justify-content-between gap-3 mb-3"><div><h1 class="h3 mb-0">Catalogue</h1>
<p class="text-body-secondary mb-0">Pick a service to deploy. <span id="card-count" aria-live="polite">${shown.length} ${shown.length === 1 ? 'template' : 'templates'}</span></p></div>
<form method="get" action="${escapeHtml(frame.root)}/templates" role="search" class="d-flex gap-2"><label for="search" class="visually-hidden">Search the catalogue</label>
<input type="search" id="search" name="q" class="form-control" placeholder="Search" value="${escapeHtml(query)}" data-card-search><button class="btn btn-outline-primary">Search</button></form></div>
<div class="row row-cols-1 row-cols-sm-2 row-cols-lg-3 g-3">${cards || '<p>No template matches.</p>'}</div>`,
    { ...frame, section: 'catalogue' },
  );
}

function searchText(t: CatalogueTemplate): string {
  return [t.title, t.description, t.key, ...t.tags].join(' ').toLowerCase();
}

function card(root: string, t: CatalogueTemplate): string {
  const href = `${escapeHtml(root)}/templates/${escapeHtml(encodeURIComponent(t.key))}`;
  const icon = t.icon
    ? `<span class="template-icon bg-white border"><img src="${href}/icon" alt=""></span>`
    : `<span class="template-icon icon-c${colourOf(t.key)}" aria-hidden="true">${escapeHtml(t.title.charAt(0).toUpperCase())}</span>`;
  const tags = t.tags.map((tag) => `<span class="badge rounded-pill text-bg-light border">${escapeHtml(tag)}</span>`).join(' ');
  const inputs = `${t.fields.length} input${t.fields.length === 1 ? '' : 's'}`;
  return `<div class="col" data-card-text="${escapeHtml(searchText(t))}"><article class="card card-template shadow-sm"><div class="card-body d-flex gap-3">${icon}
<div class="flex-grow-1"><h2 class="h5 card-title"><a class="stretched-link text-decoration-none" href="${href}">${escapeHtml(t.title)}</a></h2>
<p class="card-text small">${escapeHtml(t.description)}</p><p class="mb-0 small">${tags} <span class="text-body-secondary">${inputs}</span></p></div></div></article></div>`;
}

/** A steady colour (dashboard.css .icon-c0 to .icon-c6) per template for its initial, the icon when it has none. */
function colourOf(key: string): number {
  let h = 0;
  for (const c of key) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % 7;
}
