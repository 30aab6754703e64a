// The SSH keys page: add a pasted public key, generate a pair (the private key shown once, in the
// answer to that POST, never stored), remove a key. Every change is a CSRF-checked POST.
import type { Express, Request, Response } from 'express';
import type { SshKeyStore } from '../keys/ssh-key.store';
import { generateKeyPair, parsePublicKey } from '../keys/ssh-keys';
import { keysPage } from '../pages/keys.page';
import { frameOf, type DashboardContext } from './dashboard.context';

export function keyRoutes(app: Express, ctx: DashboardContext, store: SshKeyStore): void {
  app.get('/keys', (req: Request, res: Response) => {
    const session = ctx.sessions.requirePage(req, res);
    if (session) res.type('html').send(keysPage(frameOf(ctx, session), { keys: store.list(session.userKey) }));
  });

  app.post('/keys', (req: Request, res: Response) => {
    const session = ctx.sessions.forPost(req, res);
    if (!session) return;
    const text = String((req.body as Record<string, unknown>).public_key ?? '');
    const key = parsePublicKey(text);
    const error = 'error' in key ? key.error : store.add(session.userKey, key) ? undefined : 'You have 20 keys already: remove one first.';
    if (error) {
      // A pasted private key is not shown back.
      res.status(400).type('html').send(keysPage(frameOf(ctx, session), { keys: store.list(session.userKey), error, ...(text.includes('PRIVATE KEY') ? {} : { pasted: text }) }));
      return;
    }
    res.redirect(303, `${ctx.base}/keys`);
  });

  app.post('/keys/generate', (req: Request, res: Response) => {
    const session = ctx.sessions.forPost(req, res);
    if (!session) return;
    const pair = generateKeyPair(`${session.name.replace(/\s+/g, '_').slice(0, 40)}@baton`);
    if (!store.add(session.userKey, pair.publicKey)) {
      res.status(400).type('html').send(keysPage(frameOf(ctx, session), { keys: store.list(session.userKey), error: 'You have 20 keys already: remove one first.' }));
      return;
    }
    res.type('html').send(keysPage(frameOf(ctx, session), { keys: store.list(session.userKey), privateKey: pair.privateKeyPem }));
  });

  app.post('/keys/remove', (req: Request, res: Response) => {
    const session = ctx.sessions.forPost(req, res);
    if (!session) return;
    store.remove(session.userKey, String((req.body as Record<string, unknown>).fingerprint ?? ''));
    res.redirect(303, `${ctx.base}/keys`);
  });
}
