import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { describe, expect, it } from 'vitest';
import { createSupabaseCookieAuthenticator } from './cookies';

const SECRET = 'a-test-secret-of-at-least-32-characters';
// Port 9 (discard) on loopback: nothing is listening, so an attempted network call fails fast.
const SUPABASE_URL = 'http://127.0.0.1:9';
const COOKIE = 'sb-127-auth-token';

/** The cookie `@supabase/ssr` writes for a session (base64url with the `base64-` prefix, its default encoding). */
async function sessionCookie(userId: string, options: { secret?: string; now?: number } = {}) {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const accessToken = await mintSupabaseJwt({ sub: userId, secret: options.secret ?? SECRET, now });
  const session = {
    access_token: accessToken,
    refresh_token: 'refresh-token',
    token_type: 'bearer',
    expires_in: 3600,
    expires_at: now + 3600,
    user: { id: userId, aud: 'authenticated', role: 'authenticated', app_metadata: {}, user_metadata: {} },
  };
  return { accessToken, value: `base64-${Buffer.from(JSON.stringify(session)).toString('base64url')}` };
}

function request(headers: Record<string, string>): Request {
  return new Request('http://localhost:3000/api/chatkit', { method: 'POST', headers, body: '{}' });
}

describe('createSupabaseCookieAuthenticator', () => {
  const authenticate = createSupabaseCookieAuthenticator({
    supabaseUrl: SUPABASE_URL,
    supabaseAnonKey: 'anon-key',
    verify: { jwtSecret: SECRET },
  });

  it('reads the user from the @supabase/ssr session cookie and verifies its token', async () => {
    const userId = crypto.randomUUID();
    const { accessToken, value } = await sessionCookie(userId);
    const user = await authenticate(request({ cookie: `theme=dark; ${COOKIE}=${value}` }));
    expect(user).toMatchObject({ userId, accessToken, role: 'authenticated' });
  });

  it('reads a chunked session cookie', async () => {
    const userId = crypto.randomUUID();
    const { value } = await sessionCookie(userId);
    const half = Math.ceil(value.length / 2);
    const cookie = `${COOKIE}.0=${value.slice(0, half)}; ${COOKIE}.1=${value.slice(half)}`;
    expect((await authenticate(request({ cookie }))).userId).toBe(userId);
  });

  it('refuses a forged cookie, no cookie and garbage with unauthorized', async () => {
    const forged = await sessionCookie(crypto.randomUUID(), {
      secret: 'forged-secret-of-at-least-32-characters',
    });
    await expect(authenticate(request({ cookie: `${COOKIE}=${forged.value}` }))).rejects.toMatchObject({
      code: 'unauthorized',
      message: 'The token signature is invalid.',
    });
    await expect(authenticate(request({}))).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(authenticate(request({ cookie: `${COOKIE}=base64-not-json` }))).rejects.toMatchObject({
      code: 'unauthorized',
    });
  });

  it('accepts a bearer token first, unless disabled', async () => {
    const userId = crypto.randomUUID();
    const token = await mintSupabaseJwt({ sub: userId, secret: SECRET });
    expect((await authenticate(request({ authorization: `Bearer ${token}` }))).userId).toBe(userId);
    const cookieOnly = createSupabaseCookieAuthenticator({
      supabaseUrl: SUPABASE_URL,
      supabaseAnonKey: 'anon-key',
      verify: { jwtSecret: SECRET },
      allowBearer: false,
    });
    await expect(cookieOnly(request({ authorization: `Bearer ${token}` }))).rejects.toMatchObject({
      code: 'unauthorized',
    });
    expect(() => createSupabaseCookieAuthenticator({ verify: { jwtSecret: SECRET } } as never)).toThrow(
      /needs supabaseUrl/,
    );
  });
});
