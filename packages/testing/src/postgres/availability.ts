import { readTestEnvironment } from './environment';
import { TestServiceUnavailableError } from './errors';

/** The server tests use when `RELAYKIT_TEST_DATABASE_URL` is not set. */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The environment variables the harness reads (by default from the process environment). */
export interface TestServiceEnvironment {
  RELAYKIT_TEST_DATABASE_URL?: string | undefined;
  RELAYKIT_REQUIRE_SERVICES?: string | undefined;
}

/** Options of {@link postgresAvailability}. */
export interface PostgresAvailabilityOptions {
  /** Server to probe; defaults to `env.RELAYKIT_TEST_DATABASE_URL`, then {@link DEFAULT_TEST_DATABASE_URL}. */
  url?: string;
  /** Where to read `RELAYKIT_TEST_DATABASE_URL` and `RELAYKIT_REQUIRE_SERVICES`; defaults to the process environment. */
  env?: TestServiceEnvironment;
  /** Connect timeout in milliseconds. Default 3000. */
  timeoutMs?: number;
  /** Where the skip reason is printed. Default `console.warn`. */
  log?: (message: string) => void;
}

/** The answer of {@link postgresAvailability}. */
export type PostgresAvailability = { available: true; url: string } | { available: false; reason: string };

/** The test database server URL from the environment (or the default). */
export function testDatabaseUrl(env: TestServiceEnvironment = readTestEnvironment()): string {
  const url = env.RELAYKIT_TEST_DATABASE_URL;
  return url !== undefined && url !== '' ? url : DEFAULT_TEST_DATABASE_URL;
}

/** A URL with its password replaced, safe to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable database url>';
  }
}

/**
 * Probes the test Postgres server once (`select 1`). Call it at the top level of a test file and
 * `describe.skipIf(!pg.available)`: when the server is unreachable it resolves `{ available: false, reason }`
 * and prints the reason, unless `RELAYKIT_REQUIRE_SERVICES=1`, where it throws
 * {@link TestServiceUnavailableError} so CI can never silently skip.
 */
export async function postgresAvailability(
  options: PostgresAvailabilityOptions = {},
): Promise<PostgresAvailability> {
  const env = options.env ?? readTestEnvironment();
  const url = options.url ?? testDatabaseUrl(env);
  const log = options.log ?? ((message: string) => console.warn(message));
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, {
    max: 1,
    connect_timeout: Math.max(1, Math.ceil((options.timeoutMs ?? 3000) / 1000)),
    onnotice: () => {},
  });
  try {
    await sql`select 1`;
    return { available: true, url };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const reason = `Postgres at ${redactUrl(url)} is unreachable (${detail || 'connection failed'}); set RELAYKIT_TEST_DATABASE_URL or start PostgreSQL.`;
    if (env.RELAYKIT_REQUIRE_SERVICES === '1') {
      throw new TestServiceUnavailableError(`${reason} RELAYKIT_REQUIRE_SERVICES=1 forbids skipping.`, {
        cause: error,
      });
    }
    log(`[relaykit] skipping Postgres tests: ${reason}`);
    return { available: false, reason };
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}
