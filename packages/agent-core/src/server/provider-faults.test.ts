// biome-ignore-all lint/suspicious/noExplicitAny: the tests read decoded wire JSON loosely, as a client would.
import { setTracingDisabled } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { StoreError } from '@relaykit/sse-protocol';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import {
  createMemoryRateLimitStore,
  createMemoryUsageStore,
  createPriceTable,
  createRateLimiter,
  createUsageRecorder,
  fixedWindow,
} from '@relaykit/usage-tracker';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatStream } from '../http/chat-stream';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess } from '../models/model-access';
import type { ModelStreamTimeouts } from '../models/stream-timeouts';
import { post, readEvents } from './conformance.suite';
import { INCOMPLETE_REPLY_CONTEXT } from './types';

setTracingDisabled(true);

/**
 * The fault suite: the agents responder against a fault-injecting fake OpenAI upstream. Each case checks what the
 * client got (ChatKit events, or the simple stream's events), what the store holds, and what the usage errors say.
 * Timeouts are injected small through options; the faults themselves hang until the client gives up, so nothing
 * depends on how fast the machine is.
 */
describe('provider faults against the agents responder', () => {
  let fake: FakeOpenAI | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  const assistant = defineAgent({
    type: 'assistant',
    description: 'General assistant',
    metadata: z.object({}),
    instructions: 'Be brief.',
  });

  async function setup(
    rules: any[],
    streamTimeouts?: ModelStreamTimeouts,
    extra: Partial<Parameters<typeof createChatKitServer>[0]> = {},
  ) {
    fake = await createFakeOpenAI({ script: { rules, fallback: 'error' } });
    const store = createMemoryStore();
    const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
    const logged: unknown[] = [];
    const server = createChatKitServer({
      store,
      onError: (error) => logged.push(error),
      agents: {
        registry: createAgentRegistry([assistant]),
        modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
        usage: recorder,
        ...(streamTimeouts ? { streamTimeouts } : {}),
      },
      ...extra,
    });
    return { server, store, recorder, logged };
  }

  /** A server without an `onError` hook whose every model call fails with a 500. */
  async function failingServerWithoutHook() {
    fake = await createFakeOpenAI({
      script: { rules: [{ reply: { error: { status: 500 } } }], fallback: 'error' },
    });
    return createChatKitServer({
      store: createMemoryStore(),
      agents: {
        registry: createAgentRegistry([assistant]),
        modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
      },
    });
  }

  /** The `console.error` calls made while `run` runs. */
  async function consoleErrors(run: () => Promise<void>): Promise<unknown[][]> {
    const original = console.error;
    const lines: unknown[][] = [];
    console.error = (...args: unknown[]) => lines.push(args);
    try {
      await run();
    } finally {
      console.error = original;
    }
    return lines;
  }

  const input = (text: string) => ({
    content: [{ type: 'input_text', text }],
    attachments: [],
    inference_options: {},
  });

  /** Runs one `threads.create` and answers its events and the thread's stored items (hidden ones included). */
  async function turn(setupResult: Awaited<ReturnType<typeof setup>>, userId: string) {
    const response = await setupResult.server.handle(
      post({ type: 'threads.create', params: { input: input('Tell me something') } }),
      { userId },
    );
    expect(response.status).toBe(200);
    const events = await readEvents(response);
    const threadId = events[0]?.thread.id as string;
    const stored = await setupResult.store.loadThreadItems(threadId, null, 50, 'asc', { userId });
    return { events, threadId, stored: stored.data as any[] };
  }

  const deltasOf = (events: any[]) =>
    events
      .filter((e) => e.type === 'thread.item.updated' && e.update.type.endsWith('text_delta'))
      .map((e) => e.update.delta)
      .join('');

  it('mid-stream drop: the partial text is kept (marked incomplete) and the stream ends with a retryable error', async () => {
    const setupResult = await setup([
      { reply: { text: 'one two three four five', faults: { dropAfter: 3 } } },
    ]);
    const userId = crypto.randomUUID();
    const { events, stored } = await turn(setupResult, userId);
    expect(deltasOf(events)).toBe('one two three');
    const done = events.filter((e) => e.type === 'thread.item.done').at(-1);
    expect(done?.item).toMatchObject({ type: 'assistant_message', content: [{ text: 'one two three' }] });
    expect(events.at(-1)).toEqual({ type: 'error', code: 'stream.error', allow_retry: true });
    expect(stored.map((item) => item.type)).toEqual([
      'user_message',
      'assistant_message',
      'sdk_hidden_context',
    ]);
    expect(stored[1].content[0].text).toBe('one two three');
    expect(stored[2].content).toBe(INCOMPLETE_REPLY_CONTEXT);
    const errors = await setupResult.recorder.getRecentErrors(userId);
    expect(errors).toHaveLength(1);
    // The model the run asked for (the route's), the stable code, the client-safe message.
    const asked = (fake!.calls.find((call) => call.endpoint === 'responses')?.body as any)?.model;
    expect(errors[0]).toMatchObject({ kind: 'chat', model: asked, code: 'provider_unavailable' });
    expect(errors[0]?.message).toBe('The connection to the model broke off mid-reply.');
    expect(setupResult.logged).toHaveLength(1);
  });

  it('hang mid-stream: the idle timeout ends the run the same way, with code timeout', async () => {
    const setupResult = await setup([{ reply: { text: 'one two three four', faults: { stallAfter: 2 } } }], {
      idleMs: 1500,
    });
    const userId = crypto.randomUUID();
    const { events, stored } = await turn(setupResult, userId);
    expect(deltasOf(events)).toBe('one two');
    expect(events.at(-1)).toEqual({ type: 'error', code: 'stream.error', allow_retry: true });
    expect(stored.map((item) => item.type)).toEqual([
      'user_message',
      'assistant_message',
      'sdk_hidden_context',
    ]);
    expect(stored[1].content[0].text).toBe('one two');
    const errors = await setupResult.recorder.getRecentErrors(userId);
    expect(errors.map((error) => error.code)).toEqual(['timeout']);
    expect(errors[0]?.message).toBe('The model stopped answering mid-reply.');
  });

  it('hang before the first byte: the first-byte timeout ends it; no assistant item, only the user message', async () => {
    const setupResult = await setup(
      [{ reply: { text: 'never sent', faults: { stallBeforeHeaders: true } } }],
      {
        firstByteMs: 500,
      },
    );
    const userId = crypto.randomUUID();
    const { events, stored } = await turn(setupResult, userId);
    expect(events.some((e) => e.type === 'thread.item.added')).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'error', code: 'stream.error', allow_retry: true });
    expect(stored.map((item) => item.type)).toEqual(['user_message']);
    const errors = await setupResult.recorder.getRecentErrors(userId);
    expect(errors.map((error) => error.code)).toEqual(['timeout']);
    expect(errors[0]?.message).toBe('The model did not start answering in time.');
  });

  it('429 with retry-after: a retryable custom error naming the wait; recorded as rate_limited', async () => {
    const setupResult = await setup([{ reply: { error: { status: 429, retryAfterMs: 3000 } } }]);
    const userId = crypto.randomUUID();
    const { events, stored } = await turn(setupResult, userId);
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'error', code: 'custom', allow_retry: true });
    expect(typeof last?.message).toBe('string');
    expect(stored.map((item) => item.type)).toEqual(['user_message']);
    const errors = await setupResult.recorder.getRecentErrors(userId);
    expect(errors.map((error) => error.code)).toEqual(['rate_limited']);
  });

  it('500 from the provider: retryable stream.error; recorded as provider_unavailable', async () => {
    const setupResult = await setup([{ reply: { error: { status: 500 } } }]);
    const userId = crypto.randomUUID();
    const { events, stored } = await turn(setupResult, userId);
    expect(events.at(-1)).toEqual({ type: 'error', code: 'stream.error', allow_retry: true });
    expect(stored.map((item) => item.type)).toEqual(['user_message']);
    const errors = await setupResult.recorder.getRecentErrors(userId);
    expect(errors.map((error) => error.code)).toEqual(['provider_unavailable']);
    const summary = await setupResult.recorder.getUsageSummary(userId, {
      from: new Date(Date.now() - 60_000),
      to: new Date(Date.now() + 60_000),
    });
    expect(summary.failedRequests).toBe(1);
  });

  it('a retry after a broken reply replaces the partial text and its marker', async () => {
    const setupResult = await setup([
      { reply: { text: 'one two three four five', faults: { dropAfter: 2 } }, times: 1 },
      { reply: { text: 'A whole answer.' } },
    ]);
    const userId = crypto.randomUUID();
    const { stored, threadId } = await turn(setupResult, userId);
    const retry = await setupResult.server.handle(
      post({ type: 'threads.retry_after_item', params: { thread_id: threadId, item_id: stored[0].id } }),
      { userId },
    );
    const events = await readEvents(retry);
    expect(events.some((e) => e.type === 'error')).toBe(false);
    const after = await setupResult.store.loadThreadItems(threadId, null, 50, 'asc', { userId });
    expect(after.data.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
    expect((after.data[1] as any).content[0].text).toBe('A whole answer.');
  });

  it('the simple stream ends a broken reply with a typed, retryable error event', async () => {
    const { server, store } = await setup([
      { reply: { text: 'one two three four', faults: { dropAfter: 2 } } },
    ]);
    const userId = crypto.randomUUID();
    const response = await createChatStream(
      server,
      { message: 'Hi', sessionId: 'faulty', heartbeatMs: 0 },
      { userId },
    );
    const frames = (await response.text())
      .split('\n\n')
      .filter((frame) => frame.trim() !== '' && !frame.startsWith(':'))
      .map((frame) => {
        const lines = frame.split('\n');
        const get = (key: string) =>
          lines.find((line) => line.startsWith(`${key}: `))?.slice(key.length + 2) ?? '';
        return { event: get('event'), data: JSON.parse(get('data')) };
      });
    const chunks = frames.filter((frame) => frame.event === 'chunk').map((frame) => frame.data);
    expect(chunks.length).toBeGreaterThan(0);
    const last = frames.at(-1);
    expect(last?.event).toBe('error');
    expect(last?.data).toMatchObject({ code: 'provider_unavailable', retryable: true });
    const threadId = frames.find((frame) => frame.event === 'session')?.data.threadId as string;
    const items = await store.loadThreadItems(threadId, null, 50, 'asc', { userId });
    expect((items.data[1] as any)?.content[0].text).toBe('one two');
  });

  it('a rate-limit denial is counted in the usage errors (rate_limited, no model called)', async () => {
    const rateLimiter = createRateLimiter({
      store: createMemoryRateLimitStore(),
      algorithm: fixedWindow(1, '1m'),
      onStoreFailure: 'deny',
    });
    const setupResult = await setup([{ reply: { text: 'Fine.' } }], undefined, { rateLimiter } as never);
    const userId = crypto.randomUUID();
    await turn(setupResult, userId);
    const denied = await setupResult.server.handle(
      post({ type: 'threads.create', params: { input: input('Again') } }),
      { userId },
    );
    expect(denied.status).toBe(429);
    const errors = await setupResult.recorder.getRecentErrors(userId);
    expect(errors).toEqual([expect.objectContaining({ code: 'rate_limited', model: 'none', kind: 'chat' })]);
    expect(setupResult.logged).toEqual([]);
  });

  it("a JSON 5xx of the server carries the context's request id and is logged once through onError", async () => {
    const setupResult = await setup([{ reply: { text: 'Fine.' } }]);
    const broken = { ...setupResult.store };
    broken.loadThreads = async () => {
      throw new StoreError('store_unavailable', 'The database is unavailable.', { retryable: true });
    };
    const logged: unknown[] = [];
    const server = createChatKitServer({
      store: broken as typeof setupResult.store,
      respond: async function* () {},
      onError: (error, context) => logged.push({ error, context }),
    });
    // The adapters' context carries the request id (`AdapterContext.requestId`).
    const context = { userId: crypto.randomUUID(), requestId: 'req_fault_0001' };
    const response = await server.handle(post({ type: 'threads.list', params: {} }), context);
    expect(response.status).toBe(503);
    expect(response.headers.get('x-request-id')).toBe('req_fault_0001');
    expect((await response.json()).error).toMatchObject({
      code: 'store_unavailable',
      requestId: 'req_fault_0001',
    });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ context: { requestId: 'req_fault_0001' } });
  });

  it('without an onError hook a failed run is logged once, with its code and request id', async () => {
    const server = await failingServerWithoutHook();
    const context = { userId: crypto.randomUUID(), requestId: 'req_fault_0002' };
    const lines = await consoleErrors(async () => {
      const response = await server.handle(
        post({ type: 'threads.create', params: { input: input('Hi') } }),
        context,
      );
      const events = await readEvents(response);
      expect(events.at(-1)).toMatchObject({ type: 'error', allow_retry: true });
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.[0]).toBe('[relaykit] run failed: provider_unavailable (request req_fault_0002)');
  });

  it('database outage mid-run: a retryable error event, logged once, the user message kept', async () => {
    const setupResult = await setup([
      { reply: { text: 'one two three four', faults: { tokenIntervalMs: 5 } } },
    ]);
    const { store } = setupResult;
    // The database goes down right after the new thread and its user message are saved (one transaction).
    const createThreadWithItems = store.createThreadWithItems.bind(store);
    const addThreadItem = store.addThreadItem.bind(store);
    const addThreadItems = store.addThreadItems.bind(store);
    let down = false;
    const outage = () =>
      new StoreError('store_unavailable', 'The database is unavailable.', { retryable: true });
    store.createThreadWithItems = async (...args) => {
      await createThreadWithItems(...args);
      down = true;
    };
    store.addThreadItem = async (...args) => {
      if (down) throw outage();
      return addThreadItem(...args);
    };
    store.addThreadItems = async (...args) => {
      if (down) throw outage();
      return addThreadItems(...args);
    };
    const userId = crypto.randomUUID();
    const { events, stored } = await turn(setupResult, userId);
    expect(events.at(-1)).toEqual({ type: 'error', code: 'stream.error', allow_retry: true });
    expect(stored.map((item) => item.type)).toEqual(['user_message']);
    expect(setupResult.logged).toHaveLength(1);
    expect((setupResult.logged[0] as StoreError).code).toBe('store_unavailable');
  });

  it('the same faults on the Chat Completions API: drop, hang mid-stream, hang before the first byte', async () => {
    fake = await createFakeOpenAI({
      script: {
        rules: [
          {
            match: { lastUserText: 'drop' },
            reply: { text: 'one two three four', faults: { dropAfter: 2 } },
          },
          {
            match: { lastUserText: 'stall' },
            reply: { text: 'one two three four', faults: { stallAfter: 2 } },
          },
          { match: { lastUserText: 'silent' }, reply: { text: 'x', faults: { stallBeforeHeaders: true } } },
        ],
        fallback: 'error',
      },
    });
    const store = createMemoryStore();
    const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
    const server = createChatKitServer({
      store,
      onError: () => {},
      agents: {
        registry: createAgentRegistry([assistant]),
        modelAccess: createModelAccess({
          apiKey: 'test',
          baseURL: fake.url,
          maxRetries: 0,
          api: 'chat_completions',
        }),
        usage: recorder,
        streamTimeouts: { firstByteMs: 1500, idleMs: 1500 },
      },
    });
    const userId = crypto.randomUUID();
    const kept: string[] = [];
    for (const text of ['drop', 'stall', 'silent']) {
      const response = await server.handle(post({ type: 'threads.create', params: { input: input(text) } }), {
        userId,
      });
      const events = await readEvents(response);
      expect(events.at(-1)).toEqual({ type: 'error', code: 'stream.error', allow_retry: true });
      const threadId = events[0]?.thread.id as string;
      const items = (await store.loadThreadItems(threadId, null, 50, 'asc', { userId })).data as any[];
      kept.push(items.find((item) => item.type === 'assistant_message')?.content[0].text ?? '');
    }
    expect(kept).toEqual(['one two', 'one two', '']);
    const codes = (await recorder.getRecentErrors(userId)).map((error) => error.code).sort();
    expect(codes).toEqual(['provider_unavailable', 'timeout', 'timeout']);
  });

  it('the simple JSON answer (stream: false) of a failed run: 503 with the request id, the failure logged once', async () => {
    const server = await failingServerWithoutHook();
    const context = { userId: crypto.randomUUID(), requestId: 'req_fault_0003' };
    let response = new Response();
    const lines = await consoleErrors(async () => {
      response = await createChatStream(server, { message: 'Hi', stream: false }, context);
    });
    expect(response.status).toBe(503);
    expect((await response.json()).error).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
      requestId: 'req_fault_0003',
    });
    expect(lines).toHaveLength(1);
    expect(String(lines[0]?.[0])).toContain('req_fault_0003');
  });
});
