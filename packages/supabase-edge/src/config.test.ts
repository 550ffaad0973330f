import { afterEach, describe, expect, it } from 'vitest';
import { readEdgeConfig } from './config';

const env = (values: Record<string, string>) => ({ get: (name: string) => values[name] });

describe('readEdgeConfig', () => {
  afterEach(() => {
    delete (globalThis as { Deno?: unknown }).Deno;
  });

  it('reads Deno.env-shaped sources, with the platform database URL as fallback', () => {
    const config = readEdgeConfig(
      env({
        SUPABASE_URL: 'http://127.0.0.1:54321',
        SUPABASE_SERVICE_ROLE_KEY: 'service',
        SUPABASE_DB_URL: 'postgres://postgres@127.0.0.1:54322/postgres',
        OPENAI_API_KEY: 'sk-test',
        ALLOWED_ORIGINS: 'https://app.example.com/, http://localhost:3000',
        RELAYKIT_TRUST_PLATFORM_JWT: 'true',
      }),
    );
    expect(config).toMatchObject({
      database: 'postgres',
      databaseUrl: 'postgres://postgres@127.0.0.1:54322/postgres',
      openai: { apiKey: 'sk-test' },
      cors: { allowedOrigins: ['https://app.example.com', 'http://localhost:3000'] },
      trustPlatformJwt: true,
      auth: { jwksUrl: 'http://127.0.0.1:54321/auth/v1/.well-known/jwks.json' },
    });
  });

  it('defaults to no origins, no trust and PGlite, and accepts *', () => {
    expect(readEdgeConfig(env({}))).toEqual({
      openai: {},
      database: 'pglite',
      cors: { allowedOrigins: [] },
      trustPlatformJwt: false,
      openaiKeySource: 'env',
    });
    expect(readEdgeConfig(env({ ALLOWED_ORIGINS: '*' })).cors.allowedOrigins).toBe('*');
  });

  it('reads OPENAI_KEY_SOURCE (env by default, vault, any case) and refuses anything else', () => {
    expect(readEdgeConfig(env({ OPENAI_KEY_SOURCE: '' })).openaiKeySource).toBe('env');
    expect(readEdgeConfig(env({ OPENAI_KEY_SOURCE: 'env' })).openaiKeySource).toBe('env');
    expect(readEdgeConfig(env({ OPENAI_KEY_SOURCE: ' Vault ' })).openaiKeySource).toBe('vault');
    expect(() => readEdgeConfig(env({ OPENAI_KEY_SOURCE: 'kms' }))).toThrow(
      expect.objectContaining({ code: 'configuration', message: expect.stringContaining('env or vault') }),
    );
  });

  it('reads globalThis.Deno.env when no source is given', () => {
    (globalThis as { Deno?: unknown }).Deno = { env: env({ SUPABASE_JWT_SECRET: 'from-deno' }) };
    expect(readEdgeConfig().auth).toEqual({ jwtSecret: 'from-deno' });
  });
});

describe('createEnvironmentAuthenticator', () => {
  it('reads Deno.env at the first request: missing → configuration, then the secret, or the platform check', async () => {
    const { mintSupabaseJwt } = await import('@relaykit/testing/supabase');
    const { createEnvironmentAuthenticator, MISSING_EDGE_AUTH_MESSAGE } = await import('./config');
    const values: Record<string, string> = {};
    const env = { get: (name: string) => values[name] };
    const reported: string[] = [];
    const onConfigurationError = (error: Error) => reported.push(error.message);
    const secret = 'a-test-secret-of-at-least-32-characters';
    const userId = crypto.randomUUID();
    const token = await mintSupabaseJwt({ sub: userId, secret });
    const request = () => new Request('http://localhost/', { headers: { authorization: `Bearer ${token}` } });

    const fromSecret = createEnvironmentAuthenticator({ env, onConfigurationError });
    await expect(fromSecret(request())).rejects.toMatchObject({ code: 'configuration' });
    expect(reported).toEqual([MISSING_EDGE_AUTH_MESSAGE]);
    values.SUPABASE_JWT_SECRET = secret;
    expect(await fromSecret(request())).toMatchObject({ userId });

    // verify_jwt = true: the platform checked the signature, so a token signed with another secret passes here.
    const platform = createEnvironmentAuthenticator({
      env: { get: (name) => ({ RELAYKIT_TRUST_PLATFORM_JWT: 'true' })[name] },
    });
    const other = await mintSupabaseJwt({ sub: userId, secret: 'another-secret-of-at-least-32-characters' });
    expect(
      await platform(new Request('http://localhost/', { headers: { authorization: `Bearer ${other}` } })),
    ).toMatchObject({ userId });
  });
});
