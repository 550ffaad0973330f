import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { redisAvailability } from '../../test/redis';
import { burstFromTwoInstances } from '../../test/two-instances';
import { createRateLimiter, fixedWindow } from '../rate-limiter';
import { budgetStoreContract, rateLimitStoreContract } from '../testing';
import {
  BUDGET_SCRIPT,
  BUDGET_SCRIPT_SHA1,
  createRedisBudgetStore,
  createRedisRateLimitStore,
  RATE_LIMIT_SCRIPT,
  RATE_LIMIT_SCRIPT_SHA1,
} from './redis';

it('pins the SHA-1 of each Lua script to its text', () => {
  expect(createHash('sha1').update(RATE_LIMIT_SCRIPT).digest('hex')).toBe(RATE_LIMIT_SCRIPT_SHA1);
  expect(createHash('sha1').update(BUDGET_SCRIPT).digest('hex')).toBe(BUDGET_SCRIPT_SHA1);
});

const redis = await redisAvailability();

describe.skipIf(!redis.available)('Redis driver (real Redis)', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis((redis as { url: string }).url);
  });
  afterAll(async () => {
    await client.quit();
  });

  for (const check of rateLimitStoreContract(() => createRedisRateLimitStore({ redis: client })))
    it(check.name, check.run);

  for (const check of budgetStoreContract(() => createRedisBudgetStore({ redis: client })))
    it(check.name, check.run);

  it('Redis computes the same SHA-1 for each script (SCRIPT LOAD)', async () => {
    expect(await client.script('LOAD', RATE_LIMIT_SCRIPT)).toBe(RATE_LIMIT_SCRIPT_SHA1);
    expect(await client.script('LOAD', BUDGET_SCRIPT)).toBe(BUDGET_SCRIPT_SHA1);
  });

  it('budget periods are UTC calendar days and months (leap years, year end)', async () => {
    const store = createRedisBudgetStore({ redis: client });
    const charge = (period: 'day' | 'month', at: number) =>
      store.charge({
        key: `periods:${crypto.randomUUID()}`,
        period,
        limitMicros: 10,
        amountMicros: 1,
        force: false,
        periodStart: at,
      });
    for (const [at, start, reset] of [
      [Date.UTC(2024, 1, 29, 13), Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)],
      [Date.UTC(2025, 11, 31, 23, 59), Date.UTC(2025, 11, 1), Date.UTC(2026, 0, 1)],
      [Date.UTC(2000, 0, 1), Date.UTC(2000, 0, 1), Date.UTC(2000, 1, 1)],
      [Date.UTC(2100, 1, 28, 5), Date.UTC(2100, 1, 1), Date.UTC(2100, 2, 1)],
    ] as const)
      expect(await charge('month', at)).toMatchObject({ periodStart: start, reset });
    expect(await charge('day', Date.UTC(2026, 10, 23, 17, 5))).toMatchObject({
      periodStart: Date.UTC(2026, 10, 23),
      reset: Date.UTC(2026, 10, 24),
    });
  });

  it('reloads the script after SCRIPT FLUSH (NOSCRIPT) without losing the decision', async () => {
    const store = createRedisRateLimitStore({ redis: client });
    await client.script('FLUSH');
    const decision = await store.consume({
      key: `flush:${crypto.randomUUID()}`,
      algorithm: 'fixed_window',
      limit: 2,
      windowMs: 1_000,
      cost: 1,
    });
    expect(decision).toMatchObject({ success: true, remaining: 1 });
  });

  it('expires keys when their state no longer matters', async () => {
    const key = `ttl:${crypto.randomUUID()}`;
    await createRedisRateLimitStore({ redis: client }).consume({
      key,
      algorithm: 'fixed_window',
      limit: 1,
      windowMs: 60_000,
      cost: 1,
    });
    const ttl = await client.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('admits exactly 10 of 200 simultaneous calls made from two separate processes', async () => {
    const key = `proof:${crypto.randomUUID()}`;
    const [first, second] = await burstFromTwoInstances('redis', (redis as { url: string }).url, key, 100);
    expect(first!.failures + second!.failures).toBe(0);
    expect(first!.admitted + second!.admitted).toBe(10);
    expect(first!.denied + second!.denied).toBe(190);
  });

  it('decides with the Redis clock (TIME), whatever the caller clock says', async () => {
    const limiter = createRateLimiter({
      store: createRedisRateLimitStore({ redis: client }),
      algorithm: fixedWindow(1, '1 h'),
      onStoreFailure: 'deny',
    });
    const [seconds] = (await client.time()) as [number | string, number | string];
    vi.useFakeTimers({ now: Date.UTC(2001, 0, 1), toFake: ['Date'] });
    try {
      const key = `skew:${crypto.randomUUID()}`;
      await limiter.limit(key);
      const denied = await limiter.limit(key);
      const hour = 3_600_000;
      expect(denied.reset).toBe((Math.floor((Number(seconds) * 1000) / hour) + 1) * hour);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports an outage and follows the failure policy', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    const errors: unknown[] = [];
    const limiter = createRateLimiter({
      store: createRedisRateLimitStore({ redis: down }),
      algorithm: fixedWindow(1, 1_000),
      onStoreFailure: 'allow',
      onError: (error) => errors.push(error),
    });
    const result = await limiter.limit('k');
    expect(result.success).toBe(true);
    expect(result.storeError?.code).toMatch(/store_unavailable|store_error/);
    expect(errors).toHaveLength(1);
    down.disconnect();
  });
});
