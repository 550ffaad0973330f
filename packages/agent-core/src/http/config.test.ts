import { describe, expect, it } from 'vitest';
import { parseRelayKitEnvironment } from './config';

const reader = (env: Record<string, string>) => (name: string) => env[name];

describe('parseRelayKitEnvironment', () => {
  it('defaults to the embedded PGlite database with nothing set', () => {
    expect(parseRelayKitEnvironment(reader({}))).toEqual({ openai: {}, database: 'pglite' });
  });

  it('chooses postgres when DATABASE_URL is set, even with Supabase configured', () => {
    const config = parseRelayKitEnvironment(
      reader({
        DATABASE_URL: 'postgres://u@db/app',
        SUPABASE_URL: 'https://ref.supabase.co/',
        SUPABASE_SERVICE_ROLE_KEY: 'service',
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: 'http://127.0.0.1:4010/v1',
        REDIS_URL: 'redis://127.0.0.1:6379',
      }),
    );
    expect(config.database).toBe('postgres');
    expect(config.databaseUrl).toBe('postgres://u@db/app');
    expect(config.openai).toEqual({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:4010/v1' });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.supabase?.url).toBe('https://ref.supabase.co');
    expect(config.auth).toEqual({ jwksUrl: 'https://ref.supabase.co/auth/v1/.well-known/jwks.json' });
  });

  it('chooses supabase with a URL and service role key, and the JWT secret for auth when set', () => {
    const config = parseRelayKitEnvironment(
      reader({
        SUPABASE_URL: 'http://127.0.0.1:54321',
        SUPABASE_ANON_KEY: 'anon',
        SUPABASE_SERVICE_ROLE_KEY: 'service',
        SUPABASE_JWT_SECRET: 'secret',
      }),
    );
    expect(config.database).toBe('supabase');
    expect(config.supabase).toMatchObject({
      anonKey: 'anon',
      serviceRoleKey: 'service',
      jwtSecret: 'secret',
    });
    expect(config.auth).toEqual({ jwtSecret: 'secret' });
  });

  it('treats blank values as absent', () => {
    const config = parseRelayKitEnvironment(reader({ OPENAI_API_KEY: '  ', DATABASE_URL: '' }));
    expect(config).toEqual({ openai: {}, database: 'pglite' });
  });
});
