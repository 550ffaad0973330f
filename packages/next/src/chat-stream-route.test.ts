// biome-ignore-all lint/suspicious/noExplicitAny: the tests read decoded wire JSON loosely, as a client would.
import { type AdapterContext, createChatKitServer } from '@relaykit/agent-core';
import { createMemoryStore } from '@relaykit/chatkit-store';
import {
  createMemoryStreamLog,
  createSimpleChatDecoder,
  type ThreadItem,
  type ThreadStreamEventInput,
} from '@relaykit/sse-protocol';
import { mintSupabaseJwt } from '@relaykit/testing/supabase';
import { createMemoryRateLimitStore, createRateLimiter, fixedWindow } from '@relaykit/usage-tracker';
import { describe, expect, it } from 'vitest';
import { createChatStreamRoute } from './chat-stream-route';

const SECRET = 'a-test-secret-of-at-least-32-characters';

function route() {
  const store = createMemoryStore();
  const server = createChatKitServer<AdapterContext>({
    store: store as never,
    respond: async function* (thread, input, context) {
      const text = (input?.content[0] as { text?: string } | undefined)?.text ?? '';
      yield {
        type: 'thread.item.done',
        item: {
          type: 'assistant_message',
          id: store.generateItemId('message', thread, context as never),
          thread_id: thread.id,
          created_at: new Date().toISOString(),
          content: [{ type: 'output_text', text: `echo: ${text}`, annotations: [] }],
        } as ThreadItem,
      } as ThreadStreamEventInput;
    },
  });
  return createChatStreamRoute({ server, auth: { jwtSecret: SECRET } }).POST;
}

const post = (body: unknown, token?: string) =>
  new Request('http://localhost:3000/api/chat', {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: JSON.stringify(body),
  });

describe('createChatStreamRoute', () => {
  it('answers JSON for stream: false and keeps threads per user (another user gets 404)', async () => {
    const POST = route();
    const alice = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const bob = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const first = await POST(post({ message: 'hello', stream: false }, alice));
    expect(first.status).toBe(200);
    const reply = await first.json();
    expect(reply.message).toBe('echo: hello');
    const foreign = await POST(post({ message: 'peek', threadId: reply.threadId, stream: false }, bob));
    expect(foreign.status).toBe(404);
  });

  it('streams simple SSE by default and validates the body (400 with issues, 401 without a token)', async () => {
    const POST = route();
    const token = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const streamed = await POST(post({ message: 'hi' }, token));
    expect(streamed.headers.get('content-type')).toContain('text/event-stream');
    expect(await streamed.text()).toContain('echo: hi');
    const invalid = await POST(post({ text: 'wrong field' }, token));
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error.details.issues[0].path).toEqual(['message']);
    expect((await POST(post({ message: 'hi' }))).status).toBe(401);
  });
});

/**
 * A server whose reply advances one text delta per `step()`: the test decides where a run is when it drops,
 * resumes or stops, without timers.
 */
function steppedRoutes(options: { rateLimit?: number; streamLog?: boolean } = {}) {
  const store = createMemoryStore();
  const waiting: Array<() => void> = [];
  let permits = 0;
  const nextStep = () =>
    permits > 0 ? Promise.resolve(void permits--) : new Promise<void>((resolve) => waiting.push(resolve));
  const step = (count = 1) => {
    for (let n = 0; n < count; n++) {
      const resolve = waiting.shift();
      if (resolve) resolve();
      else permits++;
    }
  };
  const words = ['one ', 'two ', 'three ', 'four'];
  const server = createChatKitServer<AdapterContext>({
    store: store as never,
    respond: async function* (thread, _input, context) {
      const item = {
        type: 'assistant_message',
        id: store.generateItemId('message', thread, context as never),
        thread_id: thread.id,
        created_at: new Date().toISOString(),
        content: [{ type: 'output_text', text: '', annotations: [] }],
      } as ThreadItem;
      yield { type: 'thread.item.added', item } as ThreadStreamEventInput;
      for (const delta of words) {
        await nextStep();
        yield {
          type: 'thread.item.updated',
          item_id: item.id,
          update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta },
        } as ThreadStreamEventInput;
      }
      const content = [{ type: 'output_text', text: words.join(''), annotations: [] }];
      yield { type: 'thread.item.done', item: { ...item, content } as ThreadItem } as ThreadStreamEventInput;
    },
  });
  const runs: Promise<unknown>[] = [];
  const routes = createChatStreamRoute({
    server,
    auth: { jwtSecret: SECRET },
    heartbeatMs: 0,
    waitUntil: (task) => void runs.push(task),
    ...(options.streamLog === false ? {} : { streamLog: createMemoryStreamLog() }),
    ...(options.rateLimit === undefined
      ? {}
      : {
          rateLimiter: createRateLimiter({
            store: createMemoryRateLimitStore(),
            algorithm: fixedWindow(options.rateLimit, '1 m'),
            onStoreFailure: 'deny',
          }),
        }),
  });
  return { ...routes, store, step, settled: () => Promise.all(runs) };
}

