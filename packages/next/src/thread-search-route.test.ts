import { createChatKitServer } from '@relaykit/agent-core';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { createMemoryRateLimitStore, createRateLimiter, fixedWindow } from '@relaykit/usage-tracker';
import { expect, it } from 'vitest';
import { createThreadSearchRoute } from './thread-search-route';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const ALICE = 'c9d8e7f6-a5b4-4c3d-8e2f-1a0b9c8d7e6f';

it('authenticates, rate-limits and answers the caller’s matching threads', async () => {
  const store = createMemoryStore();
  const server = createChatKitServer({ store, respond: async function* () {} });
  await store.saveThread(
    {
      id: 'thr_route1',
      title: 'Garden plans',
      created_at: '2026-12-01T00:00:00.000Z',
      status: { type: 'active' },
      metadata: {},
    },
    { userId: ALICE },
  );
  const rateLimiter = createRateLimiter({
    store: createMemoryRateLimitStore(),
    algorithm: fixedWindow(2, '1m'),
    onStoreFailure: 'deny',
  });
  const { GET } = createThreadSearchRoute({
    server,
    auth: { jwtSecret: SECRET },
    rateLimiter,
    waitUntil: () => {},
  });
  const token = await mintSupabaseJwt({ sub: ALICE, secret: SECRET });
  const request = (auth?: string) =>
    new Request(
      'http://localhost/api/chatkit/search?q=garden',
      auth ? { headers: { authorization: `Bearer ${auth}` } } : {},
    );

  expect((await GET(request())).status).toBe(401);
  const found = await GET(request(token));
  expect(found.status).toBe(200);
  expect(await found.json()).toEqual({
    data: [
      {
        thread: {
          id: 'thr_route1',
          title: 'Garden plans',
          created_at: '2026-12-01T00:00:00.000Z',
          status: { type: 'active' },
        },
        snippet: '**Garden** plans',
      },
    ],
    has_more: false,
  });
  expect((await GET(request(token))).status).toBe(200);
  const limited = await GET(request(token));
  expect(limited.status).toBe(429);
  expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
});

it('answers its 400 and 429 with the request id in the x-request-id header and in error.requestId', async () => {
  const store = createMemoryStore();
  const server = createChatKitServer({ store, respond: async function* () {} });
  const rateLimiter = createRateLimiter({
    store: createMemoryRateLimitStore(),
    algorithm: fixedWindow(1, '1m'),
    onStoreFailure: 'deny',
  });
  const { GET } = createThreadSearchRoute({
    server,
    auth: { jwtSecret: SECRET },
    rateLimiter,
    waitUntil: () => {},
  });
  const token = await mintSupabaseJwt({ sub: ALICE, secret: SECRET });
  const request = (requestId: string) =>
    new Request('http://localhost/api/chatkit/search?q=', {
      headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId },
    });
  const empty = await GET(request('req_search_empty_01'));
  expect(empty.status).toBe(400);
  expect(empty.headers.get('x-request-id')).toBe('req_search_empty_01');
  expect((await empty.json()).error).toMatchObject({
    code: 'invalid_request',
    requestId: 'req_search_empty_01',
  });
  const limited = await GET(request('req_search_limit_01'));
  expect(limited.status).toBe(429);
  expect(limited.headers.get('x-request-id')).toBe('req_search_limit_01');
  expect((await limited.json()).error).toMatchObject({
    code: 'rate_limited',
    requestId: 'req_search_limit_01',
  });
});
