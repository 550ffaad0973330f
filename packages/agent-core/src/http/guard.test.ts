import { createMemoryStore } from '@relaykit/chatkit-store';
import { RequestError, StoreError } from '@relaykit/sse-protocol';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { createMemoryRateLimitStore, createRateLimiter, fixedWindow } from '@relaykit/usage-tracker';
import { describe, expect, it } from 'vitest';
import { createBearerAuthenticator } from './auth';
import { createChatKitServer } from './chatkit-server';
import { type AdapterContext, createGuardedHandler, resolveAuthenticator, resolveServer } from './guard';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const USER = '0b7d8c3a-1e2f-4a5b-9c6d-7e8f9a0b1c2d';

function recordingServer() {
  const calls: Array<{ body: unknown; context: AdapterContext }> = [];
  return {
    calls,
    async handle(request: Request, context: AdapterContext) {
      calls.push({ body: await request.json(), context });
      return Response.json({ ok: true, user: context.userId });
    },
  };
}

async function post(body: string, token?: string): Promise<Request> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return new Request('http://localhost/api/chatkit', { method: 'POST', headers, body });
}

describe('createGuardedHandler', () => {
  const authenticate = createBearerAuthenticator({ jwtSecret: SECRET });

  it('passes the body and the user context to the server', async () => {
    const server = recordingServer();
    const handle = createGuardedHandler({ server, authenticate });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const response = await handle(await post('{"type":"threads.list"}', token));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, user: USER });
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]?.body).toEqual({ type: 'threads.list' });
    expect(server.calls[0]?.context).toMatchObject({
      userId: USER,
      role: 'authenticated',
      accessToken: token,
    });
  });

  it('gives every answer a request id in x-request-id, and the server the same id in its context', async () => {
    const server = recordingServer();
    const handle = createGuardedHandler({ server, authenticate });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const ok = await handle(await post('{"type":"threads.list"}', token));
    const id = ok.headers.get('x-request-id');
    expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(server.calls[0]?.context.requestId).toBe(id);
    // A proxy's id is reused; a malformed one is replaced.
    const proxied = await post('{"type":"threads.list"}', token);
    proxied.headers.set('x-request-id', 'edge-7f3a9c21');
    expect((await handle(proxied)).headers.get('x-request-id')).toBe('edge-7f3a9c21');
    const forged = await post('{}', token);
    forged.headers.set('x-request-id', 'bad id <script>');
    expect((await handle(forged)).headers.get('x-request-id')).toMatch(/^req_/);
    const denied = await handle(await post('{}'));
    expect(denied.status).toBe(401);
    expect(denied.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('logs a server error once with its request id, and tells the client only the id', async () => {
    const logged: Array<{ error: unknown; requestId: string | undefined; status: number | undefined }> = [];
    const handle = createGuardedHandler({
      server: {
        handle: async () => {
          throw new Error('connect ECONNREFUSED 10.0.0.7:5432');
        },
      },
      authenticate,
      onUnexpectedError: (error, info) =>
        logged.push({ error, requestId: info?.requestId, status: info?.status }),
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const response = await handle(await post('{}', token));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('10.0.0.7');
    const id = response.headers.get('x-request-id');
    expect(JSON.parse(text).error).toMatchObject({ code: 'internal', requestId: id });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ requestId: id, status: 500 });

    const outage = createGuardedHandler({
      server: {
        handle: async () => {
          throw new StoreError('store_unavailable', 'The database is unavailable.', { retryable: true });
        },
      },
      authenticate,
    });
    const original = console.error;
    const lines: unknown[][] = [];
    console.error = (...args: unknown[]) => lines.push(args);
    try {
      const unavailable = await outage(await post('{}', token));
      expect(unavailable.status).toBe(503);
      expect(lines).toHaveLength(1);
      expect(String(lines[0]?.[0])).toContain(unavailable.headers.get('x-request-id')!);
      expect(String(lines[0]?.[0])).toContain('store_unavailable');
    } finally {
      console.error = original;
    }
  });

  it('answers 401 before reading the body, 413 over the cap and 400 for bad JSON; the server is not called', async () => {
    const server = recordingServer();
    const handle = createGuardedHandler({ server, authenticate, maxBodyBytes: 64 });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const unauthenticated = await handle(await post('{}'));
    expect(unauthenticated.status).toBe(401);
    expect((await unauthenticated.json()).error.code).toBe('unauthorized');
    const big = await handle(await post(JSON.stringify({ text: 'x'.repeat(100) }), token));
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('payload_too_large');
    const bad = await handle(await post('{"type":', token));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.issues[0].code).toBe('invalid_json');
    expect(server.calls).toHaveLength(0);
  });

  it('answers 429 with Retry-After and RateLimit-* when the limiter denies, and adds RateLimit-* otherwise', async () => {
    const server = recordingServer();
    const rateLimiter = createRateLimiter({
      store: createMemoryRateLimitStore(),
      algorithm: fixedWindow(1, '1 m'),
      onStoreFailure: 'deny',
    });
    const handle = createGuardedHandler({ server, authenticate, rateLimiter });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const first = await handle(await post('{}', token));
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('1');
    expect(first.headers.get('ratelimit-remaining')).toBe('0');
    const second = await handle(await post('{}', token));
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(second.headers.get('ratelimit-remaining')).toBe('0');
    expect((await second.json()).error.code).toBe('rate_limited');
    expect(server.calls).toHaveLength(1);
  });

  it('makes one rate-limit decision per request when the guard and the server both have a rateLimiter', async () => {
    const decisions: string[] = [];
    const counting = (name: string) => ({
      limit: async () => {
        decisions.push(name);
        return {
          success: true,
          limit: 10,
          remaining: 9,
          reset: Date.now() + 60_000,
          retryAfterMs: 0,
          windowMs: 60_000,
        };
      },
    });
    const store = createMemoryStore();
    const server = createChatKitServer<AdapterContext>({
      store,
      rateLimiter: counting('server'),
      async *respond(thread, _input, context) {
        yield {
          type: 'thread.item.done',
          item: {
            type: 'assistant_message',
            id: store.generateItemId('message', thread, context),
            thread_id: thread.id,
            created_at: new Date().toISOString(),
            content: [{ type: 'output_text', text: 'Hi', annotations: [] }],
          },
        };
      },
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const create = JSON.stringify({
      type: 'threads.create',
      params: {
        input: { content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {} },
      },
    });
    // Guarded: the guard decides, the server does not decide again (handleJson and handle alike).
    const guarded = createGuardedHandler({ server, authenticate, rateLimiter: counting('guard') });
    const answer = await guarded(await post(create, token));
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('"text":"Hi"');
    expect(decisions).toEqual(['guard']);
    const plain = createGuardedHandler({
      server: { handle: (request, context: AdapterContext) => server.handle(request, context) },
      authenticate,
      rateLimiter: counting('guard'),
    });
    await (await plain(await post(create, token))).text();
    expect(decisions).toEqual(['guard', 'guard']);
    // Without a guard limiter the server decides, once per request.
    const unguarded = createGuardedHandler({ server, authenticate });
    await (await unguarded(await post(create, token))).text();
    await (await unguarded(await post(create, token))).text();
    expect(decisions).toEqual(['guard', 'guard', 'server', 'server']);
  });

  it('maps errors thrown by the server (a wrong user’s thread is 404) and hides unexpected ones', async () => {
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const notFound = createGuardedHandler({
      authenticate,
      server: {
        handle: async () => {
          throw new RequestError('not_found', 'Thread not found.');
        },
      },
    });
    const response = await notFound(await post('{}', token));
    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toBe('Thread not found.');
    const logged: unknown[] = [];
    const broken = createGuardedHandler({
      authenticate,
      onUnexpectedError: (error) => logged.push(error),
      server: {
        handle: async () => {
          throw new TypeError('secret detail');
        },
      },
    });
    const failure = await broken(await post('{}', token));
    expect(failure.status).toBe(500);
    expect(await failure.text()).not.toContain('secret detail');
    expect(logged).toHaveLength(1);
  });

  it('builds a custom context and forwards GET without reading a body', async () => {
    const seen: Array<{ method: string; context: { owner: string } }> = [];
    const handle = createGuardedHandler({
      authenticate,
      context: (user) => ({ owner: user.userId }),
      server: {
        handle: async (request, context) => {
          seen.push({ method: request.method, context });
          return new Response('ok');
        },
      },
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    const response = await handle(
      new Request('http://localhost/api/chat?thread=1', { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(await response.text()).toBe('ok');
    expect(seen).toEqual([{ method: 'GET', context: { owner: USER } }]);
  });

  it('hands the server a waitUntil that reaches the runtime and reports failed tasks', async () => {
    const scheduled: Array<Promise<unknown>> = [];
    const failures: unknown[] = [];
    let settled = false;
    const handle = createGuardedHandler({
      authenticate,
      waitUntil: (task) => scheduled.push(task),
      onUnexpectedError: (error) => failures.push(error),
      server: {
        handle: async (_request, context) => {
          context.waitUntil(
            new Promise((resolve) => setTimeout(resolve, 5)).then(() => {
              settled = true;
            }),
          );
          context.waitUntil(Promise.reject(new Error('title generation failed')));
          return new Response('done');
        },
      },
    });
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    expect(await (await handle(await post('{}', token))).text()).toBe('done');
    expect(scheduled).toHaveLength(2);
    await Promise.all(scheduled);
    expect(settled).toBe(true);
    expect(failures).toMatchObject([{ message: 'title generation failed' }]);
  });

  it('resolves auth and server options, refusing missing or doubled ones', async () => {
    const custom = async () => ({ userId: USER, role: 'authenticated', claims: {}, accessToken: 't' });
    expect(resolveAuthenticator(custom, 'route')).toBe(custom);
    const fromSecret = resolveAuthenticator({ jwtSecret: SECRET }, 'route');
    const token = await mintSupabaseJwt({ sub: USER, secret: SECRET });
    expect((await fromSecret(await post('{}', token))).userId).toBe(USER);
    expect(() => resolveAuthenticator(undefined, 'myRoute')).toThrow(/myRoute needs auth/);
    const server = recordingServer();
    expect(resolveServer({ server }, 'route')).toBe(server);
    const wrapped = resolveServer<string>(
      { handler: async (_request, context) => new Response(context) },
      'route',
    );
    expect(await (await wrapped.handle(new Request('http://localhost/'), 'hello')).text()).toBe('hello');
    expect(() => resolveServer({}, 'route')).toThrow(/needs a server/);
    expect(() => resolveServer({ server, handler: async () => new Response() }, 'route')).toThrow(/not both/);
  });
});
