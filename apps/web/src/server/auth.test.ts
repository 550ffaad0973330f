import { describe, expect, it } from 'vitest';
import { readCookie, SESSION_COOKIE, sessionToken } from './auth';

const request = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });

describe('readCookie', () => {
  it('decodes the named cookie and treats a malformed escape as absent (a 401, not a 500)', () => {
    expect(readCookie('a=1; relaykit-session=x%2Ey', SESSION_COOKIE)).toBe('x.y');
    expect(readCookie('relaykit-session=%E0%A4%A', SESSION_COOKIE)).toBeUndefined();
    expect(sessionToken(request('http://localhost/', { cookie: 'relaykit-session=%' }))).toBeUndefined();
  });
});
