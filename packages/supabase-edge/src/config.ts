import {
  createDeferredAuthenticator,
  parseRelayKitEnvironment,
  type RelayKitConfig,
  type RequestAuthenticator,
} from '@relaykit/agent-core/http';
import { ConfigurationError, type RelayKitError } from '@relaykit/sse-protocol';

/** What `Deno.env` offers (and all this package needs of it). */
export interface EdgeEnvironment {
  get(name: string): string | undefined;
}

/** RelayKit configuration for an Edge Function. */
export interface EdgeConfig extends RelayKitConfig {
  /** From `ALLOWED_ORIGINS` (comma separated, or `*`); empty when unset (browsers are refused, servers are not). */
  cors: { allowedOrigins: string[] | '*' };
  /** `RELAYKIT_TRUST_PLATFORM_JWT=true`: the function runs with `verify_jwt = true`, so the platform checked the signature. */
  trustPlatformJwt: boolean;
  /**
   * `OPENAI_KEY_SOURCE`: `env` (default) uses `OPENAI_API_KEY`; `vault` looks the key up in Supabase Vault per user
   * (`createVaultApiKeyResolver`), with `OPENAI_API_KEY`, when set, as the fallback.
   */
  openaiKeySource: OpenAIKeySource;
}

/** Where an Edge Function takes its OpenAI key from. */
export type OpenAIKeySource = 'env' | 'vault';

/**
 * Reads the configuration from `Deno.env` (or any `{ get(name) }`): the variables of `readRelayKitConfig`
 * (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `SUPABASE_URL`, `SUPABASE_ANON_KEY`, `SUPABASE_SERVICE_ROLE_KEY`,
 * `SUPABASE_JWT_SECRET`, `DATABASE_URL` falling back to the platform's `SUPABASE_DB_URL`, `REDIS_URL`), plus
 * `ALLOWED_ORIGINS`, `RELAYKIT_TRUST_PLATFORM_JWT` and `OPENAI_KEY_SOURCE` (`env` or `vault`). Missing values are
 * absent, never errors; an `OPENAI_KEY_SOURCE` other than `env` or `vault` throws a `ConfigurationError`.
 */
export function readEdgeConfig(env?: EdgeEnvironment): EdgeConfig {
  const source = env ?? denoEnvironment();
  const read = (name: string) => {
    const value = source.get(name);
    if (name === 'DATABASE_URL' && (value === undefined || value.trim() === ''))
      return source.get('SUPABASE_DB_URL');
    return value;
  };
  const origins = (source.get('ALLOWED_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter((origin) => origin !== '');
  return {
    ...parseRelayKitEnvironment(read),
    cors: { allowedOrigins: origins.includes('*') ? '*' : origins },
    trustPlatformJwt: source.get('RELAYKIT_TRUST_PLATFORM_JWT')?.trim().toLowerCase() === 'true',
    openaiKeySource: keySource(source.get('OPENAI_KEY_SOURCE')),
  };
}

function keySource(value: string | undefined): OpenAIKeySource {
  const normalized = (value ?? '').trim().toLowerCase();
  if (normalized === '' || normalized === 'env') return 'env';
  if (normalized === 'vault') return 'vault';
  throw new ConfigurationError(
    `OPENAI_KEY_SOURCE must be env or vault (got ${JSON.stringify(value?.slice(0, 40))})`,
  );
}

/** `Deno.env`, or an empty environment outside Deno. */
function denoEnvironment(): EdgeEnvironment {
  return (globalThis as { Deno?: { env: EdgeEnvironment } }).Deno?.env ?? { get: () => undefined };
}

/** What a request gets while neither `SUPABASE_JWT_SECRET`, `SUPABASE_URL` nor the platform JWT check is set. */
export const MISSING_EDGE_AUTH_MESSAGE =
  'RelayKit is not configured: set SUPABASE_JWT_SECRET (or SUPABASE_URL for its JWKS, or RELAYKIT_TRUST_PLATFORM_JWT=true with verify_jwt) to verify callers.';

/** Options of {@link createEnvironmentAuthenticator}. */
export interface EnvironmentAuthenticatorOptions {
  /** The environment to read at the first request. Default `Deno.env`. */
  env?: EdgeEnvironment;
  /** Where the `configuration` error of a request is reported. Default `console.error` (the function's logs). */
  onConfigurationError?: (error: RelayKitError) => void;
}

/**
 * The `auth` of `createEdgeHandler` from `Deno.env`, read at the first request, not when the function boots:
 * `RELAYKIT_TRUST_PLATFORM_JWT=true` trusts the platform's `verify_jwt` (claims still checked), else
 * `SUPABASE_JWT_SECRET`, else the JWKS of `SUPABASE_URL`. While none is set, each request answers 500
 * `configuration` with {@link MISSING_EDGE_AUTH_MESSAGE}, logged with `console.error`.
 */
export function createEnvironmentAuthenticator(
  options: EnvironmentAuthenticatorOptions = {},
): RequestAuthenticator {
  return createDeferredAuthenticator({
    resolve: () => {
      const config = readEdgeConfig(options.env ?? denoEnvironment());
      return config.trustPlatformJwt ? { trustPlatformVerification: true } : config.auth;
    },
    missing: MISSING_EDGE_AUTH_MESSAGE,
    onConfigurationError:
      options.onConfigurationError ?? ((error) => console.error(`[relaykit] ${error.message}`)),
  });
}
