// The catalogue: every ready template with its description and metadata, and a link to its
// deploy form.
import type { CatalogueTemplate } from '../catalogue/template-catalogue';
import { escapeHtml, layout, type PageFrame } from './html';

const SHOWN_METADATA = ['tag', 'template_author', 'template_version'];

export function cataloguePage(frame: PageFrame, templates: CatalogueTemplate[]): string {
  const root = escapeHtml(frame.root);
  const items = templates
    .map((t) => {
      const meta = SHOWN_METADATA.filter((k) => t.metadata[k] !== undefined)
        .map((k) => `<dt>${escapeHtml(k.replace(/_/g, ' '))}</dt><dd>${escapeHtml(t.metadata[k])}</dd>`)
        .join('');
      return `<li><h2 id="t-${escapeHtml(t.key)}">${escapeHtml(t.title)}</h2><p>${escapeHtml(t.description)}</p>${meta ? `<dl>${meta}</dl>` : ''}
<p><a href="${root}/templates/${escapeHtml(encodeURIComponent(t.key))}" aria-describedby="t-${escapeHtml(t.key)}">Deploy ${escapeHtml(t.title)}</a>
(${t.fields.length} input${t.fields.length === 1 ? '' : 's'}, file <code>${escapeHtml(t.file)}</code>)</p></li>`;
    })
    .join('\n');
  return layout('baton: catalogue', `<h1>Catalogue</h1><ul>${items || '<li>No templates.</li>'}</ul>`, frame);
}
