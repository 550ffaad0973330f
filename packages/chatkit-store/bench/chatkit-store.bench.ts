/**
 * Benchmark of @relaykit/chatkit-store (run after a build: `pnpm --filter @relaykit/chatkit-store bench`).
 * Prints ONE JSON document as the last stdout line. Nothing here asserts timings; goals are reported with `met` flags.
 *
 *   CHATKIT_BENCH_THREADS      threads on Postgres (default 100000; items = 10 per thread, 1000 users)
 *   CHATKIT_BENCH_PGLITE_THREADS  threads on PGlite (default 12000, 5 items each)
 *   CHATKIT_BENCH_STREAMS      concurrent writers/readers in the PGlite memory runs (default 100)
 *   RELAYKIT_TEST_DATABASE_URL server to create the bench database on (default postgres://postgres@127.0.0.1:5432/test)
 *
 * Memory is measured in fresh child processes (`--pglite-memory <settings>`), one per PGlite configuration, since RSS
 * never goes back down within a process: the process RSS is sampled every 10 ms while 100 concurrent "streams" each
 * create a thread with its first message (createThreadWithItems), then add 20 items and read the newest page after
 * each, three rounds in a row.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { migrate } from '@relaykit/chatkit-store';
import { createPGliteStore, PGLITE_MEMORY_SETTINGS } from '@relaykit/chatkit-store/pglite';
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
  const db = new PGlite({ postgresqlconf: [...PGLITE_MEMORY_SETTINGS] });
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

const mb = (bytes: number) => Math.round(bytes / 1048576);
const rssMb = () => mb(process.memoryUsage().rss);

/** Samples this process's RSS every 10 ms (between database calls) until `stop()`; returns the peak in MB. */
function sampleRss(): { stop(): number } {
  let peak = rssMb();
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb());
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMb());
    },
  };
}

/**
 * `streams` concurrent conversations on `store`: each creates a thread with its first user message, then adds
 * `items` assistant messages, reading the newest page after each (what a streaming turn and its client do).
 */
// biome-ignore lint/suspicious/noExplicitAny: the store type differs per driver only by its extra fields
async function concurrentStreams(store: any, streams: number, items: number): Promise<void> {
  await Promise.all(
    Array.from({ length: streams }, async () => {
      const context = { userId: crypto.randomUUID() };
      const thread = {
        id: `thr_s${crypto.randomUUID().slice(0, 12)}`,
        created_at: new Date().toISOString(),
        status: { type: 'active' as const },
        metadata: {},
      };
      const message = {
        id: `msg_u${crypto.randomUUID().slice(0, 12)}`,
        thread_id: thread.id,
        type: 'user_message',
        created_at: new Date().toISOString(),
        content: [{ type: 'input_text', text: 'Tell me about the lighthouse keeper.' }],
        attachments: [],
        inference_options: {},
      };
      await store.createThreadWithItems(thread, [message], [], context);
      for (let i = 0; i < items; i++) {
        await store.addThreadItem(
          thread.id,
          {
            id: `msg_a${crypto.randomUUID().slice(0, 12)}`,
            thread_id: thread.id,
            type: 'assistant_message',
            created_at: new Date().toISOString(),
            content: [
              { type: 'output_text', text: 'lorem ipsum dolor sit amet '.repeat(40), annotations: [] },
            ],
          },
          context,
        );
        await store.loadThreadItems(thread.id, null, 20, 'desc', context);
      }
    }),
  );
}

/** A PGlite memory configuration: its `postgresql.conf` lines, whether it reopens an existing data directory, Node flags. */
interface MemoryConfig {
  name: string;
  settings: 'store' | 'default';
  /** Open a data directory made by an earlier process (an app restart), instead of a fresh in-memory database. */
  reopen: boolean;
  nodeFlags: string[];
}

const MEMORY_CONFIGS: MemoryConfig[] = [
  // What the issue measured: PGlite's defaults, a fresh in-memory database (initdb in the same process).
  { name: 'pglite-defaults, in memory', settings: 'default', reopen: false, nodeFlags: [] },
  { name: 'store settings, in memory', settings: 'store', reopen: false, nodeFlags: [] },
  { name: 'pglite-defaults, reopened', settings: 'default', reopen: true, nodeFlags: [] },
  { name: 'store settings, reopened', settings: 'store', reopen: true, nodeFlags: [] },
  // V8 grows its young generation to 128 MB under a burst of concurrent calls; 2 MB semi-spaces keep it small.
  {
    name: 'store settings, reopened, --max-semi-space-size=2',
    settings: 'store',
    reopen: true,
    nodeFlags: ['--max-semi-space-size=2'],
  },
];

const conf = (settings: string) => (settings === 'store' ? [...PGLITE_MEMORY_SETTINGS] : []);

