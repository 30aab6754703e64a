// DNS rebinding guard for the no-auth mode (issue 8, finding 9). Without authentication the one
// local user is whoever reaches the port, and a web page can reach a developer's loopback baton
// by making its own name resolve to 127.0.0.1: the browser then sends that name as `Host`.
// So, with auth off, only loopback names and the service's own names are served; anything else
// answers 421 Misdirected Request before any route runs. With auth on, a rebound page has no
// token, and the check is off.
import { isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { requestId } from './request-id.middleware';

/**
 * The host names (no port, lower case, IPv6 without brackets) a no-auth service answers to:
 * `localhost`, the listen host and the public URL's host; loopback addresses and `*.localhost`
 * are always accepted (they cannot be rebound).
 */
export function servedHostNames(listenHost: string, publicUrl?: string | null): string[] {
  const names = new Set(['localhost', listenHost.toLowerCase()]);
  if (publicUrl) names.add(new URL(publicUrl).hostname.toLowerCase().replace(/^\[|\]$/g, ''));
  return [...names];
}

/** The host name of a `Host` header value (`name:port`, `[v6]:port`), lower case, no dot at the end. */
function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  const name = h.startsWith('[') ? h.slice(1, h.indexOf(']')) : h.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

function alwaysLoopback(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost') || name === '::1') return true;
  const v4 = name.startsWith('::ffff:') ? name.slice(7) : name;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

export function hostCheckMiddleware(names: readonly string[]) {
  const allowed = new Set(names);
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.host ?? '';
    const name = hostName(header);
    if (alwaysLoopback(name) || allowed.has(name)) return next();
    res.status(421).json({
      code: 421,
      title: 'Misdirected Request',
      message:
        `Host ${JSON.stringify(header.slice(0, 100))} is not served: with authentication off, baton answers only to loopback names ` +
        `(localhost, 127.0.0.1, [::1]) and its own (${[...allowed].join(', ')}), so a web page cannot reach it by DNS rebinding. ` +
        'Set BATON_PUBLIC_URL to serve another name, or BATON_OIDC_ISSUERS to turn authentication on.',
      correlationId: requestId(req),
    });
  };
}
