import { describe, expect, it } from 'vitest';
import { createMemoryUsageStore } from './drivers/memory';
import { createPriceTable } from './prices';
import { createUsageRecorder } from './recorder';
import { createUsage, usageFromImages, usageFromResponses } from './usage';

describe('createUsageRecorder', () => {
  const range = { from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 60_000) };

  it('prices and records calls, and reports per user', async () => {
    const store = createMemoryUsageStore();
    const recorder = createUsageRecorder({ store, prices: createPriceTable() });
    const chat = await recorder.recordUsage({
      userId: 'teacher-1',
      kind: 'chat',
      model: 'gpt-4o-mini',
      usage: usageFromResponses({
        input_tokens: 1_000,
        input_tokens_details: { cached_tokens: 200 },
        output_tokens: 500,
      }),
      requestId: 'req-1',
    });
    // 800 × 0.15 + 200 × 0.075 + 500 × 0.60 = 120 + 15 + 300 = 435 micro-dollars
    expect(chat.cost).toMatchObject({ status: 'priced', costMicros: 435 });
    const image = await recorder.recordUsage({
      userId: 'teacher-1',
      kind: 'image',
      model: 'dall-e-3',
      usage: usageFromImages(undefined, { size: '1024x1024', quality: 'standard', count: 2 }),
    });
    expect(image.cost).toMatchObject({ status: 'priced', costMicros: 80_000 });
    const unknown = await recorder.recordUsage({
      userId: 'teacher-1',
      kind: 'chat',
      model: 'my-finetune',
      usage: createUsage({ requests: 1, inputTokens: 5 }),
    });
    expect(unknown.cost).toMatchObject({ status: 'unpriced', model: 'my-finetune' });
    expect(store.rows().at(-1)?.costMicros).toBeNull();
    const retried = await recorder.recordUsage({
      userId: 'teacher-1',
      kind: 'chat',
      model: 'gpt-4o-mini',
      usage: createUsage({ requests: 1 }),
      requestId: 'req-1',
    });
    expect(retried).toMatchObject({ id: chat.id, duplicate: true });
    const summary = await recorder.getUsageSummary('teacher-1', range);
    expect(summary).toMatchObject({
      chatRequests: 2,
      imageRequests: 1,
      costMicros: 80_435,
      unpricedRequests: 1,
      images: 2,
    });
    expect((await recorder.getDailyStats(range))[0]).toMatchObject({
      requests: 3,
      costMicros: 80_435,
      averageCostMicrosPerRequest: 26_812,
    });
  });

  it('rejects unknown kinds, bad usage, long ids and bad ranges', async () => {
    const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
    const base = { userId: 'u', kind: 'chat' as const, model: 'gpt-4o', usage: createUsage({ requests: 1 }) };
    await expect(recorder.recordUsage({ ...base, kind: 'audio' as never })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(
      recorder.recordUsage({ ...base, usage: { ...base.usage, inputTokens: -3 } }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(recorder.recordUsage({ ...base, userId: 'u'.repeat(257) })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(recorder.getUsageSummary('u', { from: new Date(2), to: new Date(1) })).rejects.toMatchObject(
      { code: 'invalid_request' },
    );
  });
});
