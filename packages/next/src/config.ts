import {
  createDeferredAuthenticator,
  parseRelayKitEnvironment,
  type RelayKitConfig,
  type RequestAuthenticator,
} from '@relaykit/agent-core/http';
import type { RelayKitError } from '@relaykit/sse-protocol';

/** The environment this package reads: `process.env` unless given. */
type Environment = Record<string, string | undefined>;

const processEnvironment = (): Environment => globalThis.process?.env ?? {};

/**
 * Reads RelayKit's configuration from the environment: `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `SUPABASE_URL`,
 * `SUPABASE_ANON_KEY`, `SUPABASE_SERVICE_ROLE_KEY`, `SUPABASE_JWT_SECRET`, `DATABASE_URL`, `REDIS_URL`.
 * The only place this package reads the environment. Missing keys are absent, not errors; with no database
 * variable set, `database` is the embedded `'pglite'` default. Never throws, so it is safe at module load.
 */
export function readRelayKitConfig(env: Environment = processEnvironment()): RelayKitConfig {
  return parseRelayKitEnvironment((name) => env[name]);
}

/** What a request gets while `SUPABASE_JWT_SECRET` and `SUPABASE_URL` are both missing (client-safe). */
export const MISSING_AUTH_MESSAGE =
  'RelayKit is not configured: set SUPABASE_JWT_SECRET (or SUPABASE_URL for its JWKS) to verify callers.';

/** Options of {@link createEnvironmentAuthenticator}. */
export interface EnvironmentAuthenticatorOptions {
  /** The environment to read at the first request. Default `process.env`. */
  env?: Environment;
  /** Where the `configuration` error of a request is reported. Default `console.error` (server-side log). */
  onConfigurationError?: (error: RelayKitError) => void;
}

/**
 * The `auth` of a route from the environment, read at the first request (`readRelayKitConfig().auth`: the
 * `SUPABASE_JWT_SECRET`, else the JWKS of `SUPABASE_URL`), not at module load: `next build` needs no secrets. While
 * neither is set, each request answers 500 `configuration` with {@link MISSING_AUTH_MESSAGE}, logged server-side.
 */
export function createEnvironmentAuthenticator(
  options: EnvironmentAuthenticatorOptions = {},
): RequestAuthenticator {
  return createDeferredAuthenticator({
    resolve: () => readRelayKitConfig(options.env ?? processEnvironment()).auth,
    missing: MISSING_AUTH_MESSAGE,
    onConfigurationError:
      options.onConfigurationError ?? ((error) => console.error(`[relaykit] ${error.message}`)),
  });
}
