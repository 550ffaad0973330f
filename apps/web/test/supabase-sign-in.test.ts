/** The Supabase Auth password sign-in against a local stand-in of GoTrue's token endpoint. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppAuthenticator, verifySession } from '../src/server/auth';
import { readAppConfig } from '../src/server/config';
import { supabasePasswordSignIn, supabaseSignInRoute } from '../src/server/supabase-sign-in';

const jwtSecret = 'a-supabase-project-jwt-secret-for-tests-only';
const userId = crypto.randomUUID();
let server: Server;
let url: string;
const requests: { path: string; apikey: string | undefined; body: unknown }[] = [];

/** The asymmetric signing key of a project that verifies through its JWKS (`SUPABASE_JWKS_URL`). */
let signingKey: CryptoKey;
let publicJwk: JWK;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  signingKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
  server = createServer(async (request, response) => {
    if (request.url === '/auth/v1/.well-known/jwks.json') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [publicJwk] }));
      return;
    }
    let text = '';
    for await (const chunk of request) text += chunk;
    const body = JSON.parse(text) as { email: string; password: string };
    requests.push({ path: request.url ?? '', apikey: request.headers.apikey as string | undefined, body });
    if (body.password !== 'relaykit-demo') {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid login credentials' }),
      );
      return;
    }
    const asymmetric = request.headers.apikey === 'jwks-anon-key';
    const token = await new SignJWT({ role: 'authenticated', email: body.email })
      .setProtectedHeader(asymmetric ? { alg: 'ES256', kid: 'test-key' } : { alg: 'HS256' })
      .setSubject(userId)
      .setAudience('authenticated')
      .setExpirationTime('1h')
      .sign(asymmetric ? signingKey : new TextEncoder().encode(jwtSecret));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: 3600, refresh_token: 'r' }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const config = () =>
  readAppConfig({ SUPABASE_JWT_SECRET: jwtSecret, SUPABASE_URL: url, SUPABASE_ANON_KEY: 'anon-key' });

describe('supabasePasswordSignIn', () => {
  it('exchanges e-mail and password for an access token the app verifies', async () => {
    const session = await supabasePasswordSignIn(config(), 'ada@relaykit.dev', 'relaykit-demo');
    expect(session.expires_in).toBe(3600);
    expect(requests.at(-1)).toEqual({
      path: '/auth/v1/token?grant_type=password',
      apikey: 'anon-key',
      body: { email: 'ada@relaykit.dev', password: 'relaykit-demo' },
    });
  });

  it('answers unauthorized for wrong credentials, invalid_request for an empty form', async () => {
    await expect(supabasePasswordSignIn(config(), 'ada@relaykit.dev', 'wrong')).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(supabasePasswordSignIn(config(), 'not-an-address', '')).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('refuses a token signed with another secret, and is a configuration error without Supabase settings', async () => {
    const other = readAppConfig({
      SUPABASE_JWT_SECRET: 'some-other-project-secret-of-32-chars',
      SUPABASE_URL: url,
      SUPABASE_ANON_KEY: 'anon-key',
    });
    await expect(supabasePasswordSignIn(other, 'ada@relaykit.dev', 'relaykit-demo')).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await expect(supabasePasswordSignIn(readAppConfig({}), 'ada@relaykit.dev', 'x')).rejects.toMatchObject({
      code: 'configuration',
    });
  });

  it('verifies the token through the project JWKS when SUPABASE_JWKS_URL is set instead of the secret', async () => {
    const jwks = readAppConfig({
      SUPABASE_JWKS_URL: `${url}/auth/v1/.well-known/jwks.json`,
      SUPABASE_URL: url,
      SUPABASE_ANON_KEY: 'jwks-anon-key',
    });
    expect(jwks.auth).toMatchObject({ mode: 'supabase', jwksUrl: `${url}/auth/v1/.well-known/jwks.json` });
    expect(jwks.devSignInEnabled).toBe(false);
    const session = await supabasePasswordSignIn(jwks, 'ada@relaykit.dev', 'relaykit-demo');
    const user = await createAppAuthenticator(jwks)(
      new Request('http://localhost/api/agents', {
        headers: { authorization: `Bearer ${session.access_token}` },
      }),
    );
    expect(user.userId).toBe(userId);
    // An HS256 token of the secret-based project is not accepted by the JWKS project.
    const hs256 = await supabasePasswordSignIn(config(), 'ada@relaykit.dev', 'relaykit-demo');
    await expect(verifySession(jwks, hs256.access_token)).resolves.toBeNull();
  });

  it('reports an unreachable Auth server as provider_unavailable', async () => {
    const offline = readAppConfig({
      SUPABASE_JWT_SECRET: jwtSecret,
      SUPABASE_URL: 'http://127.0.0.1:9',
      SUPABASE_ANON_KEY: 'anon-key',
    });
    await expect(supabasePasswordSignIn(offline, 'ada@relaykit.dev', 'relaykit-demo')).rejects.toMatchObject({
      code: 'provider_unavailable',
    });
  });
});

describe('supabaseSignInRoute', () => {
  it('logs an unexpected failure (not a RelayKitError) and sends the user back with a generic message', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const response = await supabaseSignInRoute(
        new Request('http://localhost:3000/api/auth/sign-in', {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=x' },
          body: 'not a multipart body',
        }),
      );
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(
        `/sign-in?error=${encodeURIComponent('The sign-in failed.')}`,
      );
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('sign-in failed'), expect.any(Error));
    } finally {
      logged.mockRestore();
    }
  });
});
