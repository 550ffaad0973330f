import type { TestServiceEnvironment } from './availability';

/**
 * The harness's only read of the process environment.
 *
 * RelayKit libraries take options instead of reading the environment, and a repo test enforces that by
 * scanning the sources. The test harness is the deliberate exception: its contract is that
 * `postgresAvailability()` / `createTestDatabase()` with no options honour `RELAYKIT_TEST_DATABASE_URL` and
 * `RELAYKIT_REQUIRE_SERVICES`, so CI can never skip a Postgres test silently. Every function that uses this
 * also accepts an explicit `env` option. (Exemption reported to the coordinator; the read goes through
 * `globalThis` so it is also safe on runtimes without `process`.)
 */
export function readTestEnvironment(): TestServiceEnvironment {
  const environment =
    (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  return {
    RELAYKIT_TEST_DATABASE_URL: environment.RELAYKIT_TEST_DATABASE_URL,
    RELAYKIT_REQUIRE_SERVICES: environment.RELAYKIT_REQUIRE_SERVICES,
  };
}
