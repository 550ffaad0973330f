// biome-ignore-all lint/suspicious/noExplicitAny: the tests read decoded wire JSON loosely, as a client would.
import { setTracingDisabled } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { StoreError } from '@relaykit/sse-protocol';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import {
  createMemoryUsageStore,
  createPriceTable,
  createUsageRecorder,
  type RecordUsageInput,
} from '@relaykit/usage-tracker';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatStream } from '../http/chat-stream';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess, type ModelAccessOptions } from '../models/model-access';
import { post, readEvents } from './conformance.suite';
import { createOpenAIRespond } from './openai-respond';
import { NO_MODEL } from './run-failures';

setTracingDisabled(true);

/**
 * Failed runs in the usage errors (what `/api/usage` and the dashboard show): a run that fails before the model
 * stream (a store that is down, a routing error, no API key) is one error row with its code, the agent and model when
 * known, the user and the request id; a failure seen by both the responder and the server is still one row.
 */
describe('failed runs in the usage errors', () => {
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

  const input = (text: string) => ({
    content: [{ type: 'input_text', text }],
    attachments: [],
    inference_options: {},
  });

  /** A server with the agents responder whose usage rows are kept as written (and in a memory recorder). */
  function setup(modelAccess: ModelAccessOptions<unknown> = {}) {
    const store = createMemoryStore();
    const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
    const rows: RecordUsageInput[] = [];
    const logged: unknown[] = [];
    const server = createChatKitServer({
      store,
      onError: (error) => logged.push(error),
      agents: {
        registry: createAgentRegistry([assistant]),
        modelAccess: createModelAccess({ maxRetries: 0, ...modelAccess }),
        usage: {
          recordUsage: (row) => {
            rows.push(row);
            return recorder.recordUsage(row);
          },
        },
      },
    });
    return { server, store, recorder, rows, logged };
  }

  const context = (requestId: string) => ({ userId: crypto.randomUUID(), requestId });

  it('threads.create with the store down before the stream: a 503 and one store_unavailable row', async () => {
    const { server, store, recorder, rows } = setup({ apiKey: 'test' });
    store.createThreadWithItems = async () => {
      throw new StoreError('store_unavailable', 'The database is unavailable.', { retryable: true });
    };
    const ctx = context('req_failed_create_1');
    const response = await server.handle(
      post({ type: 'threads.create', params: { input: input('Hi') } }),
      ctx,
    );
    expect(response.status).toBe(503);
    const errors = await recorder.getRecentErrors(ctx.userId);
    // The recent error names the request, so the x-request-id a user quotes finds it.
    expect(errors).toEqual([
      expect.objectContaining({ kind: 'chat', code: 'store_unavailable', requestId: 'req_failed_create_1' }),
    ]);
    expect(await recorder.getRecentErrors(ctx.userId, 10, { requestId: 'req_failed_create_1' })).toHaveLength(
      1,
    );
    expect(rows).toHaveLength(1);
    // Routed before the write: the agent and model are known, no model was called.
    expect(rows[0]).toMatchObject({
      userId: ctx.userId,
      errorCode: 'store_unavailable',
      metadata: { agent: 'assistant', request_id: 'req_failed_create_1' },
    });
    expect(rows[0]?.model).toBe(errors[0]?.model);
    expect(rows[0]?.model).not.toBe(NO_MODEL);
  });

  it('threads.create routed to an unknown agent: a 400 and one invalid_request row without a model', async () => {
    const { server, recorder, rows } = setup({ apiKey: 'test' });
    const ctx = context('req_failed_route_1');
    const response = await server.handle(
      post({ type: 'threads.create', params: { input: input('Hi') }, metadata: { agentType: 'nobody' } }),
      ctx,
    );
    expect(response.status).toBe(400);
    const errors = await recorder.getRecentErrors(ctx.userId);
    expect(errors).toEqual([
      expect.objectContaining({
        kind: 'chat',
        code: 'invalid_request',
        model: NO_MODEL,
        requestId: 'req_failed_route_1',
      }),
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.metadata).toEqual(expect.objectContaining({ request_id: 'req_failed_route_1' }));
  });

  it('threads.add_user_message to a thread that fails to load: one row naming the request', async () => {
    const { server, store, recorder } = setup({ apiKey: 'test' });
    store.loadThread = async () => {
      throw new StoreError('store_error', 'The read failed.');
    };
    const ctx = context('req_failed_load_1');
    const response = await server.handle(
      post({ type: 'threads.add_user_message', params: { thread_id: 'thr_x', input: input('Hi') } }),
      ctx,
    );
    expect(response.status).toBe(500);
    expect((await recorder.getRecentErrors(ctx.userId)).map((error) => error.code)).toEqual(['store_error']);
  });

  it('threads.create without an API key: the stream ends with an error and one configuration row', async () => {
    const { server, recorder, rows, logged } = setup();
    const ctx = context('req_no_key_1');
    const response = await server.handle(
      post({ type: 'threads.create', params: { input: input('Hi') } }),
      ctx,
    );
    expect(response.status).toBe(200);
    const events = await readEvents(response);
    expect(events.at(-1)).toMatchObject({ type: 'error' });
    const threadId = events[0]?.thread.id as string;
    const errors = await recorder.getRecentErrors(ctx.userId);
    expect(errors).toEqual([expect.objectContaining({ kind: 'chat', code: 'configuration' })]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      userId: ctx.userId,
      errorCode: 'configuration',
      metadata: { agent: 'assistant', thread_id: threadId, request_id: 'req_no_key_1' },
    });
    expect(rows[0]?.model).not.toBe(NO_MODEL);
    expect(logged).toHaveLength(1);
  });

  it('the simple stream without an API key: one configuration row', async () => {
    const { server, recorder, rows } = setup();
    const ctx = context('req_no_key_2');
    const response = await createChatStream(server, { message: 'Hi', heartbeatMs: 0 }, ctx);
    const text = await response.text();
    expect(text).toContain('event: error');
    expect(text).toContain('"code":"configuration"');
    const errors = await recorder.getRecentErrors(ctx.userId);
    expect(errors.map((error) => error.code)).toEqual(['configuration']);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.metadata).toEqual(
      expect.objectContaining({ request_id: 'req_no_key_2', agent: 'assistant' }),
    );
  });

  it('the simple stream with the store down before the stream: the error answer and one row', async () => {
    const { server, store, recorder, rows } = setup({ apiKey: 'test' });
    store.createThreadWithItems = async () => {
      throw new StoreError('store_unavailable', 'The database is unavailable.', { retryable: true });
    };
    const ctx = context('req_simple_store_1');
    const response = await createChatStream(server, { message: 'Hi', heartbeatMs: 0 }, ctx);
    expect(response.status).toBe(503);
    expect((await recorder.getRecentErrors(ctx.userId)).map((error) => error.code)).toEqual([
      'store_unavailable',
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.metadata).toEqual(expect.objectContaining({ request_id: 'req_simple_store_1' }));
  });

  it('a model failure the responder records is not recorded again by the server', async () => {
    fake = await createFakeOpenAI({
      script: { rules: [{ reply: { error: { status: 500 } } }], fallback: 'error' },
    });
    const { server, recorder, rows } = setup({ apiKey: 'test', baseURL: fake.url });
    const ctx = context('req_model_500');
    const events = await readEvents(
      await server.handle(post({ type: 'threads.create', params: { input: input('Hi') } }), ctx),
    );
    expect(events.at(-1)).toMatchObject({ type: 'error' });
    expect((await recorder.getRecentErrors(ctx.userId)).map((error) => error.code)).toEqual([
      'provider_unavailable',
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.metadata).toEqual(expect.objectContaining({ request_id: 'req_model_500' }));
  });

  it('the fast path records a failed turn once, with its model', async () => {
    fake = await createFakeOpenAI({
      script: { rules: [{ reply: { error: { status: 500 } } }], fallback: 'error' },
    });
    const store = createMemoryStore();
    const rows: RecordUsageInput[] = [];
    const { default: OpenAI } = await import('openai');
    const server = createChatKitServer({
      store,
      onError: () => {},
      respond: createOpenAIRespond(store, {
        client: new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
        params: { model: 'gpt-4.1-mini' },
        usage: {
          recordUsage: async (row) => {
            rows.push(row);
            return { id: String(rows.length), duplicate: false, cost: { status: 'unpriced' } as never };
          },
        },
      }),
    });
    const ctx = context('req_fast_500');
    const events = await readEvents(
      await server.handle(post({ type: 'threads.create', params: { input: input('Hi') } }), ctx),
    );
    expect(events.at(-1)).toMatchObject({ type: 'error' });
    expect(rows).toEqual([
      expect.objectContaining({
        userId: ctx.userId,
        model: 'gpt-4.1-mini',
        errorCode: 'provider_unavailable',
        metadata: expect.objectContaining({ request_id: 'req_fast_500', agent: 'assistant' }),
      }),
    ]);
  });
});
