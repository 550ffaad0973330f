import { Redis } from 'ioredis';

/** Connects to RELAYKIT_TEST_REDIS_URL, or explains why not (throws when RELAYKIT_REQUIRE_SERVICES=1). */
export async function redisAvailability(): Promise<
  { available: true; url: string } | { available: false; reason: string }
> {
  const url = process.env.RELAYKIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2_000,
  });
  try {
    await client.connect();
    await client.ping();
    return { available: true, url };
  } catch (error) {
    const reason = `Redis at ${url} is unreachable (${(error as Error).message}); Redis tests are skipped`;
    if (process.env.RELAYKIT_REQUIRE_SERVICES === '1') throw new Error(reason);
    console.warn(reason);
    return { available: false, reason };
  } finally {
    client.disconnect();
  }
}
