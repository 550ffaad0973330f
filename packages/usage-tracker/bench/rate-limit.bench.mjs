// Rate-limit decisions per second and latency (p50/p99) for each driver at 1, 16 and 64 concurrent callers, side by
// side with @upstash/ratelimit's fixed-window algorithm on the same Redis (through a small ioredis adapter, bench
// only). Runs against the built package (dist). Prints progress on stderr and ONE JSON document as the last stdout
// line. Services: RELAYKIT_TEST_DATABASE_URL (Postgres) and RELAYKIT_TEST_REDIS_URL (Redis); a missing service is
// reported as skipped in the JSON. Measures only; never fails on timing.
import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { createMemoryRateLimitStore, createRateLimiter, fixedWindow } from '../dist/index.js';
import { createPGliteStores, migratePGlite } from '../dist/pglite.js';
import { createPostgresStores, migratePostgres } from '../dist/postgres.js';
import { createRedisRateLimitStore } from '../dist/redis.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 1_500);
const CONCURRENCY = [1, 16, 64];
const databaseUrl = process.env.RELAYKIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.RELAYKIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = (message) => process.stderr.write(`${message}\n`);

function percentile(sorted, p) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `concurrency` callers, each on its own key (one user each), for DURATION_MS. */
async function measure(decide, concurrency, label) {
  const latencies = [];
  let admitted = 0;
  const run = `${label}:${Date.now()}`;
  for (let worker = 0; worker < concurrency; worker++) await decide(`${run}:warm:${worker}`);
  const started = performance.now();
  const deadline = started + DURATION_MS;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const key = `${run}:${worker}`;
      while (performance.now() < deadline) {
        const before = performance.now();
        const success = await decide(key);
        latencies.push(performance.now() - before);
        if (success) admitted++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (value) => Math.round(value * 1000) / 1000;
  return {
    concurrency,
    decisions: latencies.length,
    decisionsPerSecond: Math.round(latencies.length / elapsed),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    admitted,
  };
}

async function bench(name, decide) {
  const runs = [];
  for (const concurrency of CONCURRENCY) {
    const result = await measure(decide, concurrency, name);
    log(`${name} c=${concurrency}: ${result.decisionsPerSecond}/s p99 ${result.p99Ms} ms`);
    runs.push(result);
  }
  return { driver: name, runs };
}

/**
 * @upstash/ratelimit speaks Upstash's REST client; this adapter maps the calls it makes (evalsha/eval/get/set) onto
 * ioredis. Its scripts start with a `#!lua flags=allow-key-locking` shebang that Redis 7.0 rejects, so the adapter
 * loads them without the shebang line and maps Upstash's SHA-1 to the loaded one. Bench only.
 */
function upstashDecide(redis) {
  const loaded = new Map();
  const load = async (script) => {
    const sha = createHash('sha1').update(script).digest('hex');
    if (!loaded.has(sha)) loaded.set(sha, await redis.script('LOAD', script.replace(/^#!lua[^\n]*\n/, '')));
    return loaded.get(sha);
  };
  const upstashRedis = {
    evalsha: async (sha, keys, args) => {
      if (!loaded.has(sha)) throw new Error('NOSCRIPT (adapter)');
      return redis.evalsha(loaded.get(sha), keys.length, ...keys, ...args.map(String));
    },
    eval: async (script, keys, args) =>
      redis.evalsha(await load(script), keys.length, ...keys, ...args.map(String)),
    get: (key) => redis.get(key),
    set: (key, value) => redis.set(key, value),
  };
  const upstash = new Ratelimit({
    redis: upstashRedis,
    limiter: Ratelimit.fixedWindow(1_000_000_000, '1 h'),
    ephemeralCache: false,
    analytics: false,
    prefix: 'bench-upstash',
  });
  return async (key) => (await upstash.limit(key)).success;
}

const limiterFor = (store) =>
  createRateLimiter({ store, algorithm: fixedWindow(1_000_000_000, '1 h'), onStoreFailure: 'deny' });
const results = [];
const skipped = [];

{
  const limiter = limiterFor(createMemoryRateLimitStore());
  results.push(await bench('memory', async (key) => (await limiter.limit(key)).success));
}

{
  const db = new PGlite();
  await migratePGlite(db);
  const limiter = limiterFor(createPGliteStores({ db }).rateLimits);
  results.push(await bench('pglite', async (key) => (await limiter.limit(key)).success));
  await db.close();
}

try {
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const name = `relaykit_bench_usage_${process.pid}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  let statements = 0;
  const sql = postgres(url.toString(), { max: 64, onnotice: () => {}, debug: () => void statements++ });
  try {
    await migratePostgres(sql);
    const limiter = limiterFor(createPostgresStores({ sql }).rateLimits);
    statements = 0;
    for (let index = 0; index < 100; index++) await limiter.limit('round-trips');
    const statementsPerDecision = statements / 100;
    const result = await bench('postgres', async (key) => (await limiter.limit(key)).success);
    results.push({ ...result, statementsPerDecision });
  } finally {
    await sql.end();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
} catch (error) {
  skipped.push({ driver: 'postgres', reason: String(error?.message ?? error) });
}

try {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  await redis.ping();
  const limiter = limiterFor(createRedisRateLimitStore({ redis }));
  results.push(await bench('redis', async (key) => (await limiter.limit(key)).success));
  try {
    results.push(await bench('upstash-ratelimit (same Redis, fixed window)', upstashDecide(redis)));
  } catch (error) {
    skipped.push({ driver: 'upstash-ratelimit', reason: String(error?.message ?? error) });
  }
  await redis.quit();
} catch (error) {
  skipped.push({ driver: 'redis', reason: String(error?.message ?? error) });
}

skipped.push({
  driver: 'supabase',
  reason: 'only a local PostgREST stand-in exists here; timing it would measure the stand-in, not Supabase',
});
console.log(
  JSON.stringify({ benchmark: 'rate-limit decisions', durationMsPerRun: DURATION_MS, results, skipped }),
);