/** The child process of one memory run (see the header): prints one JSON line. */
async function memoryRun(settings: string, dataDir: string | undefined): Promise<void> {
  const streams = Number(process.env.CHATKIT_BENCH_STREAMS ?? 100);
  const items = 20;
  const beforeOpen = rssMb();
  const openSampler = sampleRss();
  const store = await createPGliteStore({
    ...(dataDir === undefined ? {} : { dataDir }),
    pgliteOptions: { postgresqlconf: conf(settings) },
  });
  const openPeak = openSampler.stop();
  const afterOpen = rssMb();
  const sampler = sampleRss();
  const rounds: number[] = [];
  const started = performance.now();
  for (let round = 0; round < 3; round++) {
    await concurrentStreams(store, streams, items);
    rounds.push(rssMb());
  }
  const seconds = (performance.now() - started) / 1000;
  const loadPeak = sampler.stop();
  await store.close();
  console.log(
    JSON.stringify({
      streams,
      items_per_stream: items + 1,
      rss_mb: {
        before_open: beforeOpen,
        open_peak: openPeak,
        after_open: afterOpen,
        load_peak: loadPeak,
        after_each_round: rounds,
      },
      writes_per_second: Math.round((3 * streams * (items + 1)) / seconds),
    }),
  );
}

const self = fileURLToPath(import.meta.url);
const node = (args: string[]) =>
  execFileSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });

/** Runs one configuration in fresh Node processes (RSS never shrinks back within one) and returns its JSON. */
async function memoryRunInChild(config: MemoryConfig): Promise<Record<string, unknown>> {
  const dataDir = config.reopen ? await mkdtemp(join(tmpdir(), 'chatkit-bench-')) : undefined;
  try {
    // The first start of a data directory runs initdb (a second WebAssembly instance): in its own process.
    if (dataDir !== undefined) node([self, '--pglite-init', config.settings, dataDir]);
    const args = [
      ...config.nodeFlags,
      self,
      '--pglite-memory',
      config.settings,
      ...(dataDir ? [dataDir] : []),
    ];
    const result = JSON.parse(node(args).trim().split('\n').at(-1) ?? '{}');
    return {
      name: config.name,
      postgresqlconf: conf(config.settings),
      node_flags: config.nodeFlags,
      ...result,
    };
  } catch (error) {
    return { name: config.name, failed: (error as Error).message };
  } finally {
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  }
}

const initFlag = process.argv.indexOf('--pglite-init');
if (initFlag !== -1) {
  const store = await createPGliteStore({
    dataDir: process.argv[initFlag + 2] as string,
    pgliteOptions: { postgresqlconf: conf(process.argv[initFlag + 1] ?? 'store') },
  });
  await store.close();
  process.exit(0);
}
const memoryFlag = process.argv.indexOf('--pglite-memory');
if (memoryFlag !== -1) {
  await memoryRun(process.argv[memoryFlag + 1] ?? 'store', process.argv[memoryFlag + 2]);
  process.exit(0);
}

const RSS_GOAL_MB = 400;
const RATIO_GOAL = 1.5;

const postgresThreads = Number(process.env.CHATKIT_BENCH_THREADS ?? 100_000);
const pgliteThreads = Number(process.env.CHATKIT_BENCH_PGLITE_THREADS ?? 12_000);
let postgresResult: unknown;
try {
  postgresResult = await onPostgres(Math.max(postgresThreads, HEAVY + 1000));
} catch (error) {
  postgresResult = { skipped: `Postgres unavailable or failed: ${(error as Error).message}` };
}
const pgliteResult = await onPGlite(Math.max(pgliteThreads, HEAVY + 100));
const memory: Record<string, unknown>[] = [];
for (const config of MEMORY_CONFIGS) memory.push(await memoryRunInChild(config));
const peakOf = (name: string) =>
  (memory.find((run) => run.name === name) as { rss_mb?: { load_peak?: number } } | undefined)?.rss_mb
    ?.load_peak ?? Number.NaN;
const loadPeak = peakOf('store settings, reopened, --max-semi-space-size=2');
const loadPeakDefaultNode = peakOf('store settings, reopened');
const ratio = (pgliteResult.load_threads as { keyset_p50_ratio_500_vs_1: number }).keyset_p50_ratio_500_vs_1;
console.log(
  JSON.stringify({
    benchmark: '@relaykit/chatkit-store',
    node: process.version,
    postgres: postgresResult,
    pglite: pgliteResult,
    pglite_memory: memory,
    goals: {
      // The app's configuration: store settings, a reopened data directory, small V8 semi-spaces.
      pglite_peak_rss_under_load_mb: { value: loadPeak, goal: RSS_GOAL_MB, met: loadPeak <= RSS_GOAL_MB },
      // The same with Node's default young generation.
      pglite_peak_rss_under_load_default_node_mb: {
        value: loadPeakDefaultNode,
        goal: RSS_GOAL_MB,
        met: loadPeakDefaultNode <= RSS_GOAL_MB,
      },
      pglite_keyset_page_500_vs_1: { value: ratio, goal: RATIO_GOAL, met: ratio <= RATIO_GOAL },
    },
  }),
);
