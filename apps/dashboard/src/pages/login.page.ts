// The page of a visitor who is not signed in (or whose login failed).
import { escapeHtml, layout } from './html';

export function loginPage(root: string, message?: string, options: { loginLink: boolean } = { loginLink: true }): string {
  const alert = message ? `<p role="alert">${escapeHtml(message)}</p>` : '';
  const link = options.loginLink ? `<p><a href="${escapeHtml(root)}/login">Log in</a></p>` : '';
  return layout('baton: log in', `<h1>baton</h1>${alert}${link}`, { root });
}
