import {
  createTestDatabase,
  postgresAvailability,
  startRefusingPostgres,
  type TestDatabase,
  unreachablePostgresUrl,
} from '@relaykit/testing/postgres';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { burstFromTwoInstances } from '../../test/two-instances';
import { createPriceTable } from '../prices';
import { createRateLimiter, fixedWindow } from '../rate-limiter';
import { createUsageRecorder } from '../recorder';
import { budgetStoreContract, rateLimitStoreContract, usageStoreContract } from '../testing';
import { createUsage, usageFromChatCompletions } from '../usage';
import { createPostgresStores, migratePostgres, type PostgresUsageStores } from './postgres';

const pg = await postgresAvailability();
const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';

describe('a database that is down', () => {
  it('answers store_unavailable, retryable, naming no host or port (closed port, 57P03 starting up)', async () => {
    const refusing = await startRefusingPostgres();
    try {
      for (const url of [await unreachablePostgresUrl(), refusing.url]) {
        const sql = postgres(url, { max: 1, connect_timeout: 30, onnotice: () => {} });
        try {
          const error = await createPostgresStores({ sql })
            .usage.summary(ALICE, { from: new Date(0), to: new Date() })
            .catch((caught: Error) => caught);
          expect(error).toMatchObject({ code: 'store_unavailable', retryable: true, retryAfterMs: 1000 });
          expect((error as Error).message).not.toContain(new URL(url).port);
        } finally {
          await sql.end({ timeout: 1 });
        }
      }
    } finally {
      await refusing.close();
    }
  });
});

