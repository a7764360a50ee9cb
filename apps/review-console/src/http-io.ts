import type { IncomingMessage, ServerResponse } from 'node:http';
import { securityHeaders } from './security.js';

/** Reading forms and writing answers, with the security headers on every answer. */

export const MAX_FORM_BYTES = 16 * 1024;

export type FormResult = { ok: true; fields: Record<string, string> } | { ok: false; status: 413 | 415 | 400 };

/** An `application/x-www-form-urlencoded` body of at most {@link MAX_FORM_BYTES}. */
export async function readForm(req: IncomingMessage): Promise<FormResult> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    req.resume();
    return { ok: false, status: 415 };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        req.resume();
        return { ok: false, status: 413 };
      }
      chunks.push(chunk);
    }
  } catch {
    return { ok: false, status: 400 };
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
    if (!Object.hasOwn(fields, key)) fields[key] = value;
  }
  return { ok: true, fields };
}

export function send(res: ServerResponse, status: number, body: string, contentType: string, extra: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    ...securityHeaders(),
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}

export function sendHtml(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  send(res, status, body, 'text/html; charset=utf-8', extra);
}

export function redirect(res: ServerResponse, location: string, extra: Record<string, string> = {}): void {
  send(res, 303, '', 'text/plain; charset=utf-8', { Location: location, ...extra });
}
