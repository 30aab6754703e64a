// How our client authenticates at the token endpoint (RFC 6749 §2.3.1): HTTP Basic with the id
// and secret form-encoded first, or both as form fields. The reference's orchestrator does
// either; an issuer usually accepts only the method the client was registered with.
import type { ClientAuthMethod } from '@lib/config';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string | null;
  authMethod?: ClientAuthMethod;
}

/** Adds the client authentication to a token request's headers and form. */
export function authenticateClient(client: ClientCredentials, headers: Record<string, string>, form: URLSearchParams): void {
  if (client.authMethod === 'client_secret_post') {
    form.set('client_id', client.clientId);
    if (client.clientSecret !== null) form.set('client_secret', client.clientSecret);
    return;
  }
  const id = encodeURIComponent(client.clientId);
  const secret = encodeURIComponent(client.clientSecret ?? '');
  headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}
