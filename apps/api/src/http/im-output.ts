// How the IM API answers (grycap/im IM/rest/routers `format_output`, `return_error`): the first
// Accept type it can serve wins; JSON wraps the value in its field (`{"state": ...}`, lists as
// `{"uri-list": [{"uri": ...}]}`), text joins lists with newlines, and errors are plain text,
// JSON `{message, code}` or an HTML page, by the same Accept header.
import { HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';

/** IM's `get_media_type`: the types of a header, parameters dropped, YAML aliases folded. */
export function mediaTypes(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((t) => t.split(';')[0].trim().toLowerCase())
    .filter((t) => t !== '')
    .map((t) => (['text/yaml', 'text/x-yaml', 'application/yaml'].includes(t) ? 'text/yaml' : t));
}

export interface ImOutput {
  /** The type answered when the client accepts anything (`text/plain`, `text/uri-list`, `application/json`). */
  defaultType?: string;
  /** JSON wraps the value as `{[field]: value}`. */
  field?: string;
  /** With a list value, JSON items become `{[listField]: item}`. */
  listField?: string;
  /** The JSON form when it differs from the text form (RADL text vs IM's simple RADL JSON). */
  json?: unknown;
  headers?: Record<string, string>;
}

function wrap(value: unknown, field?: string, listField?: string): unknown {
  if (!field) return value;
  if (listField && Array.isArray(value)) return { [field]: value.map((v: unknown) => ({ [listField]: v })) };
  return { [field]: value };
}

/** Sends `value` as IM would; 415 when nothing the client accepts can be served. */
export function sendIm(req: Request, res: Response, value: unknown, output: ImOutput = {}): void {
  const defaultType = output.defaultType ?? 'text/plain';
  const accept = mediaTypes(req.headers.accept);
  for (const [name, v] of Object.entries(output.headers ?? {})) res.setHeader(name, v);
  for (const type of accept.length ? accept : [defaultType]) {
    const asJson = type === 'application/json' || type === 'application/*' || (defaultType === 'application/json' && [defaultType, '*/*', 'text/*'].includes(type));
    if (asJson) {
      res.status(200).type('application/json').send(JSON.stringify(wrap(output.json ?? value, output.field, output.listField)));
      return;
    }
    if ([defaultType, '*/*', 'text/*'].includes(type)) {
      const text = Array.isArray(value) ? value.join('\n') : typeof value === 'string' ? value : JSON.stringify(value);
      res.status(200).type(defaultType).send(text);
      return;
    }
  }
  throw new HttpException(`Unsupported Accept Media Types: ${accept.join(',')}`, 415);
}

/** An empty 200 `text/plain`, as IM answers the operations (start, stop, destroy...). */
export function sendImOk(res: Response, headers: Record<string, string> = {}): void {
  for (const [name, v] of Object.entries(headers)) res.setHeader(name, v);
  res.status(200).type('text/plain').send('');
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function sendImError(req: Request, res: Response, status: number, message: string): void {
  const accept = mediaTypes(req.headers.accept);
  if (accept.includes('application/json')) {
    res.status(status).type('application/json').send(JSON.stringify({ message, code: status }));
  } else if (accept.includes('text/html')) {
    res
      .status(status)
      .type('text/html')
      .send(`<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html>\n<head><title>Error ${status}.</title></head>\n<body>\n<h1>Code: ${status}.</h1>\n<h1>Message: ${escapeHtml(message)}</h1>\n</body>\n</html>\n`);
  } else {
    res.status(status).type('text/plain').send(message);
  }
}
