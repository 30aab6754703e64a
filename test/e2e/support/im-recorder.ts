// A recording reverse proxy for the IM clients' development check: every request a client sends
// (method, path, headers in the order it sent them, body) is kept, forwarded to baton unchanged,
// and its status noted, so a fixture can hold exactly what the real client sent.
import { createServer, request as httpRequest, type Server } from 'node:http';

export interface RecordedRequest {
  /** What the client did (the command being run), for the reader of the fixture. */
  step: string;
  method: string;
  /** Path and query as sent. */
  path: string;
  /** Header name/value pairs in the order sent (Host and Content-Length left out). */
  headers: Array<[string, string]>;
  body: string;
  /** baton's answer when recorded (the replay asserts on its own). */
  status: number;
}

export interface Recorder {
  url: string;
  requests: RecordedRequest[];
  /** The label the next requests are recorded under. */
  step(label: string): void;
  close(): Promise<void>;
}

export async function startRecorder(target: string): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  let label = '';
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers: Array<[string, string]> = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i];
        if (!['host', 'content-length', 'connection', 'accept-encoding'].includes(name.toLowerCase())) headers.push([name, req.rawHeaders[i + 1]]);
      }
      const entry: RecordedRequest = { step: label, method: req.method ?? 'GET', path: req.url ?? '/', headers, body: body.toString('utf8'), status: 0 };
      requests.push(entry);
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        entry.status = answer.statusCode ?? 0;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', (e) => res.writeHead(502).end(String(e)));
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    step: (l) => (label = l),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
