import { apiErrors } from './errors.js';

/**
 * Opaque `nextToken`s: base64url JSON naming the listing they continue (so a token of another
 * listing, another execution or another sort order is refused with `InvalidToken`) and a cursor.
 */

interface TokenBody {
  /** Which listing: 'sm', 'x', 'h'. */
  k: string;
  /** Fingerprint of the request the token belongs to. */
  c: string;
  /** Cursor. */
  p: number;
}

export function encodeToken(kind: string, context: string, cursor: number): string {
  return Buffer.from(JSON.stringify({ k: kind, c: context, p: cursor } satisfies TokenBody)).toString('base64url');
}

/** The cursor in `token`, or `InvalidToken` when it is not a token of this listing. */
export function decodeToken(token: string, kind: string, context: string): number {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    body = undefined;
  }
  const b = body as Partial<TokenBody> | undefined;
  if (!b || typeof b !== 'object' || b.k !== kind || b.c !== context || typeof b.p !== 'number' || !Number.isInteger(b.p)) {
    throw apiErrors.invalidToken('Invalid nextToken');
  }
  return b.p;
}

/** `maxResults` as the API reads it: absent or 0 means 100. */
export function pageSize(maxResults: number | undefined, fallback = 100): number {
  return maxResults === undefined || maxResults === 0 ? fallback : maxResults;
}
