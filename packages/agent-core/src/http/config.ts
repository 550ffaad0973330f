import type { JwtVerificationOptions } from './auth';

/** Reads one environment variable; adapters pass a reader over the Node or Deno environment. */
export type EnvironmentReader = (name: string) => string | undefined;

/** The environment variables RelayKit adapters read. */
export const RELAYKIT_ENV_NAMES = [
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'SUPABASE_URL',
  'SUPABASE_ANON_KEY',
  'SUPABASE_SERVICE_ROLE_KEY',
  'SUPABASE_JWT_SECRET',
  'DATABASE_URL',
  'REDIS_URL',
] as const;

/** Which database backend the configuration selects. */
export type DatabaseKind = 'pglite' | 'postgres' | 'supabase';

/** Typed configuration parsed from the environment. Missing values are absent, never errors here. */
export interface RelayKitConfig {
  openai: { apiKey?: string; baseURL?: string };
  supabase?: {
    url: string;
    anonKey?: string;
    serviceRoleKey?: string;
    jwtSecret?: string;
    /** `${url}/auth/v1/.well-known/jwks.json`, for projects on asymmetric signing keys. */
    jwksUrl: string;
  };
  /**
   * `postgres` when `DATABASE_URL` is set; otherwise `supabase` when `SUPABASE_URL` and
   * `SUPABASE_SERVICE_ROLE_KEY` are set; otherwise the embedded `pglite` default.
   */
  database: DatabaseKind;
  databaseUrl?: string;
  redisUrl?: string;
  /**
   * How to verify user tokens: the JWT secret when set, else the project's JWKS when `SUPABASE_URL` is set,
   * else absent (routes that need auth then refuse to start).
   */
  auth?: JwtVerificationOptions;
}

/**
 * Parses RelayKit's environment variables through `read` (blank values count as absent). Pure: the adapters
 * are the only callers that touch the process environment.
 */
export function parseRelayKitEnvironment(read: EnvironmentReader): RelayKitConfig {
  const get = (name: string): string | undefined => {
    const value = read(name)?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const config: RelayKitConfig = { openai: {}, database: 'pglite' };
  const apiKey = get('OPENAI_API_KEY');
  const baseURL = get('OPENAI_BASE_URL');
  if (apiKey !== undefined) config.openai.apiKey = apiKey;
  if (baseURL !== undefined) config.openai.baseURL = baseURL;
  const supabaseUrl = get('SUPABASE_URL');
  if (supabaseUrl !== undefined) {
    const url = supabaseUrl.replace(/\/+$/, '');
    const supabase: NonNullable<RelayKitConfig['supabase']> = {
      url,
      jwksUrl: `${url}/auth/v1/.well-known/jwks.json`,
    };
    const anonKey = get('SUPABASE_ANON_KEY');
    const serviceRoleKey = get('SUPABASE_SERVICE_ROLE_KEY');
    if (anonKey !== undefined) supabase.anonKey = anonKey;
    if (serviceRoleKey !== undefined) supabase.serviceRoleKey = serviceRoleKey;
    config.supabase = supabase;
  }
  const jwtSecret = get('SUPABASE_JWT_SECRET');
  if (jwtSecret !== undefined) {
    if (config.supabase) config.supabase.jwtSecret = jwtSecret;
    config.auth = { jwtSecret };
  } else if (config.supabase) {
    config.auth = { jwksUrl: config.supabase.jwksUrl };
  }
  const databaseUrl = get('DATABASE_URL');
  const redisUrl = get('REDIS_URL');
  if (redisUrl !== undefined) config.redisUrl = redisUrl;
  if (databaseUrl !== undefined) {
    config.database = 'postgres';
    config.databaseUrl = databaseUrl;
  } else if (config.supabase?.serviceRoleKey !== undefined) {
    config.database = 'supabase';
  }
  return config;
}
