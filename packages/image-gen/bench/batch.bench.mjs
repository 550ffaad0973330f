// Benchmark of generateBatch on a fake clock (run after `pnpm build`; prints ONE JSON document as the last line).
// The provider is createSimulatedImagesClient: 2 s per image, its own limit of 5 images per rolling minute (429 with
// retry-after-ms above it), and 10% transient 500s. Time is simulated, so the numbers are exact and machine-independent
// except peak memory and the real wall time the simulation took.
import { createMemoryBlobStore, generateBatch } from '../dist/index.js';
import { createFakeClock, createSimulatedImagesClient } from '../dist/testing.js';

const LATENCY_MS = 2_000;
const PROVIDER_LIMIT_PER_MINUTE = 5;
const FAILURE_RATE = 0.1;

function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const items = (count) =>
  Array.from({ length: count }, (_, index) => ({
    id: `student-${index}`,
    prompt: `portrait ${index}`,
    user: 'teacher-1',
  }));

function provider(clock, seed) {
  return createSimulatedImagesClient({
    clock,
    latencyMs: LATENCY_MS,
    limitPerMinute: PROVIDER_LIMIT_PER_MINUTE,
    transientFailureRate: FAILURE_RATE,
    random: seeded(seed),
  });
}

async function runBatch(count, seed) {
  const clock = createFakeClock(Date.UTC(2026, 10, 23));
  const client = provider(clock, seed);
  const store = createMemoryBlobStore();
  const started = performance.now();
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const run = generateBatch(items(count), {
    client,
    store,
    entity: 'students',
    clock,
    concurrency: 2,
    retries: 5,
    random: seeded(seed + 1),
  });
  let events = 0;
  const consume = (async () => {
    for await (const _event of run) {
      events += 1;
      if (events % 25 === 0) {
        const memory = process.memoryUsage();
        peakRss = Math.max(peakRss, memory.rss);
        peakHeap = Math.max(peakHeap, memory.heapUsed);
      }
    }
  })();
  const report = await clock.run(run.report);
  await consume;
  return {
    images: count,
    stored: report.counts.stored,
    failed: report.counts.failed,
    lost: count - report.counts.stored - report.counts.failed,
    simulatedWallMs: report.elapsedMs,
    simulatedMinutes: +(report.elapsedMs / 60_000).toFixed(2),
    retries: report.retries,
    rateLimitWaits: report.rateLimitWaits,
    providerCalls: client.stats.calls,
    provider429s: client.stats.rateLimited,
    providerTransientFailures: client.stats.transientFailures,
    storedObjects: store.size(),
    events,
    peakRssMB: +(peakRss / 2 ** 20).toFixed(1),
    peakHeapMB: +(peakHeap / 2 ** 20).toFixed(1),
    realMs: Math.round(performance.now() - started),
  };
}

/** Today's version: sequential, a fixed delay after each call; `stopOnError` mirrors "does not survive one failed call". */
async function runFixedDelayLoop(count, seed, stopOnError, delayMs = 2_000) {
  const clock = createFakeClock(Date.UTC(2026, 10, 23));
  const client = provider(clock, seed);
  const work = (async () => {
    let stored = 0;
    for (const item of items(count)) {
      try {
        await client.images.generate({
          model: 'gpt-image-1',
          prompt: item.prompt,
          size: '1024x1024',
          quality: 'medium',
        });
        stored += 1;
      } catch {
        if (stopOnError) break;
      }
      await clock.sleep(delayMs);
    }
    return stored;
  })();
  const started = clock.now();
  const stored = await clock.run(work);
  return {
    images: count,
    stored,
    delayMs,
    lost: count - stored,
    simulatedWallMs: clock.now() - started,
    provider429s: client.stats.rateLimited,
    providerTransientFailures: client.stats.transientFailures,
  };
}

const batch50 = await runBatch(50, 11);
const fixedDelayStopOnError = await runFixedDelayLoop(50, 11, true);
const fixedDelaySkipOnError = await runFixedDelayLoop(50, 11, false);
// A loop tuned to the limit (2 s call + 10 s delay = 5 a minute) still loses every transiently failed item.
const fixedDelayTuned = await runFixedDelayLoop(50, 11, false, 10_000);
const batch500 = await runBatch(500, 23);
const idealMinutes50 = 50 / PROVIDER_LIMIT_PER_MINUTE;

console.log(
  JSON.stringify({
    benchmark: '@relaykit/image-gen generateBatch',
    setup: {
      latencyMs: LATENCY_MS,
      providerLimitPerMinute: PROVIDER_LIMIT_PER_MINUTE,
      transientFailureRate: FAILURE_RATE,
      concurrency: 2,
      retries: 5,
      clock: 'fake',
    },
    batch50: { ...batch50, rateLimitFloorMinutes: idealMinutes50 },
    fixedDelayLoop50: {
      stopOnError: fixedDelayStopOnError,
      skipOnError: fixedDelaySkipOnError,
      tunedSkipOnError: fixedDelayTuned,
    },
    batch500,
  }),
);
