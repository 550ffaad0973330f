import { expect, it } from 'vitest';
import * as api from './postgres';

it('pins the exported names of @relaykit/testing/postgres', () => {
  expect(Object.keys(api).sort()).toEqual([
    'DEFAULT_TEST_DATABASE_URL',
    'SUPABASE_PLATFORM_SQL',
    'TestServiceUnavailableError',
    'createPGliteTestDatabase',
    'createTestDatabase',
    'postgresAvailability',
    'redactUrl',
    'startRefusingPostgres',
    'testDatabaseUrl',
    'unreachablePostgresUrl',
  ]);
});
