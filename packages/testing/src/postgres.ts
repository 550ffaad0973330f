/**
 * `@relaykit/testing/postgres`: a Supabase-shaped Postgres harness for tests.
 *
 * `createTestDatabase()` gives each test file a fresh database on a real Postgres server;
 * `createPGliteTestDatabase()` gives an embedded PGlite. Both install {@link SUPABASE_PLATFORM_SQL}
 * (roles `anon`/`authenticated`/`service_role`, `auth.uid()`/`auth.role()`/`auth.jwt()` reading
 * `request.jwt.claims`, Supabase's default privileges) and run code as a user, as anon or as the service role.
 */
export {
  DEFAULT_TEST_DATABASE_URL,
  type PostgresAvailability,
  type PostgresAvailabilityOptions,
  postgresAvailability,
  redactUrl,
  type TestServiceEnvironment,
  testDatabaseUrl,
} from './postgres/availability';
export { TestServiceUnavailableError } from './postgres/errors';
export {
  type CreatePGliteTestDatabaseOptions,
  createPGliteTestDatabase,
  type PGliteTestDatabase,
} from './postgres/pglite';
export { SUPABASE_PLATFORM_SQL, type SupabaseRole } from './postgres/platform-sql';
export {
  type RefusingPostgres,
  type RefusingPostgresOptions,
  startRefusingPostgres,
  unreachablePostgresUrl,
} from './postgres/refusing-server';
export {
  type AsUserOptions,
  type CreateTestDatabaseOptions,
  createTestDatabase,
  type TestDatabase,
} from './postgres/test-database';
