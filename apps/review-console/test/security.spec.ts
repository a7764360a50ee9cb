import { describe, expect, it } from 'vitest';
import { cookieValue, createSessions, csrfValid, hostAllowed, sameOrigin, securityHeaders, SESSION_COOKIE } from '../src/security.js';

describe('sessions', () => {
  it('hands out an opaque HttpOnly, SameSite=Strict cookie once, and finds the session by it', () => {
    const sessions = createSessions({ secure: false });
    const first = sessions.resolve(undefined);
    expect(first.setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict$`));
    const cookie = first.setCookie!.split(';')[0]!;
    const again = sessions.resolve(`other=1; ${cookie}`);
    expect(again.session).toBe(first.session);
    expect(again.setCookie).toBeUndefined();
    expect(sessions.find(cookie)).toBe(first.session);
    expect(sessions.find(`${SESSION_COOKIE}=forged`)).toBeUndefined();
    expect(first.session.csrfToken).not.toBe(first.session.id);
  });

  it('marks the cookie Secure behind TLS, and expires sessions after 12 hours', () => {
    let now = 0;
    const sessions = createSessions({ secure: true, now: () => now });
    const { setCookie } = sessions.resolve(undefined);
    expect(setCookie).toMatch(/; Secure$/);
    now += 12 * 3600_000 + 1;
    expect(sessions.find(setCookie!.split(';')[0])).toBeUndefined();
  });

  it('reads a cookie among others', () => {
    expect(cookieValue('a=1; rc_session=xyz; b=2', 'rc_session')).toBe('xyz');
    expect(cookieValue(undefined, 'rc_session')).toBeUndefined();
  });
});

describe('CSRF token', () => {
  it("accepts only the session's own token", () => {
    const sessions = createSessions({ secure: false });
    const a = sessions.resolve(undefined).session;
    const b = sessions.resolve(undefined).session;
    expect(csrfValid(a, a.csrfToken)).toBe(true);
    expect(csrfValid(a, b.csrfToken)).toBe(false);
    expect(csrfValid(a, undefined)).toBe(false);
    expect(csrfValid(a, '')).toBe(false);
    expect(csrfValid(undefined, a.csrfToken)).toBe(false);
  });
});

describe('same-origin POSTs', () => {
  const host = '127.0.0.1:8090';
  it('accepts the Origin (or, without it, the Referer) of the console itself', () => {
    expect(sameOrigin({ host, origin: 'http://127.0.0.1:8090' })).toBe(true);
    expect(sameOrigin({ host, referer: 'http://127.0.0.1:8090/reviews/abc' })).toBe(true);
    expect(sameOrigin({ host, origin: 'http://127.0.0.1:8090', 'sec-fetch-site': 'same-origin' })).toBe(true);
  });

  it('refuses other origins, opaque origins, cross-site fetches and requests that say nothing', () => {
    expect(sameOrigin({ host, origin: 'http://evil.example' })).toBe(false);
    expect(sameOrigin({ host, origin: 'http://127.0.0.1:9999' })).toBe(false);
    expect(sameOrigin({ host, origin: 'null' })).toBe(false);
    expect(sameOrigin({ host, origin: 'http://127.0.0.1:8090', 'sec-fetch-site': 'cross-site' })).toBe(false);
    expect(sameOrigin({ host })).toBe(false);
    expect(sameOrigin({ origin: 'http://127.0.0.1:8090' })).toBe(false);
  });
});

describe('Host allow-list (DNS rebinding)', () => {
  it('accepts IP literals and localhost on the port, and configured names', () => {
    expect(hostAllowed('127.0.0.1:8090', 8090, [])).toBe(true);
    expect(hostAllowed('localhost:8090', 8090, [])).toBe(true);
    expect(hostAllowed('[::1]:8090', 8090, [])).toBe(true);
    expect(hostAllowed('review.internal.example:443', 8090, ['review.internal.example:443'])).toBe(true);
  });

  it('refuses other names and ports', () => {
    expect(hostAllowed('evil.example:8090', 8090, [])).toBe(false);
    expect(hostAllowed('127.0.0.1:8091', 8090, [])).toBe(false);
    expect(hostAllowed('127.0.0.1', 8090, [])).toBe(false);
    expect(hostAllowed(undefined, 8090, [])).toBe(false);
  });
});

describe('security headers', () => {
  it('forbid inline script, third-party resources, framing and sniffing', () => {
    const h = securityHeaders();
    expect(h['Content-Security-Policy']).toContain("default-src 'none'");
    expect(h['Content-Security-Policy']).toContain("script-src 'self'");
    expect(h['Content-Security-Policy']).not.toContain('unsafe-inline');
    expect(h['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(h['X-Frame-Options']).toBe('DENY');
    expect(h['Cache-Control']).toBe('no-store');
  });
});
