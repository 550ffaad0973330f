/**
 * Benchmark of @relaykit/chatkit-store (run after a build: `pnpm --filter @relaykit/chatkit-store bench`).
 * Prints ONE JSON document as the last stdout line. Nothing here asserts timings.
 *
 *   CHATKIT_BENCH_THREADS      threads on Postgres (default 100000; items = 10 per thread, 1000 users)
 *   CHATKIT_BENCH_PGLITE_THREADS  threads on PGlite (default 12000, 5 items each)
 *   RELAYKIT_TEST_DATABASE_URL server to create the bench database on (default postgres://postgres@127.0.0.1:5432/test)
 */
import { PGlite } from '@electric-sql/pglite';
import { migrate } from '@relaykit/chatkit-store';
import { createPGliteStore } from '@relaykit/chatkit-store/pglite';
import { createPostgresStore } from '@relaykit/chatkit-store/postgres';
import postgres from 'postgres';
import { benchUserSql, seedSql } from './seed.ts';

const LIMIT = 20;
const PAGE = 500;
const HEAVY = LIMIT * PAGE + LIMIT; // the heavy user has exactly enough threads for page 500
const ITERATIONS = 200;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round = (value: number) => Math.round(value * 1000) / 1000;
/** Samples the operations interleaved (a, b, c, d, a, b, ...) so machine noise hits them alike. */
async function latencies(
  operations: Record<string, () => Promise<unknown>>,
): Promise<Record<string, { p50_ms: number; p99_ms: number }>> {
  const entries = Object.entries(operations);
  const samples = new Map<string, number[]>(entries.map(([name]) => [name, []]));
  for (let i = 0; i < 30; i++) for (const [, fn] of entries) await fn();
  for (let i = 0; i < ITERATIONS; i++)
    for (const [name, fn] of entries) {
      const start = performance.now();
      await fn();
      samples.get(name)?.push(performance.now() - start);
    }
  return Object.fromEntries(
    entries.map(([name]) => {
      const sorted = (samples.get(name) ?? []).sort((x, y) => x - y);
      return [name, { p50_ms: round(percentile(sorted, 50)), p99_ms: round(percentile(sorted, 99)) }];
    }),
  );
}

const OFFSET_TEXT = `select id from public.chatkit_threads where user_id = $2::uuid and deleted_at is null
  order by created_at desc, seq desc limit ${LIMIT + 1} offset $1`;

