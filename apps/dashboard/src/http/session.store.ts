// Server-side sessions: the browser holds only a random 256-bit id in an HttpOnly cookie; the
// access token stays in this process's memory. Bounded (oldest evicted) and expiring with the
// access token, so a restart or an expiry simply asks for a new login.
import { randomBytes } from 'node:crypto';

export interface DashboardSession {
  name: string;
  /** null for the local user (auth off): the API is called without a token. */
  accessToken: string | null;
  local: boolean;
  /** Every form of the session carries it and every POST must return it (http/csrf.ts). */
  csrfToken: string;
  expiresAt: number;
  /** `groups` and `wlcg.groups` of the ID token (slashes dropped), as the API reads them. */
  groups: string[];
  /** The group the pages act for: deployments are listed and created in it (`userGroup`). */
  activeGroup: string | null;
  /** In an admin group (BATON_OIDC_ADMIN_GROUPS): may list every deployment. */
  admin: boolean;
  /** The subject@issuer key of the user's SSH public keys. */
  userKey: string;
}

/** A fresh random token (256 bits, base64url). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export class SessionStore<T extends { expiresAt: number }> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly capacity: number) {}

  create(value: T): string {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const id = randomToken();
    this.entries.set(id, value);
    return id;
  }

  get(id: string | undefined): T | undefined {
    if (id === undefined) return undefined;
    const value = this.entries.get(id);
    if (value && value.expiresAt <= Date.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return value;
  }

  /** Returns and forgets (one-time values such as a pending login). */
  take(id: string | undefined): T | undefined {
    const value = this.get(id);
    if (id !== undefined) this.entries.delete(id);
    return value;
  }

  delete(id: string | undefined): void {
    if (id !== undefined) this.entries.delete(id);
  }
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure on https. */
export function cookie(name: string, value: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${options.maxAgeSeconds}`, ...(options.secure ? ['Secure'] : [])].join('; ');
}
