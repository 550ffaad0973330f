import { afterEach, describe, expect, it, vi } from 'vitest';
import { readCookie, SESSION_COOKIE, secureCookieFor, sessionCookie, sessionToken } from './auth';

const request = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });

describe('readCookie', () => {
  it('decodes the named cookie and treats a malformed escape as absent (a 401, not a 500)', () => {
    expect(readCookie('a=1; relaykit-session=x%2Ey', SESSION_COOKIE)).toBe('x.y');
    expect(readCookie('relaykit-session=%E0%A4%A', SESSION_COOKIE)).toBeUndefined();
    expect(sessionToken(request('http://localhost/', { cookie: 'relaykit-session=%' }))).toBeUndefined();
  });
});

describe('secureCookieFor', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('marks the cookie Secure on https and, in production, on any host but loopback', () => {
    expect(secureCookieFor(request('https://localhost/'), false)).toBe(true);
    expect(secureCookieFor(request('http://app.example.com/'), false)).toBe(false);
    expect(secureCookieFor(request('http://app.example.com/'), true)).toBe(true);
    expect(secureCookieFor(request('http://10.0.0.5:3000/', { host: 'chat.example.com' }), true)).toBe(true);
    expect(secureCookieFor(request('http://localhost:3000/'), true)).toBe(false);
    expect(secureCookieFor(request('http://127.0.0.1:3000/'), true)).toBe(false);
    expect(secureCookieFor(request('http://0.0.0.0:3000/', { host: 'localhost:3000' }), true)).toBe(false);
  });

  it('is what sessionCookie uses, with NODE_ENV read from the environment', () => {
    vi.stubEnv('NODE_ENV', 'production');
    expect(sessionCookie('t', request('http://chat.example.com/'))).toMatch(/; Secure$/);
    expect(sessionCookie('t', request('http://localhost:3000/'))).not.toContain('Secure');
    vi.stubEnv('NODE_ENV', 'development');
    expect(sessionCookie('t', request('http://chat.example.com/'))).not.toContain('Secure');
  });
});
