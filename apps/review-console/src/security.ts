import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * The console's web security: an opaque session cookie (HttpOnly, SameSite=Strict) holding a
 * CSRF token that every POST must echo; same-origin checks on POSTs (Origin, else Referer;
 * Sec-Fetch-Site when sent); a Host allow-list against DNS rebinding; and response headers that
 * forbid framing, sniffing, inline script and any third-party resource.
 */

export const SESSION_COOKIE = 'rc_session';
const SESSION_TTL_MS = 12 * 3600_000;
const MAX_SESSIONS = 1000;

/** A one-shot message for the next page the session sees (post/redirect/get). */
export type Flash = { kind: 'ok' | 'error'; title: string; text: string };

export interface Session {
  readonly id: string;
  readonly csrfToken: string;
  readonly createdAt: number;
  flash: Flash | undefined;
}

export interface Sessions {
  /** The request's session, if its cookie names a live one. */
  find(cookieHeader: string | undefined): Session | undefined;
  /** The request's session, or a new one with the `Set-Cookie` header that hands it out. */
  resolve(cookieHeader: string | undefined): { session: Session; setCookie: string | undefined };
}

const token = () => randomBytes(32).toString('base64url');

export function createSessions(options: { secure: boolean; now?: () => number }): Sessions {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const find = (cookieHeader: string | undefined): Session | undefined => {
    const id = cookieValue(cookieHeader, SESSION_COOKIE);
    const session = id === undefined ? undefined : sessions.get(id);
    if (session && now() - session.createdAt > SESSION_TTL_MS) {
      sessions.delete(session.id);
      return undefined;
    }
    return session;
  };
  return {
    find,
    resolve(cookieHeader) {
      const existing = find(cookieHeader);
      if (existing) return { session: existing, setCookie: undefined };
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
      const session: Session = { id: token(), csrfToken: token(), createdAt: now(), flash: undefined };
      sessions.set(session.id, session);
      const setCookie = `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Strict${options.secure ? '; Secure' : ''}`;
      return { session, setCookie };
    },
  };
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Whether the submitted token is the session's (constant-time). */
export function csrfValid(session: Session | undefined, submitted: string | undefined): boolean {
  if (!session || submitted === undefined) return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether a `Host` header names this console: an IP literal or `localhost` with the console's
 * port, or one of the configured names. A rebinding attacker's domain name is none of these.
 */
export function hostAllowed(host: string | undefined, port: number, allowedHosts: readonly string[]): boolean {
  if (host === undefined) return false;
  const h = host.toLowerCase();
  if (allowedHosts.some((a) => a.toLowerCase() === h)) return true;
  const m = /^(\[[0-9a-f:.]+\]|[^:]+):(\d+)$/.exec(h);
  if (!m || Number(m[2]) !== port) return false;
  const name = m[1]!.replace(/^\[|\]$/g, '');
  return name === 'localhost' || isIP(name) !== 0;
}

/** A POST is same-origin when its Origin (else Referer) has the request's own host. */
export function sameOrigin(headers: { host?: string; origin?: string; referer?: string; 'sec-fetch-site'?: string }): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const source = headers.origin ?? headers.referer;
  if (source === undefined || source === 'null' || headers.host === undefined || !URL.canParse(source)) return false;
  const url = new URL(source);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.host.toLowerCase() === headers.host.toLowerCase();
}

/** Headers of every answer. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy':
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'Cache-Control': 'no-store',
  };
}