describe.skipIf(!pg.available)('Postgres driver (real Postgres with Supabase roles)', () => {
  let db: TestDatabase;
  let stores: PostgresUsageStores;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migratePostgres(db.sql);
    await migratePostgres(db.sql); // idempotent
    stores = createPostgresStores({ sql: db.sql });
  });
  afterAll(async () => {
    await db?.close();
  });

  describe('contracts', () => {
    for (const check of rateLimitStoreContract(() => stores.rateLimits)) it(check.name, check.run);
    for (const check of budgetStoreContract(() => stores.budgets)) it(check.name, check.run);
    for (const check of usageStoreContract(() => stores.usage)) it(check.name, check.run);
  });

  it('widens the type check for transcription (0004) and still refuses an unknown kind', async () => {
    const [check] = await db.sql<{ definition: string }[]>`
      select pg_get_constraintdef(oid) as definition from pg_constraint
      where conrelid = 'public.openai_usage'::regclass and conname = 'openai_usage_type_check'`;
    expect(check?.definition).toContain("'transcription'::text");
    const row = {
      userId: crypto.randomUUID(),
      model: 'whisper-1',
      promptTokens: 0,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      completionTokens: 0,
      reasoningTokens: 0,
      images: 0,
      requests: 1,
      costMicros: 3_000,
    };
    await expect(stores.usage.insert({ ...row, kind: 'transcription' })).resolves.toMatchObject({
      duplicate: false,
    });
    const refused = await stores.usage.insert({ ...row, kind: 'speech' as never }).catch((error) => error);
    expect(refused).toMatchObject({ code: 'invalid_request', details: { sqlState: '23514' } });
    expect(refused.cause.constraint_name).toBe('openai_usage_type_check');
  });

  it('makes one round trip (one statement) per decision', async () => {
    let statements = 0;
    const counted = postgres(db.url, { max: 1, onnotice: () => {}, debug: () => void statements++ });
    try {
      const limiter = createRateLimiter({
        store: createPostgresStores({ sql: counted }).rateLimits,
        algorithm: fixedWindow(5, '1m'),
        onStoreFailure: 'deny',
      });
      await limiter.limit('warm');
      statements = 0;
      for (let index = 0; index < 7; index++) await limiter.limit('round-trips');
      expect(statements).toBe(7);
    } finally {
      await counted.end();
    }
  });

  it('admits exactly 10 of 200 simultaneous calls made from two separate processes', async () => {
    const key = `proof:${crypto.randomUUID()}`;
    const [first, second] = await burstFromTwoInstances('postgres', db.url, key, 100);
    expect(first!.failures + second!.failures).toBe(0);
    expect(first!.admitted + second!.admitted).toBe(10);
    expect(first!.denied + second!.denied).toBe(190);
  });

  it('decides with the database clock, whatever the caller clock says', async () => {
    const limiter = createRateLimiter({
      store: stores.rateLimits,
      algorithm: fixedWindow(1, '1 h'),
      onStoreFailure: 'deny',
    });
    const [{ now }] = await db.sql<[{ now: Date }]>`select clock_timestamp() as now`;
    vi.useFakeTimers({ now: Date.UTC(2001, 0, 1), toFake: ['Date'] });
    try {
      await limiter.limit('skew');
      const denied = await limiter.limit('skew');
      const hour = 3_600_000;
      expect(denied.reset).toBe((Math.floor(now.getTime() / hour) + 1) * hour); // the database's hour, not 2001's
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects a key longer than 256 bytes in SQL too', async () => {
    await expect(
      stores.rateLimits.consume({
        key: 'k'.repeat(257),
        algorithm: 'fixed_window',
        limit: 1,
        windowMs: 1_000,
        cost: 1,
      }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('reports an unreachable database as store_unavailable and follows the policy', async () => {
    const down = postgres('postgres://postgres@127.0.0.1:1/none', { connect_timeout: 2, max: 1 });
    const errors: unknown[] = [];
    const limiter = createRateLimiter({
      store: createPostgresStores({ sql: down }).rateLimits,
      algorithm: fixedWindow(1, 1_000),
      onStoreFailure: 'deny',
      onError: (error) => errors.push(error),
    });
    const result = await limiter.limit('k');
    expect(result).toMatchObject({ success: false, storeError: { code: 'store_unavailable' } });
    expect(errors).toHaveLength(1);
    await down.end();
  });

  describe('row level security', () => {
    beforeAll(async () => {
      const recorder = createUsageRecorder({ store: stores.usage, prices: createPriceTable() });
      const usage = usageFromChatCompletions({ prompt_tokens: 100, completion_tokens: 20 });
      await recorder.recordUsage({ userId: ALICE, kind: 'chat', model: 'gpt-4o-mini', usage });
      await recorder.recordUsage({
        userId: ALICE,
        kind: 'image',
        model: 'dall-e-3',
        usage: {
          ...createUsage({ requests: 1 }),
          images: [{ size: '1024x1024', quality: 'standard', count: 1 }],
        },
      });
      await recorder.recordUsage({ userId: BOB, kind: 'chat', model: 'gpt-4o-mini', usage });
    });

    it('a user reads only their own rows, summary and daily stats', async () => {
      const rows = await db.asUser(
        ALICE,
        (tx) => tx`select user_id, estimated_cost from public.openai_usage`,
      );
      expect(rows.map((row) => row.user_id)).toEqual([ALICE, ALICE]);
      const summary = await db.asUser(ALICE, (tx) => tx`select * from public.openai_usage_summary`);
      expect(summary).toHaveLength(1);
      expect(summary[0]).toMatchObject({
        user_id: ALICE,
        chat_requests: '1',
        image_requests: '1',
        cost_micros: '40027',
        estimated_cost: '0.040027',
      });
      const daily = await db.asUser(
        ALICE,
        (tx) =>
          tx`select requests from public.usage_daily_stats(now() - interval '1 day', now() + interval '1 day')`,
      );
      expect(daily).toEqual([{ requests: '2' }]);
      const bobSeesAlice = await db.asUser(
        BOB,
        (tx) =>
          tx`select * from public.usage_summary(${ALICE}, now() - interval '1 day', now() + interval '1 day')`,
      );
      expect(bobSeesAlice).toEqual([]);
    });

    it("usage_user_daily_stats (0005): a user reads their own days, never another user's; anon may not call it", async () => {
      const own = await db.asUser(
        ALICE,
        (tx) =>
          tx`select requests, users from public.usage_user_daily_stats(${ALICE}, now() - interval '1 day', now() + interval '1 day')`,
      );
      expect(own).toEqual([{ requests: '2', users: '1' }]);
      const bobAsksForAlice = await db.asUser(
        BOB,
        (tx) =>
          tx`select * from public.usage_user_daily_stats(${ALICE}, now() - interval '1 day', now() + interval '1 day')`,
      );
      expect(bobAsksForAlice).toEqual([]);
      const service = await stores.usage.dailyStats(
        { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000) },
        { userId: BOB },
      );
      expect(service).toEqual([expect.objectContaining({ requests: 1, users: 1 })]);
      await expect(
        db.asAnon(
          (tx) =>
            tx`select * from public.usage_user_daily_stats(${ALICE}, now() - interval '1 day', now() + interval '1 day')`,
        ),
      ).rejects.toThrow(/permission denied/);
    });

    it("usage_recent_errors_v2 (0006): a user finds their own failed request by its id, never another user's; anon may not call it", async () => {
      const carol = crypto.randomUUID();
      const recorder = createUsageRecorder({ store: stores.usage, prices: createPriceTable() });
      await recorder.recordUsage({
        userId: carol,
        kind: 'chat',
        model: 'gpt-4o-mini',
        usage: createUsage({}),
        error: 'Upstream failed.',
        errorCode: 'provider_unavailable',
        metadata: { request_id: 'req_carol_1' },
      });
      const own = await db.asUser(
        carol,
        (tx) =>
          tx`select error_code, request_id from public.usage_recent_errors_v2(${carol}, 10, 'req_carol_1')`,
      );
      expect(own).toEqual([{ error_code: 'provider_unavailable', request_id: 'req_carol_1' }]);
      const bobAsksForCarol = await db.asUser(
        BOB,
        (tx) => tx`select * from public.usage_recent_errors_v2(${carol}, 10, 'req_carol_1')`,
      );
      expect(bobAsksForCarol).toEqual([]);
      await expect(
        db.asAnon((tx) => tx`select * from public.usage_recent_errors_v2(${carol}, 10)`),
      ).rejects.toThrow(/permission denied/);
      // Applying every migration again (as each start does) leaves one function the driver calls unambiguously.
      await migratePostgres(db.sql);
      expect(await stores.usage.recentErrors(carol, 10, { requestId: 'req_carol_1' })).toEqual([
        expect.objectContaining({ code: 'provider_unavailable', requestId: 'req_carol_1' }),
      ]);
    });

    it('users and anon cannot write usage or touch limits and budgets', async () => {
      await expect(
        db.asUser(
          ALICE,
          (tx) => tx`insert into public.openai_usage (user_id, type, model) values (${ALICE}, 'chat', 'x')`,
        ),
      ).rejects.toThrow(/permission denied/);
      await expect(
        db.asUser(ALICE, (tx) => tx`select * from public.usage_rate_limit('k', 'fixed_window', 1, 1000)`),
      ).rejects.toThrow(/permission denied/);
      await expect(
        db.asUser(ALICE, (tx) => tx`select * from public.usage_budget_charge('k', 'day', 1, 1)`),
      ).rejects.toThrow(/permission denied/);
      await expect(db.asAnon((tx) => tx`select * from public.openai_usage`)).rejects.toThrow(
        /permission denied/,
      );
      const asService = await db.asService((tx) => tx`select count(*)::int as n from public.openai_usage`);
      expect(asService[0]!.n).toBeGreaterThanOrEqual(3);
    });
  });
});
