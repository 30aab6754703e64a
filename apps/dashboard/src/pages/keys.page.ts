// The user's SSH public keys: the list (fingerprint, comment, remove), a form to add one, and a
// button that makes a new pair, whose private key this page shows once.
import type { StoredKey } from '../keys/ssh-key.store';
import { csrfField, escapeHtml, layout, type UserFrame } from './html';

export interface KeysView {
  keys: StoredKey[];
  /** The private key of a pair just made: shown this once. */
  privateKey?: string;
  error?: string;
  pasted?: string;
}

export function keysPage(frame: UserFrame, view: KeysView): string {
  const root = escapeHtml(frame.root);
  const csrf = csrfField(frame.user.csrfToken);
  const rows = view.keys
    .map(
      (k) => `<tr><td><code>${escapeHtml(k.type)}</code></td><td class="font-monospace small">${escapeHtml(k.fingerprint)}</td><td>${escapeHtml(k.comment)}</td>
<td><form method="post" action="${root}/keys/remove">${csrf}<input type="hidden" name="fingerprint" value="${escapeHtml(k.fingerprint)}"><button class="btn btn-sm btn-outline-danger">Remove<span class="visually-hidden"> key ${escapeHtml(k.fingerprint)}</span></button></form></td></tr>`,
    )
    .join('');
  const privateKey = view.privateKey
    ? `<div class="alert alert-warning" role="alert"><h2 class="h5">Your new private key: save it now</h2><p>It is shown this once and kept nowhere. Save it as <code>~/.ssh/id_ed25519_baton</code> (mode 600) and log in with <code>ssh -i ~/.ssh/id_ed25519_baton USER@ADDRESS</code>.</p>
<label class="form-label" for="private-key">Private key</label><textarea class="form-control font-monospace small" id="private-key" rows="8" readonly>${escapeHtml(view.privateKey)}</textarea>
<button type="button" class="btn btn-sm btn-outline-dark mt-2" data-copy="${escapeHtml(view.privateKey)}" hidden>Copy the private key</button></div>`
    : '';
  const error = view.error ? `<div class="alert alert-danger" role="alert" id="error-summary" tabindex="-1">${escapeHtml(view.error)}</div>` : '';
  return layout(
    'baton: SSH keys',
    `<h1 class="h3">SSH keys</h1><p class="text-body-secondary">Deploy forms that ask for an SSH public key start with your first one.</p>${privateKey}${error}
<div class="table-responsive"><table class="table align-middle"><caption class="visually-hidden">Your SSH public keys</caption><thead><tr><th scope="col">Type</th><th scope="col">Fingerprint</th><th scope="col">Comment</th><th scope="col">Actions</th></tr></thead>
<tbody>${rows || '<tr><td colspan="4">No keys yet.</td></tr>'}</tbody></table></div>
<div class="row g-4"><div class="col-md-7"><h2 class="h5">Add a public key</h2><form method="post" action="${root}/keys">${csrf}
<label class="form-label" for="f-public_key">Public key</label><textarea class="form-control font-monospace" id="f-public_key" name="public_key" rows="3" aria-describedby="h-public_key"${view.error ? ' aria-invalid="true"' : ''} required>${escapeHtml(view.pasted ?? '')}</textarea>
<div class="form-text" id="h-public_key">The one line of your .pub file, such as ssh-ed25519 AAAA… you@host.</div><button class="btn btn-primary mt-2">Add the key</button></form></div>
<div class="col-md-5"><h2 class="h5">No key yet?</h2><p>Make a new Ed25519 pair here: its public key is added to your list, its private key shown once.</p>
<form method="post" action="${root}/keys/generate">${csrf}<button class="btn btn-outline-primary">Generate a key pair</button></form></div></div>`,
    { ...frame, section: 'keys' },
  );
}
