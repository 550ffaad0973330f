import type { AdapterContext } from '@relaykit/agent-core';
import { RequestError } from '@relaykit/sse-protocol';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { createMemoryRateLimitStore, createRateLimiter, fixedWindow } from '@relaykit/usage-tracker';
import { describe, expect, it } from 'vitest';
import { createChatKitRoute } from './chatkit-route';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const USER = 'c9d8e7f6-a5b4-4c3d-8e2f-1a0b9c8d7e6f';

function fakeServer() {
  const calls: Array<{ body: unknown; context: AdapterContext }> = [];
  return {
    calls,
    async handle(request: Request, context: AdapterContext): Promise<Response> {
      const body = (await request.json()) as { type: string };
      calls.push({ body, context });
      if (body.type === 'threads.get_by_id') throw new RequestError('not_found', 'Thread not found.');
      return Response.json({ data: [], has_more: false });
    },
  };
}

function post(body: string, token?: string): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return new Request('http://localhost:3000/api/chatkit', { method: 'POST', headers, body });
}

async function errorOf(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/json');
  return ((await response.json()) as { error: { code: string; details?: unknown } }).error;
}

describe('createChatKitRoute', () => {
  it('hands the server the body and the { userId } context on success', async () => {
    const server = fakeServer();
    const { POST } = createChatKitRoute({ server, auth: { jwtSecret: SECRET } });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const response = await POST(post('{"type":"threads.list","params":{"limit":5}}', token));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: [], has_more: false });
    expect(server.calls[0]?.body).toEqual({ type: 'threads.list', params: { limit: 5 } });
    expect(server.calls[0]?.context.userId).toBe(USER);
    expect(typeof server.calls[0]?.context.waitUntil).toBe('function');
  });

  it('answers 401 JSON without a token, with a bad token and with an expired token', async () => {
    const server = fakeServer();
    const { POST } = createChatKitRoute({ server, auth: { jwtSecret: SECRET } });
    const forged = await mintSupabaseJwt({ sub: USER, secret: 'not-the-project-secret-but-long-enough' });
    const expired = await mintSupabaseJwt({
      sub: USER,
      secret: SECRET,
      now: Math.floor(Date.now() / 1000) - 3 * 3600,
    });
    for (const token of [undefined, 'garbage', forged, expired]) {
      const response = await POST(post('{"type":"threads.list"}', token));
      expect(response.status).toBe(401);
      expect((await errorOf(response)).code).toBe('unauthorized');
    }
    expect(server.calls).toHaveLength(0);
  });

  it('answers 413 over the body cap and 400 with details for bad JSON', async () => {
    const server = fakeServer();
    const { POST } = createChatKitRoute({ server, auth: { jwtSecret: SECRET }, maxBodyBytes: 128 });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const big = await POST(post(JSON.stringify({ type: 'threads.create', text: 'x'.repeat(200) }), token));
    expect(big.status).toBe(413);
    expect(await errorOf(big)).toMatchObject({ code: 'payload_too_large', details: { maxBytes: 128 } });
    const bad = await POST(post('{"type": threads.list}', token));
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatchObject({
      code: 'invalid_request',
      details: { issues: [{ code: 'invalid_json' }] },
    });
    expect(server.calls).toHaveLength(0);
  });

  it('answers 429 with Retry-After and RateLimit-* when the limiter denies', async () => {
    const server = fakeServer();
    const rateLimiter = createRateLimiter({
      store: createMemoryRateLimitStore(),
      algorithm: fixedWindow(2, '1 m'),
      onStoreFailure: 'deny',
    });
    const { POST } = createChatKitRoute({ server, auth: { jwtSecret: SECRET }, rateLimiter });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let index = 0; index < 3; index += 1) {
      last = await POST(post('{"type":"threads.list"}', token));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(last?.headers.get('ratelimit-limit')).toBe('2');
    expect(last?.headers.get('ratelimit-remaining')).toBe('0');
    expect(last?.headers.get('ratelimit-policy')).toBe('2;w=60');
    expect((await errorOf(last as Response)).code).toBe('rate_limited');
    expect(server.calls).toHaveLength(2);
  });

  it('maps the server’s not_found (a wrong user’s thread) to 404', async () => {
    const { POST } = createChatKitRoute({ server: fakeServer(), auth: { jwtSecret: SECRET } });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const response = await POST(post('{"type":"threads.get_by_id","params":{"thread_id":"thr_x"}}', token));
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toMatchObject({ code: 'not_found', message: 'Thread not found.' });
  });

  it('accepts a handler function and a custom authenticator, and refuses bad options', async () => {
    const { POST } = createChatKitRoute<{ owner: string }>({
      handler: async (_request, context) => Response.json(context),
      auth: async () => ({ userId: USER, role: 'authenticated', claims: {}, accessToken: 'cookie' }),
      context: (context) => ({ owner: context.userId }),
    });
    expect(await (await POST(post('{}'))).json()).toEqual({ owner: USER });
    expect(() => createChatKitRoute({ auth: { jwtSecret: SECRET } })).toThrow(/needs a server/);
    expect(() =>
      createChatKitRoute({
        server: fakeServer(),
        handler: async () => new Response(),
        auth: { jwtSecret: SECRET },
      }),
    ).toThrow(/not both/);
    expect(() => createChatKitRoute({ server: fakeServer() } as never)).toThrow(/needs auth/);
  });

  it('passes a streamed SSE answer through untouched', async () => {
    const { POST } = createChatKitRoute({
      auth: { jwtSecret: SECRET },
      handler: async () =>
        new Response(
          new ReadableStream({
            start(controller) {
              const encoder = new TextEncoder();
              controller.enqueue(encoder.encode('data: {"type":"thread.created"}\n\n'));
              controller.enqueue(encoder.encode('data: {"type":"thread.item.done"}\n\n'));
              controller.close();
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        ),
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const response = await POST(post('{"type":"threads.create"}', token));
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(await response.text()).toBe(
      'data: {"type":"thread.created"}\n\ndata: {"type":"thread.item.done"}\n\n',
    );
  });
});
