import { createFakeOpenAI } from '@relaykit/testing';
import {
  createMemoryRateLimitStore,
  createPriceTable,
  createRateLimiter,
  fixedWindow,
  usageFromImages,
} from '@relaykit/usage-tracker';
import { createFailingRateLimitStore } from '@relaykit/usage-tracker/testing';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { type BatchEvent, type BatchItem, type BatchReport, generateBatch } from './batch';
import { createMemoryBlobStore } from './drivers/memory';
import { createFakeClock, createSimulatedImagesClient } from './testing';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const items = (count: number, prefix = 'student'): BatchItem[] =>
  Array.from({ length: count }, (_, index) => ({
    id: `${prefix}-${index}`,
    prompt: `portrait ${index}`,
    user: 'teacher-1',
  }));

async function collect(run: ReturnType<typeof generateBatch>, clock: ReturnType<typeof createFakeClock>) {
  const events: BatchEvent[] = [];
  const consumed = (async () => {
    for await (const event of run) events.push(event);
  })();
  const report = await clock.run(run.report);
  await consumed;
  return { events, report };
}

describe('generateBatch', () => {
  it('stores every item, reports progress with counts and ETA, and honours the default 5/minute/user limit', async () => {
    const clock = createFakeClock(Date.UTC(2026, 10, 23));
    const client = createSimulatedImagesClient({ clock, latencyMs: 2_000 });
    const store = createMemoryBlobStore();
    const { events, report } = await collect(
      generateBatch(items(12), {
        client,
        store,
        entity: 'students',
        clock,
        concurrency: 3,
        random: seeded(1),
      }),
      clock,
    );
    expect(report.counts).toEqual({ total: 12, pending: 0, running: 0, stored: 12, failed: 0, skipped: 0 });
    expect(store.size()).toBe(12);
    expect(report.items.every((item) => item.status === 'stored')).toBe(true);
    // Default limiter, 5 a minute as a token bucket: a burst of 5, then one call every 12 s; each call takes 2 s.
    expect(report.elapsedMs).toBe((12 - 5) * 12_000 + 2_000);
    expect(report.rateLimitWaits).toBeGreaterThan(0);
    expect(events.filter((event) => event.type === 'queued')).toHaveLength(12);
    const stored = events.filter((event) => event.type === 'stored');
    expect(stored.map((event) => event.counts.stored)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(stored.at(-1)?.etaMs).toBe(0);
    expect(stored[0]?.etaMs).toBeGreaterThan(0);
    // Priced by usage-tracker from the usage the provider reported (1056 output image tokens, 10 text tokens).
    const usage = usageFromImages(
      {
        input_tokens: 10,
        input_tokens_details: { text_tokens: 10, image_tokens: 0 },
        output_tokens: 1056,
        total_tokens: 1066,
      },
      { size: '1024x1024', quality: 'medium', count: 1 },
    );
    const each = createPriceTable().cost('gpt-image-1', usage);
    expect(each.status).toBe('priced');
    expect(report.costMicros).toBe(12 * (each.status === 'priced' ? each.costMicros : Number.NaN));
  });

  it('retries transient failures with backoff, never retries a policy refusal, and keeps going', async () => {
    const clock = createFakeClock(0);
    const client = createSimulatedImagesClient({
      clock,
      latencyMs: 100,
      transientFailureRate: 0.3,
      refuseWhenPromptIncludes: 'refuse-me',
      random: seeded(7),
    });
    const store = createMemoryBlobStore();
    const list = [
      ...items(8),
      { id: 'bad', prompt: 'please refuse-me', user: 'teacher-1' },
      { id: 'empty', prompt: '' },
    ];
    const unlimited = { limit: async () => ({ success: true, retryAfterMs: 0 }) };
    const { events, report } = await collect(
      generateBatch(list, {
        client,
        store,
        entity: 'students',
        clock,
        rateLimiter: unlimited,
        retries: 5,
        random: seeded(3),
      }),
      clock,
    );
    expect(report.counts).toMatchObject({ stored: 8, failed: 2 });
    const bad = report.items.find((item) => item.id === 'bad');
    expect(bad).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'content_policy' } });
    expect(report.items.find((item) => item.id === 'empty')).toMatchObject({
      status: 'failed',
      error: { code: 'invalid_request' },
    });
    expect(client.stats.transientFailures).toBeGreaterThan(0);
    expect(report.retries).toBe(client.stats.transientFailures);
    const retrying = events.filter((event) => event.type === 'retrying');
    expect(
      retrying.every((event) => event.error.code === 'provider_unavailable' && event.delayMs >= 500),
    ).toBe(true);
    expect(retrying.some((event) => event.id === 'bad')).toBe(false);
  });

  it("waits for the provider's retry-after on 429", async () => {
    const clock = createFakeClock(0);
    const client = createSimulatedImagesClient({ clock, latencyMs: 10, limitPerMinute: 2 });
    const unlimited = { limit: async () => ({ success: true, retryAfterMs: 0 }) };
    const { report, events } = await collect(
      generateBatch(items(3), {
        client,
        store: createMemoryBlobStore(),
        entity: 's',
        clock,
        rateLimiter: unlimited,
        concurrency: 3,
        random: () => 0,
      }),
      clock,
    );
    expect(report.counts.stored).toBe(3);
    const retry = events.find((event) => event.type === 'retrying');
    expect(retry).toMatchObject({ error: { code: 'rate_limited' }, delayMs: 60_000 });
    expect(report.elapsedMs).toBeGreaterThanOrEqual(60_000);
  });

  it('uses an injected usage-tracker rate limiter', async () => {
    const clock = createFakeClock(0);
    const limiter = createRateLimiter({
      store: createMemoryRateLimitStore({ now: () => clock.now() }),
      algorithm: fixedWindow(2, '10 s'),
      onStoreFailure: 'deny',
    });
    const client = createSimulatedImagesClient({ clock, latencyMs: 1 });
    const { report } = await collect(
      generateBatch(items(6), {
        client,
        store: createMemoryBlobStore(),
        entity: 's',
        clock,
        rateLimiter: limiter,
        concurrency: 6,
      }),
      clock,
    );
    expect(report.counts.stored).toBe(6);
    expect(report.elapsedMs).toBeGreaterThanOrEqual(20_000);
    expect(report.elapsedMs).toBeLessThan(30_000);
  });

  it('can be cancelled (finished items stay stored) and resumed from the report', async () => {
    const clock = createFakeClock(0);
    const client = createSimulatedImagesClient({ clock, latencyMs: 1_000 });
    const store = createMemoryBlobStore();
    const controller = new AbortController();
    const unlimited = { limit: async () => ({ success: true, retryAfterMs: 0 }) };
    const run = generateBatch(items(10), {
      client,
      store,
      entity: 's',
      clock,
      rateLimiter: unlimited,
      concurrency: 2,
      signal: controller.signal,
    });
    for await (const event of withClock(run, clock)) {
      if (event.type === 'stored' && event.counts.stored === 4) controller.abort();
    }
    const report: BatchReport = await run.report;
    expect(report.cancelled).toBe(true);
    expect(report.counts.stored).toBeGreaterThanOrEqual(4);
    expect(report.counts.stored).toBeLessThan(10);
    expect(store.size()).toBe(report.counts.stored);
    const storedBefore = report.items.filter((item) => item.status === 'stored').map((item) => item.id);

    const resumed = generateBatch(items(10), {
      client,
      store,
      entity: 's',
      clock,
      rateLimiter: unlimited,
      previous: report,
    });
    const second = await collect(resumed, clock);
    expect(second.report.cancelled).toBe(false);
    expect(second.report.counts).toMatchObject({
      stored: 10 - storedBefore.length,
      skipped: storedBefore.length,
      failed: 0,
    });
    expect(second.events.filter((event) => event.type === 'started').map((event) => event.id)).not.toContain(
      storedBefore[0],
    );
    expect(store.size()).toBe(10);
    expect(second.report.items.every((item) => item.status === 'stored')).toBe(true);
  });

  it('treats a failing rate-limit store (deny on failure) as a retryable failure, not an endless wait', async () => {
    const clock = createFakeClock(0);
    const limiter = createRateLimiter({
      store: createFailingRateLimitStore(),
      algorithm: fixedWindow(5, '1 m'),
      onStoreFailure: 'deny',
    });
    const client = createSimulatedImagesClient({ clock, latencyMs: 1 });
    const { report } = await collect(
      generateBatch(items(2), {
        client,
        store: createMemoryBlobStore(),
        entity: 's',
        clock,
        rateLimiter: limiter,
        retries: 2,
        random: () => 0,
      }),
      clock,
    );
    expect(report.counts).toMatchObject({ failed: 2, stored: 0 });
    expect(report.items[0]).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: { code: 'store_unavailable' },
    });
    expect(client.stats.calls).toBe(0);
  });

  it('rejects duplicate ids and bad options synchronously', () => {
    const client = createSimulatedImagesClient({ clock: createFakeClock() });
    const store = createMemoryBlobStore();
    expect(() =>
      generateBatch(
        [
          { id: 'a', prompt: 'x' },
          { id: 'a', prompt: 'y' },
        ],
        { client, store, entity: 's' },
      ),
    ).toThrow(/duplicate/);
    expect(() => generateBatch(items(1), { client, store, entity: 's', concurrency: 0 })).toThrow(
      /concurrency/,
    );
  });

  it('runs end to end through the real openai SDK against the fake OpenAI server', async () => {
    const fake = await createFakeOpenAI();
    try {
      const client = new OpenAI({ apiKey: 'test', baseURL: fake.url });
      const store = createMemoryBlobStore();
      const run = generateBatch(items(3), { client, store, entity: 'students', quality: 'low' });
      const report = await run.report;
      expect(report.counts.stored).toBe(3);
      for (const item of report.items) {
        const blob = item.status === 'stored' ? await store.get(item.path) : undefined;
        expect(blob?.contentType).toBe('image/png');
      }
      expect(fake.calls.filter((call) => call.endpoint === 'images.generations')).toHaveLength(3);
    } finally {
      await fake.close();
    }
  });
});

/** Iterates a batch while the fake clock advances in the background. */
async function* withClock(run: ReturnType<typeof generateBatch>, clock: ReturnType<typeof createFakeClock>) {
  const driving = clock.run(run.report);
  for await (const event of run) yield event;
  await driving;
}
