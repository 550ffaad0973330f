import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import {
  createMemoryRateLimitStore,
  createMemoryUsageStore,
  createPriceTable,
  createRateLimiter,
  createUsageRecorder,
  emptySummary,
  fixedWindow,
  usageFromResponses,
} from '@relaykit/usage-tracker';
import { describe, expect, it } from 'vitest';
import { createUsageHandler, parseUsageRange, rateLimitStatusOf } from './usage';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const USER = '7c6b5a49-3827-4165-9e8d-7c6b5a493827';
const NOW = new Date('2026-11-23T12:00:00.000Z');

const get = (query: string, token?: string) =>
  new Request(`http://localhost/api/usage${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('createUsageHandler', () => {
  it("answers only the caller's days when wired to the recorder's per-user daily stats", async () => {
    const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
    const usage = usageFromResponses({ input_tokens: 1_000, output_tokens: 500 });
    await recorder.recordUsage({ userId: USER, kind: 'chat', model: 'gpt-4o-mini', usage });
    await recorder.recordUsage({ userId: 'someone-else', kind: 'chat', model: 'gpt-4o-mini', usage });
    await recorder.recordUsage({ userId: 'someone-else', kind: 'chat', model: 'gpt-4o-mini', usage });
    const handle = createUsageHandler({
      auth: { jwtSecret: SECRET },
      now: () => new Date(Date.now() + 1_000),
      getUsageSummary: (userId, range) => recorder.getUsageSummary(userId, range),
      getDailyStats: (userId, range) => recorder.getDailyStats(range, { userId }),
    });
    const response = await handle(get('', await mintSupabaseJwt({ sub: USER, secret: SECRET })));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { daily: Array<Record<string, unknown>> };
    expect(body.daily).toEqual([
      expect.objectContaining({ requests: 1, users: 1, totalTokens: 1_500, costMicros: 450 }),
    ]);
  });

  it('adds the rate-limit standing (peeked, never consumed) and the recent errors to the report', async () => {
    const limiter = createRateLimiter({
      store: createMemoryRateLimitStore(),
      algorithm: fixedWindow(5, '1 m'),
      onStoreFailure: 'deny',
    });
    await limiter.limit(USER);
    await limiter.limit(USER);
    const asked: Array<[string, number, { requestId?: string } | undefined]> = [];
    const handle = createUsageHandler({
      auth: { jwtSecret: SECRET },
      now: () => NOW,
      getUsageSummary: async (userId) => emptySummary(userId),
      getDailyStats: async () => [],
      getRateLimitStatus: rateLimitStatusOf(limiter),
      getRecentErrors: async (userId, limit, options) => {
        asked.push([userId, limit, options]);
        return [
          {
            at: new Date('2026-11-23T11:59:00Z'),
            code: 'content_policy',
            message: 'Blocked.',
            model: 'gpt-image-1',
            requestId: 'req_blocked_1',
          },
          { at: '2026-11-23T11:58:00Z', code: 'provider_unavailable', message: 'upstream broke' },
        ];
      },
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    for (let round = 0; round < 2; round += 1) {
      const response = await handle(get('', token));
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.rateLimit).toMatchObject({ limit: 5, remaining: 3 });
      expect(new Date(body.rateLimit.resetAt).getTime()).toBeGreaterThan(Date.now());
      expect(body.recentErrors).toEqual([
        {
          at: '2026-11-23T11:59:00.000Z',
          code: 'content_policy',
          message: 'Blocked.',
          model: 'gpt-image-1',
          requestId: 'req_blocked_1',
        },
        {
          at: '2026-11-23T11:58:00.000Z',
          code: 'provider_unavailable',
          message: 'upstream broke',
          requestId: null,
        },
      ]);
      expect(body.summary.userId).toBe(USER);
    }
    expect((await limiter.limit(USER, { rate: 0 })).remaining).toBe(3);
    expect(asked).toEqual([
      [USER, 10, undefined],
      [USER, 10, undefined],
    ]);
    await handle(get('?errors=3', token));
    expect(asked.at(-1)).toEqual([USER, 3, undefined]);
    // ?requestId= asks for that request's failures, and answers only those even when the function ignores the option.
    const one = await (await handle(get('?requestId=req_blocked_1', token))).json();
    expect(asked.at(-1)).toEqual([USER, 10, { requestId: 'req_blocked_1' }]);
    expect(one.recentErrors).toEqual([
      expect.objectContaining({ code: 'content_policy', requestId: 'req_blocked_1' }),
    ]);
    for (const notAnId of ['r'.repeat(129), 'short', 'req_with space', 'req_nul\u0000byte']) {
      const rejected = await handle(get(`?requestId=${encodeURIComponent(notAnId)}`, token));
      expect(rejected.status).toBe(400);
      expect((await rejected.json()).error.details.issues[0].path).toEqual(['requestId']);
    }
    const bad = await handle(get('?errors=500', token));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.issues[0].path).toEqual(['errors']);
  });

  it("finds a failed run's row by the x-request-id its response carried (recorder wired as is)", async () => {
    const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
    const failed = (requestId: string | undefined, error: string) =>
      recorder.recordUsage({
        userId: USER,
        kind: 'chat',
        model: 'gpt-4o-mini',
        usage: usageFromResponses({ input_tokens: 0, output_tokens: 0 }),
        error,
        errorCode: 'provider_unavailable',
        ...(requestId ? { metadata: { request_id: requestId } } : {}),
      });
    await failed('req_0123456789abcdef', 'The model provider failed.');
    await failed('req_fedcba9876543210', 'Another failure.');
    await failed(undefined, 'Recorded without a request id.');
    const handle = createUsageHandler({
      auth: { jwtSecret: SECRET },
      now: () => new Date(Date.now() + 1_000),
      getUsageSummary: (userId, range) => recorder.getUsageSummary(userId, range),
      getDailyStats: (userId, range) => recorder.getDailyStats(range, { userId }),
      getRecentErrors: (userId, limit, options) => recorder.getRecentErrors(userId, limit, options),
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const all = await (await handle(get('', token))).json();
    expect(all.recentErrors.map((error: { requestId: string | null }) => error.requestId)).toEqual([
      null,
      'req_fedcba9876543210',
      'req_0123456789abcdef',
    ]);
    const response = await handle(get('?requestId=req_0123456789abcdef', token));
    expect(response.status).toBe(200);
    expect((await response.json()).recentErrors).toEqual([
      {
        at: expect.any(String),
        code: 'provider_unavailable',
        message: 'The model provider failed.',
        model: 'gpt-4o-mini',
        requestId: 'req_0123456789abcdef',
      },
    ]);
  });

  it('leaves rateLimit and recentErrors out when not configured', async () => {
    const handle = createUsageHandler({
      auth: { jwtSecret: SECRET },
      now: () => NOW,
      getUsageSummary: async (userId) => emptySummary(userId),
      getDailyStats: async () => [],
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const body = await (await handle(get('', token))).json();
    expect(Object.keys(body).sort()).toEqual(['daily', 'range', 'summary']);
    expect((await handle(get(''))).status).toBe(401);
  });

  it('parses ranges: defaults, bad dates, reversed and too long', () => {
    const url = (query: string) => new URL(`http://localhost/api/usage${query}`);
    expect(parseUsageRange(url(''), NOW, 7)).toEqual({ from: new Date('2026-11-16T12:00:00.000Z'), to: NOW });
    for (const [query, code] of [
      ['?from=yesterday', 'invalid_date'],
      ['?from=2026-02-01&to=2026-01-01', 'invalid_range'],
      ['?from=2020-01-01&to=2026-01-01', 'range_too_long'],
    ] as const) {
      expect(() => parseUsageRange(url(query), NOW)).toThrow(
        expect.objectContaining({
          code: 'invalid_request',
          details: { issues: [expect.objectContaining({ code })] },
        }),
      );
    }
  });
});