async function measure(
  // biome-ignore lint/suspicious/noExplicitAny: the store type differs per driver only by its extra fields
  store: any,
  asUser: (userId: string, text: string, params: unknown[]) => Promise<unknown[]>,
  heavyUser: string,
  writers: number,
  itemsPerWriter: number,
) {
  const context = { userId: heavyUser };
  const afterRows = (await asUser(heavyUser, OFFSET_TEXT.replace(`limit ${LIMIT + 1}`, 'limit 1'), [
    LIMIT * (PAGE - 1) - 1,
    heavyUser,
  ])) as { id: string }[];
  const after = afterRows[0]?.id ?? null;
  const page500 = await store.loadThreads(LIMIT, after, 'desc', context);
  const timings = await latencies({
    keysetPage1: () => store.loadThreads(LIMIT, null, 'desc', context),
    keysetPage500: () => store.loadThreads(LIMIT, after, 'desc', context),
    offsetPage1: () => asUser(heavyUser, OFFSET_TEXT, [0, heavyUser]),
    offsetPage500: () => asUser(heavyUser, OFFSET_TEXT, [LIMIT * (PAGE - 1), heavyUser]),
  });
  const none = { p50_ms: Number.NaN, p99_ms: Number.NaN };
  const [keysetPage1, keysetPage500, offsetPage1, offsetPage500] = [
    timings.keysetPage1 ?? none,
    timings.keysetPage500 ?? none,
    timings.offsetPage1 ?? none,
    timings.offsetPage500 ?? none,
  ];

  const writerContexts = Array.from({ length: writers }, () => ({ userId: crypto.randomUUID() }));
  const threads = writerContexts.map(() => ({
    id: `thr_w${crypto.randomUUID().slice(0, 8)}`,
    created_at: new Date().toISOString(),
    status: { type: 'active' as const },
    metadata: {},
  }));
  for (const [index, thread] of threads.entries()) await store.saveThread(thread, writerContexts[index]);
  const start = performance.now();
  await Promise.all(
    threads.map(async (thread, index) => {
      for (let i = 0; i < itemsPerWriter; i++)
        await store.addThreadItem(
          thread.id,
          {
            id: `msg_w${index}_${i}_${crypto.randomUUID().slice(0, 6)}`,
            thread_id: thread.id,
            type: 'assistant_message',
            created_at: new Date().toISOString(),
            content: [{ type: 'output_text', text: 'benchmark reply', annotations: [] }],
          },
          writerContexts[index],
        );
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    load_threads: {
      limit: LIMIT,
      page_500_rows: page500.data.length,
      keyset_page_1: keysetPage1,
      keyset_page_500: keysetPage500,
      keyset_p50_ratio_500_vs_1: Math.round((keysetPage500.p50_ms / keysetPage1.p50_ms) * 100) / 100,
      offset_page_1: offsetPage1,
      offset_page_500: offsetPage500,
      offset_p50_ratio_500_vs_1: Math.round((offsetPage500.p50_ms / offsetPage1.p50_ms) * 100) / 100,
    },
    add_thread_item: {
      writers,
      items: writers * itemsPerWriter,
      seconds: Math.round(seconds * 1000) / 1000,
      items_per_second: Math.round((writers * itemsPerWriter) / seconds),
    },
  };
}

async function onPostgres(threads: number) {
  const serverUrl = process.env.RELAYKIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const name = `chatkit_bench_${crypto.randomUUID().slice(0, 8)}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 16, onnotice: () => {} });
  try {
    await migrate(sql);
    const seedStart = performance.now();
    await sql.unsafe(seedSql({ threads, itemsPerThread: 10, users: 1000, heavyThreads: HEAVY }));
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const [{ user }] = (await sql.unsafe(`select ${benchUserSql('0')}::text as user`)) as unknown as [
      { user: string },
    ];
    const asUser = async (userId: string, text: string, params: unknown[]) =>
      (await sql.begin((tx) => [
        tx.unsafe(
          "select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)",
          [JSON.stringify({ sub: userId, role: 'authenticated' })],
        ),
        tx.unsafe(text, params as never[]),
      ])) as unknown as unknown[][];
    const store = createPostgresStore({ sql });
    const result = await measure(
      store,
      async (userId, text, params) => (await asUser(userId, text, params))[1] as unknown[],
      user,
      16,
      125,
    );
    return {
      scale: { threads, items: threads * 10, users: 1000, heavy_user_threads: HEAVY },
      seed_seconds: Math.round(seedSeconds * 10) / 10,
      ...result,
    };
  } finally {
    await sql.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  }
}

async function onPGlite(threads: number) {
  const db = new PGlite();
  try {
    const store = await createPGliteStore({ db });
    const seedStart = performance.now();
    await db.exec(seedSql({ threads, itemsPerThread: 5, users: 100, heavyThreads: HEAVY }));
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const user =
      (await db.query<{ user: string }>(`select ${benchUserSql('0')}::text as user`)).rows[0]?.user ?? '';
    const asUser = (userId: string, text: string, params: unknown[]) =>
      db.transaction(async (tx) => {
        await tx.query(
          "select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)",
          [JSON.stringify({ sub: userId, role: 'authenticated' })],
        );
        return (await tx.query(text, params)).rows;
      });
    const result = await measure(store, asUser, user, 16, 25);
    return {
      scale: { threads, items: threads * 5, users: 100, heavy_user_threads: HEAVY },
      seed_seconds: Math.round(seedSeconds * 10) / 10,
      ...result,
    };
  } finally {
    await db.close();
  }
}

const postgresThreads = Number(process.env.CHATKIT_BENCH_THREADS ?? 100_000);
const pgliteThreads = Number(process.env.CHATKIT_BENCH_PGLITE_THREADS ?? 12_000);
let postgresResult: unknown;
try {
  postgresResult = await onPostgres(Math.max(postgresThreads, HEAVY + 1000));
} catch (error) {
  postgresResult = { skipped: `Postgres unavailable or failed: ${(error as Error).message}` };
}
const pgliteResult = await onPGlite(Math.max(pgliteThreads, HEAVY + 100));
console.log(
  JSON.stringify({
    benchmark: '@relaykit/chatkit-store',
    node: process.version,
    postgres: postgresResult,
    pglite: pgliteResult,
  }),
);
