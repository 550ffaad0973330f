import { rateLimitStatusOf } from '@relaykit/agent-core';
import { createMemoryBlobStore } from '@relaykit/image-gen';
import { createFakeOpenAI } from '@relaykit/testing';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import {
  createMemoryRateLimitStore,
  createMemoryUsageStore,
  createPriceTable,
  createRateLimiter,
  createUsageRecorder,
  fixedWindow,
  type TimeRange,
  usageFromResponses,
} from '@relaykit/usage-tracker';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { createImageRoutes } from './image-routes';
import { createUsageRoute } from './usage-route';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const USER = '3f2e1d0c-9b8a-4765-8432-10fedcba9876';
const NOW = new Date('2026-11-23T12:00:00.000Z');

function get(query: string, token?: string): Request {
  return new Request(`http://localhost/api/usage${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

describe('createUsageRoute', () => {
  it('answers only the caller’s summary and daily stats over the default range', async () => {
    const seen: Array<{ userId: string; range: TimeRange }> = [];
    const { GET } = createUsageRoute({
      auth: { jwtSecret: SECRET },
      now: () => NOW,
      getUsageSummary: async (userId, range) => {
        seen.push({ userId, range });
        return { userId } as never;
      },
      getDailyStats: async () => [],
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const response = await GET(get('', token));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      range: { from: '2026-10-24T12:00:00.000Z', to: '2026-11-23T12:00:00.000Z' },
      summary: { userId: USER },
      daily: [],
    });
    expect(seen[0]?.userId).toBe(USER);
  });

  it('reads a real memory usage store through the recorder; the summary and the days hold only the caller’s rows', async () => {
    const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
    const usage = usageFromResponses({ input_tokens: 1_000, output_tokens: 500 });
    await recorder.recordUsage({ userId: USER, kind: 'chat', model: 'gpt-4o-mini', usage });
    await recorder.recordUsage({ userId: 'someone-else', kind: 'chat', model: 'gpt-4o-mini', usage });
    const { GET } = createUsageRoute({
      auth: { jwtSecret: SECRET },
      now: () => new Date(Date.now() + 1_000),
      getUsageSummary: (userId, range) => recorder.getUsageSummary(userId, range),
      getDailyStats: (userId, range) => recorder.getDailyStats(range, { userId }),
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const response = await GET(get('', token));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.summary).toMatchObject({
      userId: USER,
      chatRequests: 1,
      totalTokens: 1_500,
      costMicros: 450,
    });
    expect(body.daily).toHaveLength(1);
    expect(body.daily[0]).toMatchObject({ requests: 1, users: 1, totalTokens: 1_500, costMicros: 450 });
    const old = await GET(get('?from=2026-01-01&to=2026-02-01', token));
    expect((await old.json()).summary).toMatchObject({ totalRequests: 0 });
  });

  it('answers 401 without a token and 400 for bad or reversed dates', async () => {
    const { GET } = createUsageRoute({
      auth: { jwtSecret: SECRET },
      getUsageSummary: async () => {
        throw new Error('not reached');
      },
      getDailyStats: async () => [],
    });
    expect((await GET(get(''))).status).toBe(401);
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const bad = await GET(get('?from=yesterday', token));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.issues[0]).toMatchObject({
      code: 'invalid_date',
      path: ['from'],
    });
    const reversed = await GET(get('?from=2026-02-01&to=2026-01-01', token));
    expect(reversed.status).toBe(400);
    const long = await GET(get('?from=2020-01-01&to=2026-01-01', token));
    expect((await long.json()).error.details.issues[0].code).toBe('range_too_long');
  });

  it('shows the dashboard what the image routes did: usage, rate-limit standing and recent errors', async () => {
    const fake = await createFakeOpenAI({
      script: {
        rules: [
          {
            match: { endpoint: 'images.generations', lastUserText: 'forbidden' },
            reply: { error: { status: 400, message: 'Blocked.', code: 'moderation_blocked' } },
          },
        ],
      },
    });
    try {
      const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
      const limiter = createRateLimiter({
        store: createMemoryRateLimitStore(),
        algorithm: fixedWindow(10, '1 h'),
        onStoreFailure: 'deny',
      });
      const tasks: Promise<unknown>[] = [];
      const images = createImageRoutes({
        auth: { jwtSecret: SECRET },
        client: new OpenAI({ apiKey: 'test', baseURL: fake.url }),
        blobs: createMemoryBlobStore(),
        rateLimiter: limiter,
        usage: recorder,
        waitUntil: (task) => tasks.push(task),
      });
      const { GET } = createUsageRoute({
        auth: { jwtSecret: SECRET },
        getUsageSummary: (userId, range) => recorder.getUsageSummary(userId, range),
        getDailyStats: (userId, range) => recorder.getDailyStats(range, { userId }),
        getRateLimitStatus: rateLimitStatusOf(limiter),
        getRecentErrors: (userId, limit, options) => recorder.getRecentErrors(userId, limit, options),
        now: () => new Date(Date.now() + 1_000),
      });
      const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
      const post = (prompt: string) =>
        new Request('http://localhost/api/images', {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: JSON.stringify({ prompt }),
        });
      expect((await images.generate.POST(post('a harbour at dawn'))).status).toBe(200);
      const refused = await images.generate.POST(post('something forbidden'));
      expect(refused.status).toBe(422);
      const refusedId = refused.headers.get('x-request-id');
      expect(refusedId).toMatch(/^req_/);
      await Promise.all(tasks);
      const body = await (await GET(get('', token))).json();
      expect(body.summary).toMatchObject({ imageRequests: 2, failedRequests: 1 });
      expect(body.rateLimit).toMatchObject({ limit: 10, remaining: 8 });
      expect(body.recentErrors).toEqual([
        {
          at: expect.any(String),
          code: 'content_policy',
          message: 'Blocked.',
          model: 'gpt-image-1',
          requestId: refusedId,
        },
      ]);
      // The id the refused answer carried finds its row.
      const found = await (await GET(get(`?requestId=${refusedId}`, token))).json();
      expect(found.recentErrors).toEqual([expect.objectContaining({ requestId: refusedId })]);
      expect((await (await GET(get('?requestId=req_not_a_request', token))).json()).recentErrors).toEqual([]);
      // Reading the dashboard consumed nothing.
      expect((await (await GET(get('', token))).json()).rateLimit.remaining).toBe(8);
    } finally {
      await fake.close();
    }
  });
});
