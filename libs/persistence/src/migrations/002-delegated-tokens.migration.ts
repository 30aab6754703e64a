// Schema version 2: refresh tokens obtained by RFC 8693 token exchange (libs/auth
// DelegatedTokensService), so a worker in any process can get fresh access tokens for a
// deployment's owner. `sealed` holds only SecretBox output (AES-256-GCM), never a plain token.
export const migration002 = {
  version: 2,
  name: 'delegated-tokens',
  sql: `
CREATE TABLE delegated_tokens (
  token_key text PRIMARY KEY,
  sealed text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`,
};
