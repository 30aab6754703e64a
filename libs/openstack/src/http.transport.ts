// One HTTP exchange over node:http(s) with keep-alive. Built-in and cheaper in CPU per call than
// fetch (the bench's budget is < 1 ms of client CPU per call), and its socket errors carry errno
// codes (ECONNRESET...) that the retry policy needs. Every call has a time-out and an AbortSignal.
import http from 'node:http';
import https from 'node:https';
import { OpenStackAbortedError, OpenStackConnectionError, OpenStackTimeoutError } from './errors';

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  timeoutMs: number;
  /** For error messages: the service type and path (never the query or headers). */
  label: { service: string; path: string };
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Sends one request; answers any status, throws only OpenStack*Error for transport failures. */
export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): void;
}

/** The default transport: node:http(s) with pooled keep-alive sockets. */
export class NodeHttpTransport implements HttpTransport {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });

  send(request: HttpRequest): Promise<HttpResponse> {
    const what = `${request.label.service} ${request.method} ${request.label.path}`;
    if (request.signal?.aborted) return Promise.reject(new OpenStackAbortedError(what, request.signal.reason));
    return new Promise<HttpResponse>((resolve, reject) => {
      const secure = request.url.protocol === 'https:';
      const headers: Record<string, string | number> = { ...request.headers };
      if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
      let settled = false;
      const finish = (error: Error | undefined, response?: HttpResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(response!);
      };
      const req = (secure ? https : http).request(request.url, {
        method: request.method,
        headers,
        agent: secure ? this.httpsAgent : this.httpAgent,
      });
      const onAbort = (): void => {
        finish(new OpenStackAbortedError(what, request.signal?.reason));
        req.destroy();
      };
      const timer = setTimeout(() => {
        finish(new OpenStackTimeoutError(what, request.timeoutMs));
        req.destroy();
      }, request.timeoutMs);
      request.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error: NodeJS.ErrnoException) => {
        finish(new OpenStackConnectionError(request.label.service, request.method, request.label.path, error.code ?? error.message, error));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error: NodeJS.ErrnoException) => {
          finish(new OpenStackConnectionError(request.label.service, request.method, request.label.path, error.code ?? error.message, error));
        });
        res.on('aborted', () => {
          finish(new OpenStackConnectionError(request.label.service, request.method, request.label.path, 'ECONNRESET'));
        });
        res.on('end', () => {
          finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(request.body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
