import { isAbsolute, join, resolve } from 'node:path';
import { ConfigurationError } from '@relaykit/sse-protocol';

/** The fixed user id of the seeded demo user (Ada, from `supabase/seed.sql`). */
export const DEMO_USER_ID = '00000000-0000-4000-8000-00000000a0a0';
/** The demo user's e-mail (from `supabase/seed.sql`). */
export const DEMO_USER_EMAIL = 'ada@relaykit.dev';
/** The development-only JWT secret used when `RELAYKIT_DEV_JWT_SECRET` is not set. Never use it in production. */
export const DEFAULT_DEV_JWT_SECRET = 'relaykit-development-only-secret-do-not-use-in-production';
/** Default per-chunk delay of the offline script's long reply, in milliseconds. */
export const DEFAULT_OFFLINE_DELAY_MS = 60;

/** How users sign in. */
export type AuthConfig =
  | {
      /**
       * Supabase Auth issues the tokens; the app verifies them with the project's HS256 JWT secret, or with its
       * JWKS (`SUPABASE_JWKS_URL`, asymmetric signing keys) when no secret is set.
       */
      mode: 'supabase';
      jwtSecret?: string;
      jwksUrl?: string;
      supabaseUrl?: string;
      supabaseAnonKey?: string;
    }
  | {
      /** The development sign-in mints tokens for the seeded demo user with a dev-only secret. */
      mode: 'development';
      jwtSecret: string;
    };

/** The app's configuration, read from the environment at request time (one build serves every configuration). */
export interface AppConfig {
  port: number;
  /** Where PGlite and image files live. */
  dataDir: string;
  /** Postgres instead of PGlite when set. */
  databaseUrl?: string;
  /** Apply Supabase's platform SQL (roles, `auth` schema) to `databaseUrl` at startup: for a plain local Postgres. */
  bootstrapSupabasePlatform: boolean;
  /** The OpenAI key; unset means the offline demo model. */
  openAIApiKey?: string;
  /** Any OpenAI-compatible server (ignored in offline mode). */
  openAIBaseURL?: string;
  /** True when no key is set: the in-process fake OpenAI server answers with the offline script. */
  offline: boolean;
  /** Per-chunk delay of the offline long reply. */
  offlineDelayMs: number;
  auth: AuthConfig;
  /** Whether `/api/dev/sign-in` may mint sessions. */
  devSignInEnabled: boolean;
  /** `NEXT_PUBLIC_CHATKIT_DOMAIN_KEY`: enables the official ChatKit web component option. */
  chatKitDomainKey?: string;
  /** Loud warnings about risky settings, logged once when the runtime starts (see {@link DEV_SECRET_WARNING}). */
  warnings: string[];
}

/** Logged when production serves the development sign-in with the public default secret. */
export const DEV_SECRET_WARNING =
  'WARNING: development sign-in enabled: anyone can sign tokens with the dev secret unless RELAYKIT_DEV_JWT_SECRET is set.';

type Environment = Record<string, string | undefined>;

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

function parseInteger(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ConfigurationError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  return value;
}

function parseFlag(env: Environment, name: string): boolean {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return false;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigurationError(`${name} must be 1 or 0, got "${raw}"`);
}

function parseUrl(env: Environment, name: string, protocols: string[]): string | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new ConfigurationError(`${name} is not a valid URL`, { cause });
  }
  if (!protocols.includes(url.protocol))
    throw new ConfigurationError(`${name} must use ${protocols.join(' or ')}, got ${url.protocol}`);
  return raw;
}

/**
 * Reads the app's configuration from `env` (default `process.env`). Invalid values throw `ConfigurationError`
 * (code `configuration`) naming the variable; secrets never appear in messages.
 */
export function readAppConfig(env: Environment = process.env, appDir: string = process.cwd()): AppConfig {
  const dataDirRaw = nonEmpty(env.RELAYKIT_DATA_DIR);
  const dataDir = dataDirRaw
    ? isAbsolute(dataDirRaw)
      ? dataDirRaw
      : resolve(appDir, dataDirRaw)
    : join(appDir, '.data');
  const openAIApiKey = nonEmpty(env.OPENAI_API_KEY);
  const openAIBaseURL = parseUrl(env, 'OPENAI_BASE_URL', ['http:', 'https:']);
  const databaseUrl = parseUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const supabaseJwtSecret = nonEmpty(env.SUPABASE_JWT_SECRET);
  const supabaseJwksUrl = parseUrl(env, 'SUPABASE_JWKS_URL', ['http:', 'https:']);
  const supabaseUrl = parseUrl(env, 'SUPABASE_URL', ['http:', 'https:']);
  const supabaseAnonKey = nonEmpty(env.SUPABASE_ANON_KEY);
  const auth: AuthConfig =
    supabaseJwtSecret || supabaseJwksUrl
      ? {
          mode: 'supabase',
          ...(supabaseJwtSecret ? { jwtSecret: supabaseJwtSecret } : { jwksUrl: supabaseJwksUrl }),
          ...(supabaseUrl ? { supabaseUrl } : {}),
          ...(supabaseAnonKey ? { supabaseAnonKey } : {}),
        }
      : { mode: 'development', jwtSecret: nonEmpty(env.RELAYKIT_DEV_JWT_SECRET) ?? DEFAULT_DEV_JWT_SECRET };
  if (auth.jwtSecret !== undefined && auth.jwtSecret.length < 32)
    throw new ConfigurationError('the JWT secret must be at least 32 characters long');
  const production = env.NODE_ENV === 'production';
  const enableDevSignIn = parseFlag(env, 'RELAYKIT_ENABLE_DEV_SIGN_IN');
  const publicSecret = auth.mode === 'development' && auth.jwtSecret === DEFAULT_DEV_JWT_SECRET;
  // The default dev secret is in the source: in production it would let anyone mint a valid session.
  if (production && publicSecret && !enableDevSignIn)
    throw new ConfigurationError(
      'NODE_ENV=production needs Supabase Auth (SUPABASE_JWT_SECRET) or your own RELAYKIT_DEV_JWT_SECRET; set RELAYKIT_ENABLE_DEV_SIGN_IN=1 to run the development sign-in with the public default secret anyway (demos only)',
    );
  const chatKitDomainKey = nonEmpty(env.NEXT_PUBLIC_CHATKIT_DOMAIN_KEY);
  return {
    port: parseInteger(env, 'PORT', 3000, 1, 65_535),
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    bootstrapSupabasePlatform: parseFlag(env, 'RELAYKIT_BOOTSTRAP_SUPABASE_PLATFORM'),
    ...(openAIApiKey ? { openAIApiKey } : {}),
    ...(openAIBaseURL ? { openAIBaseURL } : {}),
    offline: openAIApiKey === undefined,
    offlineDelayMs: parseInteger(env, 'RELAYKIT_OFFLINE_DELAY_MS', DEFAULT_OFFLINE_DELAY_MS, 0, 10_000),
    auth,
    devSignInEnabled: auth.mode === 'development' && (!production || enableDevSignIn),
    ...(chatKitDomainKey ? { chatKitDomainKey } : {}),
    warnings: production && publicSecret ? [DEV_SECRET_WARNING] : [],
  };
}
