import { describe, expect, it } from 'vitest';
import { codeForStatus, extractProviderMessage, parseRetryAfter, toHttpError } from './error-mapping';

describe('extractProviderMessage', () => {
  it('reads Nova and Cinder fault bodies', () => {
    const body = JSON.stringify({ itemNotFound: { code: 404, message: 'Instance 1449 could not be found.' } });
    expect(extractProviderMessage(body, 'application/json; charset=UTF-8')).toBe('Instance 1449 could not be found.');
  });

  it('reads Neutron bodies, with the detail when there is one', () => {
    const body = JSON.stringify({ NeutronError: { type: 'OverQuota', message: "Quota exceeded for resources: ['floatingip'].", detail: '' } });
    expect(extractProviderMessage(body, 'application/json')).toBe("Quota exceeded for resources: ['floatingip'].");
    const detailed = JSON.stringify({ NeutronError: { type: 'X', message: 'Bad.', detail: 'More.' } });
    expect(extractProviderMessage(detailed, 'application/json')).toBe('Bad. More.');
  });

  it('reads Keystone bodies', () => {
    const body = JSON.stringify({ error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } });
    expect(extractProviderMessage(body, 'application/json')).toBe('The request you have made requires authentication.');
  });

  it('reads Glance HTML and plain-text pages', () => {
    const html = '<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  No image found with ID abc<br /><br />\n\n\n\n </body>\n</html>';
    expect(extractProviderMessage(html, 'text/html; charset=UTF-8')).toBe('No image found with ID abc');
    expect(extractProviderMessage('404 Not Found\n\nThe resource could not be found.\n\n   ', 'text/plain')).toBe('The resource could not be found.');
  });

  it('reads Glance JSON errors, dropping webob line breaks (as captured from real Glance 25)', () => {
    const body = JSON.stringify({ message: 'No image found with ID abc<br /><br />\n\n\n', code: '404 Not Found', title: 'Not Found' });
    expect(extractProviderMessage(body, 'application/json')).toBe('No image found with ID abc');
  });

  it('says when the body is empty and clips long ones', () => {
    expect(extractProviderMessage('', undefined)).toBe('(empty body)');
    expect(extractProviderMessage('x'.repeat(2_000), 'text/plain').length).toBeLessThanOrEqual(501);
  });
});

describe('codeForStatus', () => {
  it('maps statuses, and recognises quota errors whatever their status', () => {
    expect(codeForStatus(400, 'Invalid key_name provided.')).toBe('bad_request');
    expect(codeForStatus(401, '')).toBe('unauthorized');
    expect(codeForStatus(403, 'Policy does not allow')).toBe('forbidden');
    expect(codeForStatus(403, 'Quota exceeded for instances: Requested 1, but already used 10 of 10 instances')).toBe('quota_exceeded');
    expect(codeForStatus(409, "Quota exceeded for resources: ['floatingip'].")).toBe('quota_exceeded');
    expect(codeForStatus(409, 'Router x still has ports')).toBe('conflict');
    expect(codeForStatus(404, '')).toBe('not_found');
    expect(codeForStatus(429, '')).toBe('rate_limited');
    expect(codeForStatus(503, '')).toBe('server_error');
    expect(codeForStatus(418, '')).toBe('http_error');
  });
});

describe('toHttpError', () => {
  it('keeps the status, provider message and request id, and is transient only for 5xx/429', () => {
    const e = toHttpError({ status: 500, method: 'POST', service: 'compute', path: '/servers', requestId: 'req-1' }, JSON.stringify({ computeFault: { code: 500, message: 'Unexpected API Error.' } }), 'application/json');
    expect(e).toMatchObject({ status: 500, providerMessage: 'Unexpected API Error.', requestId: 'req-1', code: 'server_error', transient: true });
    expect(e.message).toBe('compute POST /servers failed with HTTP 500: Unexpected API Error. (request req-1)');
    expect(toHttpError({ status: 409, method: 'DELETE', service: 'network', path: '/routers/x' }, '{}').transient).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
