import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamLogContract } from '../testing';
import { createRedisStreamLog } from './drivers/redis';

/** Test-only probe of the Redis server (mirrors `postgresAvailability` of `@relaykit/testing/postgres`). */
type RedisAvailability = { available: true; url: string } | { available: false; reason: string };

async function redisAvailability(): Promise<RedisAvailability> {
  const url = process.env.RELAYKIT_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3000,
  });
  try {
    await client.connect();
    await client.ping();
    return { available: true, url };
  } catch (error) {
    const reason = `Redis at ${url} is unreachable (${error instanceof Error ? error.message : String(error)})`;
    if (process.env.RELAYKIT_REQUIRE_SERVICES === '1')
      throw new Error(`${reason}; RELAYKIT_REQUIRE_SERVICES=1`);
    console.warn(`skipping Redis tests: ${reason}`);
    return { available: false, reason };
  } finally {
    client.disconnect();
  }
}

const redisService = await redisAvailability();
const prefix = `relaykit:test:${process.pid}:${Date.now().toString(36)}:`;

describe.skipIf(!redisService.available)('on real Redis', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(redisService.available ? redisService.url : '', {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
    });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  streamLogContract('redis', () => createRedisStreamLog({ redis, keyPrefix: prefix }), { describe, it });

  it('stores events as Redis Stream entries 0-<sequence> under the key prefix, with a TTL', async () => {
    const log = createRedisStreamLog({ redis, keyPrefix: prefix });
    const writer = await log.create('layout', { doneTtlMs: 60_000 });
    writer.append('{"a":1}');
    writer.append('{"a":2}');
    await writer.complete();
    const entries = await redis.xrange(`${prefix}{layout}:events`, '-', '+');
    expect(entries).toEqual([
      ['0-1', ['d', '{"a":1}']],
      ['0-2', ['d', '{"a":2}']],
      ['0-3', ['end', 'done']],
    ]);
    const ttl = await redis.pttl(`${prefix}{layout}:events`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await log.close();
  });

  it('a failed write surfaces as a typed StoreError on the next call', async () => {
    const broken = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    broken.on('error', () => {}); // the refused connection is the point of this test
    const log = createRedisStreamLog({ redis: broken, keyPrefix: prefix });
    await expect(log.create('unreachable')).rejects.toMatchObject({
      code: 'store_error',
      name: 'StoreError',
    });
    broken.disconnect();
  });
});
