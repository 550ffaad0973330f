import { parseRelayKitEnvironment, type RelayKitConfig } from '@relaykit/agent-core';

/**
 * Reads RelayKit's configuration from the environment: `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `SUPABASE_URL`,
 * `SUPABASE_ANON_KEY`, `SUPABASE_SERVICE_ROLE_KEY`, `SUPABASE_JWT_SECRET`, `DATABASE_URL`, `REDIS_URL`.
 * The only place this package reads the environment. Missing keys are absent, not errors; with no database
 * variable set, `database` is the embedded `'pglite'` default.
 */
export function readRelayKitConfig(
  env: Record<string, string | undefined> = globalThis.process?.env ?? {},
): RelayKitConfig {
  return parseRelayKitEnvironment((name) => env[name]);
}
