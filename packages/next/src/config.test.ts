import { describe, expect, it } from 'vitest';
import { readRelayKitConfig } from './config';

describe('readRelayKitConfig', () => {
  it('reads the given environment and picks the database backend', () => {
    expect(readRelayKitConfig({})).toEqual({ openai: {}, database: 'pglite' });
    const config = readRelayKitConfig({
      OPENAI_API_KEY: 'sk-test',
      SUPABASE_URL: 'http://127.0.0.1:54321',
      SUPABASE_SERVICE_ROLE_KEY: 'service',
      SUPABASE_JWT_SECRET: 'jwt-secret',
      REDIS_URL: 'redis://127.0.0.1:6379',
      UNRELATED: 'ignored',
    });
    expect(config).toMatchObject({
      openai: { apiKey: 'sk-test' },
      database: 'supabase',
      redisUrl: 'redis://127.0.0.1:6379',
      auth: { jwtSecret: 'jwt-secret' },
    });
    expect(readRelayKitConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }).database).toBe(
      'postgres',
    );
  });

  it('defaults to process.env', () => {
    const previous = process.env.REDIS_URL;
    process.env.REDIS_URL = 'redis://from-process-env:6379';
    try {
      expect(readRelayKitConfig().redisUrl).toBe('redis://from-process-env:6379');
    } finally {
      if (previous === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = previous;
    }
  });
});

describe('createEnvironmentAuthenticator', () => {
  it('reads the secret at the first request, not before', async () => {
    const { mintSupabaseJwt } = await import('@relaykit/testing/supabase');
    const { createEnvironmentAuthenticator, MISSING_AUTH_MESSAGE } = await import('./config');
    const env: Record<string, string | undefined> = {};
    const reported: unknown[] = [];
    const authenticate = createEnvironmentAuthenticator({
      env,
      onConfigurationError: (error) => reported.push(error.message),
    });
    const secret = 'a-test-secret-of-at-least-32-characters';
    const userId = crypto.randomUUID();
    const request = new Request('http://localhost/', {
      headers: { authorization: `Bearer ${await mintSupabaseJwt({ sub: userId, secret })}` },
    });
    await expect(authenticate(request.clone())).rejects.toMatchObject({ code: 'configuration' });
    expect(reported).toEqual([MISSING_AUTH_MESSAGE]);
    env.SUPABASE_JWT_SECRET = secret;
    expect(await authenticate(request)).toMatchObject({ userId });
  });
});
