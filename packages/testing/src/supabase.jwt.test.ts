import { decodeProtectedHeader, jwtVerify } from 'jose';
import { expect, it } from 'vitest';
import { mintSupabaseJwt } from './supabase';

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const key = new TextEncoder().encode(SECRET);

it('mints a user access token shaped like Supabase Auth issues, verifiable with the project secret', async () => {
  const token = await mintSupabaseJwt({
    sub: 'user-1',
    secret: SECRET,
    email: 'a@example.com',
    now: 1_800_000_000,
  });
  expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
  const { payload } = await jwtVerify(token, key, { currentDate: new Date(1_800_000_100 * 1000) });
  expect(payload).toMatchObject({
    sub: 'user-1',
    role: 'authenticated',
    aud: 'authenticated',
    email: 'a@example.com',
    iat: 1_800_000_000,
    exp: 1_800_003_600,
    aal: 'aal1',
    is_anonymous: false,
  });
});

it('mints API keys without a subject, with extra claims and a custom lifetime', async () => {
  const token = await mintSupabaseJwt({
    role: 'service_role',
    secret: SECRET,
    expiresIn: 60,
    claims: { ref: 'local' },
  });
  const { payload } = await jwtVerify(token, key);
  expect(payload.sub).toBeUndefined();
  expect(payload).toMatchObject({ iss: 'supabase', role: 'service_role', ref: 'local' });
  expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(60);
  await expect(mintSupabaseJwt({ secret: '' })).rejects.toThrow(/must not be empty/);
});
