import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { bearerToken, createBearerAuthenticator, createJwtVerifier, isUuid } from './auth';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const USER = '7f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

function request(authorization?: string): Request {
  return new Request('http://localhost/api/chatkit', {
    method: 'POST',
    headers: authorization === undefined ? {} : { authorization },
  });
}

async function caught(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('HS256 secret', () => {
  const verify = createJwtVerifier({ jwtSecret: SECRET });

  it('verifies a Supabase user token into the user context', async () => {
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET, email: 'a@example.com' });
    const user = await verify(token);
    expect(user.userId).toBe(USER);
    expect(user.role).toBe('authenticated');
    expect(user.accessToken).toBe(token);
    expect(user.claims.email).toBe('a@example.com');
  });

  it('rejects a token signed with another secret, an expired token and garbage as unauthorized', async () => {
    const other = await mintSupabaseJwt({ sub: USER, secret: 'another-secret-of-at-least-32-characters' });
    expect(await caught(verify(other))).toMatchObject({
      code: 'unauthorized',
      message: 'The token signature is invalid.',
    });
    const expired = await mintSupabaseJwt({
      sub: USER,
      secret: SECRET,
      now: Math.floor(Date.now() / 1000) - 7200,
    });
    expect(await caught(verify(expired))).toMatchObject({
      code: 'unauthorized',
      message: 'The token has expired.',
    });
    expect(await caught(verify('not-a-jwt'))).toMatchObject({ code: 'unauthorized' });
  });

  it('refuses tokens without a UUID subject with a clear 401, not a crash', async () => {
    const noSub = await mintSupabaseJwt({ role: 'anon', secret: SECRET, claims: { aud: 'authenticated' } });
    expect(await caught(verify(noSub))).toMatchObject({
      code: 'unauthorized',
      message: 'The token has no subject (not a user token).',
    });
    const badSub = await mintSupabaseJwt({ sub: '1; drop table users; --', secret: SECRET });
    expect(await caught(verify(badSub))).toMatchObject({
      code: 'unauthorized',
      message: 'The token subject is not a valid user id.',
    });
  });

  it('checks the audience', async () => {
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET, claims: { aud: 'someone-else' } });
    expect(await caught(verify(token))).toMatchObject({ code: 'unauthorized' });
    const lenient = createJwtVerifier({ jwtSecret: SECRET, audience: null });
    expect((await lenient(token)).userId).toBe(USER);
  });

  it('refuses an empty secret or no mode as a configuration error', () => {
    expect(() => createJwtVerifier({ jwtSecret: '' })).toThrow(/non-empty jwtSecret/);
    const short = 'x'.repeat(31);
    expect(() => createJwtVerifier({ jwtSecret: short })).toThrow(/at least 32 bytes/);
    expect(() => createJwtVerifier({ jwtSecret: short })).toThrow(
      expect.objectContaining({ code: 'configuration' }),
    );
    expect(() => createJwtVerifier({ jwtSecret: 'é'.repeat(16) })).not.toThrow();
    expect(() => createJwtVerifier({} as never)).toThrow(/needs jwtSecret/);
  });
});

describe('JWKS', () => {
  it('verifies an ES256 token against an inline JWKS and against a JWKS URL', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' };
    const token = await new SignJWT({ role: 'authenticated' })
      .setProtectedHeader({ alg: 'ES256', kid: 'key-1' })
      .setSubject(USER)
      .setAudience('authenticated')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    expect((await createJwtVerifier({ jwks: { keys: [jwk] } })(token)).userId).toBe(USER);

    const server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const verify = createJwtVerifier({ jwksUrl: `http://127.0.0.1:${port}/auth/v1/.well-known/jwks.json` });
      expect((await verify(token)).userId).toBe(USER);
      const hs = await mintSupabaseJwt({ sub: USER, secret: SECRET });
      expect(await caught(verify(hs))).toMatchObject({ code: 'unauthorized' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('trusting the platform verification', () => {
  const verify = createJwtVerifier({ trustPlatformVerification: true });

  it('decodes without a key but still checks expiry, audience and subject', async () => {
    const token = await mintSupabaseJwt({ sub: USER, secret: 'whatever-the-platform-secret-is-here' });
    expect((await verify(token)).userId).toBe(USER);
    const expired = await mintSupabaseJwt({
      sub: USER,
      secret: SECRET,
      now: Math.floor(Date.now() / 1000) - 7200,
    });
    expect(await caught(verify(expired))).toMatchObject({ message: 'The token has expired.' });
    expect(await caught(verify('x.y.z'))).toMatchObject({ message: 'The token is malformed.' });
  });
});

describe('bearer requests', () => {
  it('reads the bearer token and answers unauthorized without one', async () => {
    expect(bearerToken(request('Bearer abc.def.ghi'))).toBe('abc.def.ghi');
    expect(bearerToken(request('Basic Zm9vOmJhcg=='))).toBeUndefined();
    const authenticate = createBearerAuthenticator({ jwtSecret: SECRET });
    expect(await caught(authenticate(request()))).toMatchObject({ code: 'unauthorized' });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    expect((await authenticate(request(`Bearer ${token}`))).userId).toBe(USER);
  });

  it('recognises UUIDs', () => {
    expect(isUuid(USER)).toBe(true);
    expect(isUuid('user-1')).toBe(false);
    expect(isUuid(42)).toBe(false);
  });
});
