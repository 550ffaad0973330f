/**
 * The app's stores on real Postgres (DATABASE_URL): migrations applied at startup, idempotently, on a database with
 * Supabase's platform SQL; the dashboard's per-user daily stats (the tracker's `usage_user_daily_stats`) against real
 * rows. Skips with a printed reason when no Postgres is running (CI sets RELAYKIT_REQUIRE_SERVICES=1, so it never skips
 * there).
 */

import { createTestDatabase, postgresAvailability, type TestDatabase } from '@relaykit/testing/postgres';
import { createPriceTable, createUsageRecorder, usageFromResponses } from '@relaykit/usage-tracker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAppConfig } from '../src/server/config';
import { type AppStores, openAppStores } from '../src/server/stores';

const pg = await postgresAvailability();

describe.skipIf(!pg.available)('the app on Postgres', () => {
  let db: TestDatabase;
  let stores: AppStores;
  beforeAll(async () => {
    db = await createTestDatabase();
    const config = readAppConfig({ DATABASE_URL: db.url, RELAYKIT_BOOTSTRAP_SUPABASE_PLATFORM: '1' });
    // Twice: a restart re-applies the platform SQL and every migration without error.
    await (await openAppStores(config)).close();
    stores = await openAppStores(config);
  });
  afterAll(async () => {
    await stores?.close();
    await db?.close();
  });

  it('opens the Postgres drivers with row-level security for the signed-in user', async () => {
    expect(stores.kind).toBe('postgres');
    const owner = { userId: crypto.randomUUID() };
    const thread = {
      id: stores.chatkit.generateThreadId(owner),
      created_at: new Date().toISOString(),
      status: { type: 'active' as const },
      metadata: {},
    };
    await stores.chatkit.saveThread(thread, owner);
    expect((await stores.chatkit.loadThreads(10, null, 'desc', owner)).data.map((t) => t.id)).toEqual([
      thread.id,
    ]);
    expect(
      (await stores.chatkit.loadThreads(10, null, 'desc', { userId: crypto.randomUUID() })).data,
    ).toEqual([]);
  });

  it('sums the caller’s own calls per day, never another user’s', async () => {
    const recorder = createUsageRecorder({ store: stores.usage, prices: createPriceTable() });
    const ada = crypto.randomUUID();
    const ben = crypto.randomUUID();
    const usage = usageFromResponses({
      input_tokens: 100,
      output_tokens: 20,
      total_tokens: 120,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens_details: { reasoning_tokens: 0 },
    });
    await recorder.recordUsage({
      userId: ada,
      kind: 'chat',
      model: 'gpt-4.1-mini',
      usage,
      requestId: `a-${ada}`,
    });
    await recorder.recordUsage({
      userId: ada,
      kind: 'chat',
      model: 'unknown-model',
      usage,
      requestId: `b-${ada}`,
    });
    await recorder.recordUsage({
      userId: ben,
      kind: 'chat',
      model: 'gpt-4.1-mini',
      usage,
      requestId: `c-${ben}`,
    });
    const now = new Date();
    const range = { from: new Date(now.getTime() - 86_400_000), to: new Date(now.getTime() + 60_000) };
    const days = await recorder.getDailyStats(range, { userId: ada });
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject({
      day: now.toISOString().slice(0, 10),
      requests: 2,
      users: 1,
      promptTokens: 200,
      completionTokens: 40,
      totalTokens: 240,
      unpricedRequests: 1,
      failedRequests: 0,
    });
    expect(days[0]!.costMicros).toBeGreaterThan(0);
    expect(await recorder.getDailyStats(range, { userId: crypto.randomUUID() })).toEqual([]);
  });
});
