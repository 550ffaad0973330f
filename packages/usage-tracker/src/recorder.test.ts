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

  it("answers one user's daily stats with userId, every user's without", async () => {
    const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
    const range = { from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 60_000) };
    const call = (userId: string) =>
      recorder.recordUsage({
        userId,
        kind: 'chat',
        model: 'gpt-4o-mini',
        usage: createUsage({ requests: 1 }),
      });
    await call('teacher-1');
    await call('teacher-1');
    await call('teacher-2');
    expect(await recorder.getDailyStats(range, { userId: 'teacher-1' })).toEqual([
      expect.objectContaining({ requests: 2, users: 1 }),
    ]);
    expect(await recorder.getDailyStats(range, { userId: 'teacher-3' })).toEqual([]);
    expect(await recorder.getDailyStats(range)).toEqual([expect.objectContaining({ requests: 3, users: 2 })]);
    await expect(recorder.getDailyStats(range, { userId: '' })).rejects.toMatchObject({
      code: 'invalid_request',
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

  it('records failed calls with their code and answers a user’s recent errors, newest first', async () => {
    const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
    const failed = (message: string, errorCode?: string, requestId?: string) =>
      recorder.recordUsage({
        userId: 'teacher-1',
        kind: 'image',
        model: 'gpt-image-1',
        usage: createUsage({}),
        error: message,
        ...(errorCode ? { errorCode } : {}),
        ...(requestId ? { metadata: { request_id: requestId } } : {}),
      });
    await failed('Blocked.', 'content_policy', 'req_blocked');
    await failed('upstream broke');
    const errors = await recorder.getRecentErrors('teacher-1');
    expect(
      errors.map((error) => [error.message, error.code, error.model, error.kind, error.requestId]),
    ).toEqual([
      ['upstream broke', undefined, 'gpt-image-1', 'image', null],
      ['Blocked.', 'content_policy', 'gpt-image-1', 'image', 'req_blocked'],
    ]);
    expect(await recorder.getRecentErrors('teacher-1', 1)).toHaveLength(1);
    expect(
      (await recorder.getRecentErrors('teacher-1', 10, { requestId: 'req_blocked' })).map((e) => e.message),
    ).toEqual(['Blocked.']);
    for (const requestId of ['', 'r'.repeat(257)])
      await expect(recorder.getRecentErrors('teacher-1', 10, { requestId })).rejects.toMatchObject({
        code: 'invalid_request',
      });
    expect((await recorder.getUsageSummary('teacher-1', range)).failedRequests).toBe(2);
    for (const limit of [0, 101, 1.5])
      await expect(recorder.getRecentErrors('teacher-1', limit)).rejects.toMatchObject({
        code: 'invalid_request',
      });
  });
});