function events(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>)
    .pipeThrough(createSimpleChatDecoder())
    .getReader();
  const seen: Array<{ event: string; id?: string; data: any }> = [];
  return {
    seen,
    async until(stop: (event: { event: string }) => boolean = () => false) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return seen;
        seen.push(value as never);
        if (stop(value)) return seen;
      }
    },
    drop: () => reader.cancel(),
  };
}

const at = (query: string, init: RequestInit & { token?: string; lastEventId?: string } = {}) => {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.lastEventId) headers['last-event-id'] = init.lastEventId;
  return new Request(`http://localhost:3000/api/chat?${query}`, { method: init.method ?? 'GET', headers });
};

describe('createChatStreamRoute with a streamLog: POST, GET resume, DELETE stop', () => {
  it('a dropped POST keeps running; GET with Last-Event-ID replays the rest and follows live; DELETE stops it', async () => {
    const routes = steppedRoutes({ rateLimit: 1 });
    const alice = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const bob = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    const started = events(await routes.POST(post({ message: 'hi', sessionId: 'ses-a' }, alice)));
    routes.step();
    const before = await started.until((event) => event.event === 'chunk');
    await started.drop();
    expect(before.map((event) => [event.event, event.id])).toEqual([
      ['session', '1'],
      ['chunk', '2'],
    ]);

    routes.step();
    const resumed = await routes.GET(at('sessionId=ses-a', { token: alice, lastEventId: '2' }));
    expect(resumed.status).toBe(200);
    const live = events(resumed);
    expect(await live.until((event) => event.event === 'chunk')).toEqual([
      { event: 'chunk', id: '3', data: { text: 'two ', sessionId: 'ses-a' } },
    ]);

    // Rate limits apply to POST only: GET and DELETE still work after the limit is spent.
    expect((await routes.POST(post({ message: 'again' }, alice))).status).toBe(429);
    const foreign = await routes.DELETE(at('sessionId=ses-a', { method: 'DELETE', token: bob }));
    expect(foreign.status).toBe(404);
    expect((await foreign.json()).error.code).toBe('not_found');
    expect((await routes.GET(at('sessionId=ses-a', { token: bob }))).status).toBe(404);
    const stopped = await routes.DELETE(at('sessionId=ses-a', { method: 'DELETE', token: alice }));
    expect(stopped.status).toBe(200);
    expect(await stopped.json()).toEqual({ sessionId: 'ses-a', state: 'cancelled' });

    const rest = await live.until();
    expect(rest.at(-1)).toMatchObject({ event: 'error', data: { code: 'cancelled', retryable: false } });
    await routes.settled();
    const threadId = before[0]?.data.threadId;
    const context = { userId: JSON.parse(atob(alice.split('.')[1] as string)).sub };
    const items = await routes.store.loadThreadItems(threadId, null, 10, 'asc', context as never);
    expect(items.data.map((item) => item.type)).toEqual([
      'user_message',
      'assistant_message',
      'sdk_hidden_context',
    ]);
    expect((items.data[1] as any).content[0].text).toBe('one two ');
  });

  it('answers 401 without a token on every method, 400 for an empty POST body, a missing sessionId or a bad Last-Event-ID', async () => {
    const routes = steppedRoutes();
    const token = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    for (const method of ['POST', 'GET', 'DELETE'] as const)
      expect((await routes[method](at('sessionId=x', { method }))).status).toBe(401);
    const empty = await routes.POST(
      new Request('http://localhost:3000/api/chat', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.details.issues[0].path).toEqual(['message']);
    expect((await routes.GET(at('', { token }))).status).toBe(400);
    expect((await routes.DELETE(at('', { method: 'DELETE', token }))).status).toBe(400);
    const started = events(await routes.POST(post({ message: 'hi', sessionId: 'ses-b' }, token)));
    routes.step(4);
    await started.until();
    const bad = await routes.GET(at('sessionId=ses-b', { token, lastEventId: 'abc' }));
    expect(bad.status).toBe(400);
    expect(await (await routes.GET(at('sessionId=ses-b', { token, lastEventId: '6' }))).text()).toBe(
      'event: done\nid: 7\ndata: {"sessionId":"ses-b"}\n\n',
    );
  });

  it('without a streamLog, GET and DELETE answer 400 and POST streams as before', async () => {
    const routes = steppedRoutes({ streamLog: false });
    const token = await mintSupabaseJwt({ sub: crypto.randomUUID(), secret: SECRET });
    expect((await routes.GET(at('sessionId=x', { token }))).status).toBe(400);
    expect((await routes.DELETE(at('sessionId=x', { method: 'DELETE', token }))).status).toBe(400);
    routes.step(4);
    const text = await (await routes.POST(post({ message: 'hi' }, token))).text();
    expect(text).toContain('event: done');
  });
});
