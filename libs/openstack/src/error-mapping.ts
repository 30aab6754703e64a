// Turns a non-2xx OpenStack answer into an OpenStackHttpError. Each service formats its error body
// differently; all five are read here so callers see one `providerMessage`:
//   Nova/Cinder: {"itemNotFound": {"code": 404, "message": "..."}} (one key named after the fault)
//   Neutron:     {"NeutronError": {"type": "OverQuota", "message": "...", "detail": ""}}
//   Keystone:    {"error": {"code": 401, "title": "Unauthorized", "message": "..."}}
//   Glance:      text/html or text/plain, e.g. "404 Not Found\n\nNo image found with ID x\n\n"
import { type HttpFailure, type OpenStackErrorCode, OpenStackHttpError } from './errors';

const MAX_MESSAGE = 500;

/** Reads the provider's message from an error body of any of the OpenStack services. */
export function extractProviderMessage(body: string, contentType: string | undefined): string {
  const text = body.trim();
  if (text === '') return '(empty body)';
  if (contentType?.includes('json') || text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      const message = messageFromJson(parsed);
      if (message) return clip(message);
    } catch {
      // Not JSON after all: fall through to the text form.
    }
  }
  return clip(textMessage(text));
}

function messageFromJson(parsed: unknown): string | undefined {
  if (!isRecord(parsed)) return undefined;
  if (typeof parsed['message'] === 'string') return parsed['message'];
  if (typeof parsed['faultstring'] === 'string') return parsed['faultstring'];
  if (typeof parsed['title'] === 'string' && typeof parsed['description'] === 'string') {
    return `${parsed['title']}: ${parsed['description']}`;
  }
  // The Nova, Cinder, Neutron and Keystone forms wrap the message in a single named member.
  for (const value of Object.values(parsed)) {
    if (isRecord(value) && typeof value['message'] === 'string') {
      const detail = typeof value['detail'] === 'string' && value['detail'] !== '' ? ` ${value['detail']}` : '';
      return value['message'] + detail;
    }
  }
  return undefined;
}

// Glance and the paste/webob layers answer "404 Not Found\n\nThe resource could not be found.\n\n"
// or small HTML pages; keep the informative lines.
function textMessage(text: string): string {
  const stripped = text.replace(/<[^>]+>/g, ' ');
  const lines = stripped
    .split(/\n+/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^\d{3} [A-Za-z ]+$/.test(line));
  return lines.length > 0 ? lines.join(' ') : stripped.replace(/\s+/g, ' ').trim();
}

function clip(message: string): string {
  // Glance puts webob's HTML line breaks even into its JSON messages ("...<br /><br />\n\n\n").
  const oneLine = message.replace(/<br\s*\/?>/gi, ' ').replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_MESSAGE ? `${oneLine.slice(0, MAX_MESSAGE)}…` : oneLine;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const QUOTA = /quota exceeded|overquota|limitexceeded|maximum number of .* (allowed|exceeded)|exceeds .*quota/i;

/** Picks the error code for a status and provider message (quota errors come as 403, 409 or 413). */
export function codeForStatus(status: number, providerMessage: string): OpenStackErrorCode {
  if ((status === 403 || status === 409 || status === 413) && QUOTA.test(providerMessage)) return 'quota_exceeded';
  if (status === 400 || status === 422) return 'bad_request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'quota_exceeded';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'http_error';
}

/** Builds the error for a failed answer. */
export function toHttpError(failure: Omit<HttpFailure, 'providerMessage'>, body: string, contentType?: string): OpenStackHttpError {
  const providerMessage = extractProviderMessage(body, contentType);
  return new OpenStackHttpError(codeForStatus(failure.status, providerMessage), { ...failure, providerMessage });
}

/** Parses Retry-After (seconds or HTTP date) into seconds, if present and sane. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}
