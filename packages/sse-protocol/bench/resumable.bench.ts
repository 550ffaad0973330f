// Resumable-stream benchmark: 200 concurrent streams × 500 events through the Redis and the Postgres StreamLog
// drivers (and memory as a baseline), one live reader per stream plus a late reader that resumes mid-way
// (Last-Event-ID 250). Reports events/s, write→read delay percentiles and, for Postgres, inserts per 1,000 events.
// Prints one JSON line. Needs the built package (`pnpm build`) and the services of the test suite
// (RELAYKIT_TEST_DATABASE_URL, RELAYKIT_TEST_REDIS_URL); a driver whose service is unreachable is reported as skipped.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createMemoryStreamLog, type StreamLog } from '@relaykit/sse-protocol';
import { createPostgresStreamLog } from '@relaykit/sse-protocol/postgres';
import { createRedisStreamLog } from '@relaykit/sse-protocol/redis';
import { Redis } from 'ioredis';
import postgres from 'postgres';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 200);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 500);
const RESUME_AFTER = Math.floor(EVENTS / 2);
const TOKENS_PER_TICK = 5; // a producer writes a few tokens, then yields, like a model streaming
const databaseUrl = process.env.RELAYKIT_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.RELAYKIT_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const run = `${process.pid}_${Date.now().toString(36)}`;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

async function workload(log: StreamLog) {
  const delays: number[] = [];
  let delivered = 0;
  const started = performance.now();

  async function read(streamId: string, after: string | null, measure: boolean) {
    let expected = Number(after ?? 0);
    for await (const entry of log.read(streamId, { after })) {
      expected += 1;
      if (entry.sequence !== expected)
        throw new Error(`${streamId}: got ${entry.sequence}, expected ${expected}`);
      if (measure) delays.push(performance.now() - Number(JSON.parse(entry.data).t));
      delivered += 1;
    }
    if (expected !== EVENTS) throw new Error(`${streamId}: reader ended at ${expected}`);
  }

  await Promise.all(
    Array.from({ length: STREAMS }, async (_, index) => {
      const streamId = `bench-${run}-${index}`;
      const writer = await log.create(streamId);
      const readers = [read(streamId, null, true)];
      for (let n = 1; n <= EVENTS; n++) {
        writer.append(JSON.stringify({ type: 'delta', text: ` token${n}`, t: performance.now() }));
        if (n === RESUME_AFTER) {
          await writer.flush();
          readers.push(read(streamId, String(RESUME_AFTER), false)); // a late reader with Last-Event-ID
        }
        if (n % TOKENS_PER_TICK === 0) await tick();
      }
      await writer.complete();
      await Promise.all(readers);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(delays).sort();
  const written = STREAMS * EVENTS;
  return {
    streams: STREAMS,
    eventsPerStream: EVENTS,
    eventsWritten: written,
    eventsDelivered: delivered,
    seconds: round(seconds, 3),
    writtenEventsPerSecond: Math.round(written / seconds),
    deliveredEventsPerSecond: Math.round(delivered / seconds),
    delayMs: {
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.at(-1) ?? 0),
    },
  };
}

async function benchRedis() {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    return { skipped: `Redis at ${redisUrl} unreachable: ${(error as Error).message}` };
  }
  const prefix = `relaykit:bench:${run}:`;
  const log = createRedisStreamLog({ redis, keyPrefix: prefix });
  try {
    return await workload(log);
  } finally {
    await log.close();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  }
}

async function benchPostgres() {
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  const database = `relaykit_bench_${run}`;
  try {
    await admin.unsafe(`create database ${database}`);
  } catch (error) {
    await admin.end();
    return { skipped: `Postgres at ${databaseUrl} unreachable: ${(error as Error).message}` };
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  const sql = postgres(url.toString(), { max: 20, onnotice: () => {} });
  try {
    await sql.unsafe(readFileSync(new URL('../sql/0001_stream_log.sql', import.meta.url), 'utf8'));
    const log = createPostgresStreamLog({ sql });
    const result = await workload(log);
    await log.close();
    const [stats] = await sql<{ rows: number; events: number }[]>`
      select count(*)::int as rows, coalesce(sum(cardinality(events)), 0)::int as events from public.relaykit_stream_log_batches`;
    return {
      ...result,
      batchRows: stats?.rows ?? 0,
      insertsPer1000Events: round(((stats?.rows ?? 0) / Math.max(1, stats?.events ?? 1)) * 1000, 1),
    };
  } finally {
    await sql.end();
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
  }
}

const memory = await workload(createMemoryStreamLog());
const redisResult = await benchRedis();
const postgresResult = await benchPostgres();
console.log(
  JSON.stringify({ name: 'resumable-streams', memory, redis: redisResult, postgres: postgresResult }),
);
