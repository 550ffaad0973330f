// One "instance" of the two-process proof: fires COUNT simultaneous limit() calls for one key against the built
// package (dist) and prints {"admitted":n,"denied":m}. Usage: node limit-burst.mjs <postgres|redis> <url> <key> <count> <startAtEpochMs>
import { createRateLimiter, fixedWindow } from '../../dist/index.js';

const [driver, url, key, countText, startAtText] = process.argv.slice(2);
const count = Number(countText);
let store;
let close;
if (driver === 'postgres') {
  const { default: postgres } = await import('postgres');
  const { createPostgresStores } = await import('../../dist/postgres.js');
  const sql = postgres(url, { max: 20, onnotice: () => {} });
  store = createPostgresStores({ sql }).rateLimits;
  close = () => sql.end();
} else {
  const { Redis } = await import('ioredis');
  const { createRedisRateLimitStore } = await import('../../dist/redis.js');
  const redis = new Redis(url);
  store = createRedisRateLimitStore({ redis });
  close = () => redis.quit();
}
const limiter = createRateLimiter({
  store,
  algorithm: fixedWindow(10, '1 h'),
  onStoreFailure: 'deny',
  onError: (error) => console.error(error),
});
await limiter.limit(`warmup:${key}`); // open connections / load the script before the burst
await new Promise((resolve) => setTimeout(resolve, Math.max(Number(startAtText) - Date.now(), 0)));
const results = await Promise.all(Array.from({ length: count }, () => limiter.limit(key)));
const failures = results.filter((result) => result.storeError).length;
await close();
console.log(
  JSON.stringify({
    admitted: results.filter((result) => result.success).length,
    denied: results.filter((result) => !result.success).length,
    failures,
  }),
);
