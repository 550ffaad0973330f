import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DEV_JWT_SECRET,
  DEFAULT_OFFLINE_DELAY_MS,
  DEV_SECRET_WARNING,
  readAppConfig,
} from './config';

const appDir = '/srv/app';

describe('readAppConfig', () => {
  it('runs on embedded defaults without configuration: PGlite under .data, the offline model, dev sign-in', () => {
    const config = readAppConfig({}, appDir);
    expect(config).toMatchObject({
      port: 3000,
      dataDir: '/srv/app/.data',
      offline: true,
      offlineDelayMs: DEFAULT_OFFLINE_DELAY_MS,
      bootstrapSupabasePlatform: false,
      devSignInEnabled: true,
      auth: { mode: 'development', jwtSecret: DEFAULT_DEV_JWT_SECRET },
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.chatKitDomainKey).toBeUndefined();
  });

  it('reads Postgres, OpenAI, data folder and the ChatKit domain key from the environment', () => {
    const config = readAppConfig(
      {
        PORT: '4000',
        RELAYKIT_DATA_DIR: 'var/data',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/app',
        RELAYKIT_BOOTSTRAP_SUPABASE_PLATFORM: '1',
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: 'http://127.0.0.1:8787/v1',
        RELAYKIT_OFFLINE_DELAY_MS: '5',
        NEXT_PUBLIC_CHATKIT_DOMAIN_KEY: 'domain_pk_123',
      },
      appDir,
    );
    expect(config).toMatchObject({
      port: 4000,
      dataDir: '/srv/app/var/data',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/app',
      bootstrapSupabasePlatform: true,
      openAIApiKey: 'sk-test',
      openAIBaseURL: 'http://127.0.0.1:8787/v1',
      offline: false,
      offlineDelayMs: 5,
      chatKitDomainKey: 'domain_pk_123',
    });
  });

  it('disables the development sign-in in production unless RELAYKIT_ENABLE_DEV_SIGN_IN=1', () => {
    const own = { NODE_ENV: 'production', RELAYKIT_DEV_JWT_SECRET: 'an-own-dev-secret-of-at-least-32-chars' };
    expect(readAppConfig(own, appDir).devSignInEnabled).toBe(false);
    expect(readAppConfig({ ...own, RELAYKIT_ENABLE_DEV_SIGN_IN: '1' }, appDir).devSignInEnabled).toBe(true);
  });

  it('refuses production with the public default dev secret unless the dev sign-in is enabled explicitly', () => {
    expect(() => readAppConfig({ NODE_ENV: 'production' }, appDir)).toThrow(
      expect.objectContaining({
        code: 'configuration',
        message: expect.stringMatching(
          /SUPABASE_JWT_SECRET.*RELAYKIT_DEV_JWT_SECRET.*RELAYKIT_ENABLE_DEV_SIGN_IN=1/,
        ),
      }),
    );
    const enabled = readAppConfig({ NODE_ENV: 'production', RELAYKIT_ENABLE_DEV_SIGN_IN: '1' }, appDir);
    expect(enabled.auth.jwtSecret).toBe(DEFAULT_DEV_JWT_SECRET);
    expect(enabled.warnings).toEqual([DEV_SECRET_WARNING]);
    expect(DEV_SECRET_WARNING).toMatch(
      /anyone can sign tokens with the dev secret unless RELAYKIT_DEV_JWT_SECRET/,
    );
    expect(
      readAppConfig(
        {
          NODE_ENV: 'production',
          RELAYKIT_ENABLE_DEV_SIGN_IN: '1',
          RELAYKIT_DEV_JWT_SECRET: 'an-own-dev-secret-of-at-least-32-chars',
        },
        appDir,
      ).warnings,
    ).toEqual([]);
    expect(readAppConfig({}, appDir).warnings).toEqual([]);
  });

  it('verifies Supabase Auth tokens when SUPABASE_JWT_SECRET is set, and then offers no dev sign-in', () => {
    const secret = 'a-supabase-jwt-secret-of-at-least-32-chars';
    const config = readAppConfig(
      { SUPABASE_JWT_SECRET: secret, SUPABASE_URL: 'https://x.supabase.co', SUPABASE_ANON_KEY: 'anon' },
      appDir,
    );
    expect(config.auth).toEqual({
      mode: 'supabase',
      jwtSecret: secret,
      supabaseUrl: 'https://x.supabase.co',
      supabaseAnonKey: 'anon',
    });
    expect(config.devSignInEnabled).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [{ PORT: '70000' }, /PORT must be an integer between 1 and 65535/],
    [{ RELAYKIT_OFFLINE_DELAY_MS: '-1' }, /RELAYKIT_OFFLINE_DELAY_MS/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must use postgres:/],
    [{ OPENAI_BASE_URL: 'not a url' }, /OPENAI_BASE_URL is not a valid URL/],
    [{ RELAYKIT_ENABLE_DEV_SIGN_IN: 'maybe' }, /RELAYKIT_ENABLE_DEV_SIGN_IN must be 1 or 0/],
    [{ RELAYKIT_DEV_JWT_SECRET: 'short' }, /at least 32 characters/],
    [{ SUPABASE_JWKS_URL: 'ftp://x/jwks.json' }, /SUPABASE_JWKS_URL must use http: or https:/],
  ])('refuses %o with a configuration error', (env, message) => {
    expect(() => readAppConfig(env, appDir)).toThrow(message);
    try {
      readAppConfig(env, appDir);
    } catch (error) {
      expect((error as { code?: string }).code).toBe('configuration');
    }
  });

  it('never puts a secret into an error message', () => {
    expect(() => readAppConfig({ RELAYKIT_DEV_JWT_SECRET: 'tiny-secret' }, appDir)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('tiny-secret') }),
    );
  });
});
