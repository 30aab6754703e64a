// The IM API's `Authorization` header (grycap/im IM/rest/routers `get_auth_header`, IM/auth.py
// `read_auth_data`): `Bearer <token>`, or credential lines `key = value; ...` joined by the two
// characters `\n` (a value's own newlines travel as `\\n`). baton reads two types: the
// `InfrastructureManager` line, whose token is the caller's IAM token, and `OpenStack` lines, whose
// host picks the provider. A value is data: `file(...)` is not read (IM would read a server file).

/** One credential line, keys as written (`id`, `type`, `host`, `username`, `password`, `token`...). */
export type CredentialLine = Record<string, string>;

export interface ImAuthorization {
  /** `Bearer <token>` for the orchestrator's authenticator, or undefined when no token was given. */
  bearer?: string;
  /** The OpenStack lines, in order (never echoed: they may hold passwords). */
  clouds: CredentialLine[];
}

/** A header baton cannot use; `status` is 400 (malformed, unsupported type) or 401 (no usable identity). */
export class ImAuthorizationError extends Error {
  constructor(
    readonly status: 400 | 401,
    message: string,
  ) {
    super(message);
    this.name = 'ImAuthorizationError';
  }
}

const LINE_SEPARATOR = '\\n';
const VALUE_NEW_LINE = '\\\\n';
const SUPPORTED = ['InfrastructureManager', 'OpenStack'];

/** IM's `split_line`: `;` (or `=`) separates, except inside single or double quotes. */
function splitLine(line: string, separator: string, keepQuotes: boolean): string[] {
  const tokens: string[] = [];
  let token = '';
  let single = false;
  let double = false;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"' && !single) {
      quoted = true;
      double = !double;
      if (keepQuotes) token += ch;
    } else if (ch === "'" && !double) {
      quoted = true;
      single = !single;
      if (keepQuotes) token += ch;
    } else if (ch === separator && !single && !double) {
      tokens.push(token);
      token = '';
    } else token += ch;
  }
  if (token.trim() !== '' || quoted) tokens.push(token);
  return tokens;
}

/** One line as IM reads it: a pair without exactly one `=` ends the line. */
export function parseCredentialLine(line: string): CredentialLine {
  const out: CredentialLine = {};
  for (const token of splitLine(line, ';', true)) {
    const kv = splitLine(token, '=', false);
    if (kv.length !== 2) break;
    out[kv[0].trim()] = kv[1].trim().replace(/\\n/g, '\n');
  }
  return out;
}

/** Parses the header; throws ImAuthorizationError naming what is wrong (never a secret value). */
export function parseImAuthorization(header: string | undefined): ImAuthorization {
  if (header === undefined || header.trim() === '') throw new ImAuthorizationError(401, 'No authentication data provided');
  const trimmed = header.trim();
  if (/^bearer\s+/i.test(trimmed)) return { bearer: trimmed, clouds: [] };
  if (/^basic\s+/i.test(trimmed)) {
    throw new ImAuthorizationError(401, 'Basic authentication is not supported: send the IAM access token, as "Bearer <token>" or a line "type = InfrastructureManager; token = <token>"');
  }
  const lines = trimmed
    .split(VALUE_NEW_LINE)
    .join('\u0000')
    .split(LINE_SEPARATOR)
    .map((l) => l.split('\u0000').join('\\n').trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  let bearer: string | undefined;
  const clouds: CredentialLine[] = [];
  lines.forEach((text, i) => {
    const line = parseCredentialLine(text);
    const where = `Authorization line ${i + 1}${line.id ? ` (id ${line.id})` : ''}`;
    if (!line.type) throw new ImAuthorizationError(400, `${where} has no type`);
    if (!SUPPORTED.includes(line.type)) {
      throw new ImAuthorizationError(400, `${where}: credentials of type ${line.type} are not supported; baton deploys on OpenStack clouds only (types InfrastructureManager and OpenStack)`);
    }
    if (line.type === 'InfrastructureManager') {
      if (!line.token) throw new ImAuthorizationError(401, `${where}: the InfrastructureManager line needs token = <IAM access token> (username and password are not supported)`);
      bearer = `Bearer ${line.token}`;
      return;
    }
    if (!line.host) throw new ImAuthorizationError(400, `${where}: an OpenStack line needs host`);
    clouds.push(line);
  });
  return { ...(bearer ? { bearer } : {}), clouds };
}
