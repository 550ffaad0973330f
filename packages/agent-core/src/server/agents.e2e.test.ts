// biome-ignore-all lint/suspicious/noExplicitAny: the tests read decoded wire JSON loosely, as a client would.
import { setTracingDisabled, tool } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import { createToolRegistry, defineClientTool } from '@relaykit/tool-registry';
import { toAgentsTool } from '@relaykit/tool-registry/agents';
import { createMemoryUsageStore, createPriceTable, createUsageRecorder } from '@relaykit/usage-tracker';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess } from '../models/model-access';
import { post, readEvents } from './conformance.suite';

setTracingDisabled(true);

const input = (text: string) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

describe('createChatKitServer with agents, against the fake OpenAI server', () => {
  let fake: FakeOpenAI | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  const weatherCalls: string[] = [];
  const helper = defineAgent({
    type: 'helper',
    description: 'A brief helper',
    metadata: z.object({}),
    instructions: 'Be brief.',
    tools: [
      tool({
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: z.object({ city: z.string() }),
        execute: async ({ city }) => {
          weatherCalls.push(city);
          return { city, celsius: 18 };
        },
      }),
    ],
  });
  const clientLocations: string[] = [];
  const locator = defineAgent({
    type: 'locator',
    description: 'Knows where the user is (asks the client)',
    metadata: z.object({}),
    instructions: 'Find the user.',
    tools: [
      tool({
        name: 'get_location',
        description: 'Runs on the ChatKit client',
        parameters: z.object({ precise: z.boolean() }),
        execute: async ({ precise }) => {
          clientLocations.push(String(precise));
          return 'sent to the client';
        },
      }),
    ],
  });
  const eventAgent = defineAgent({
    type: 'venue_event',
    description: 'Event planning for one event',
    metadata: z.object({ eventId: z.string() }),
    instructions: (ctx) => `Plan event ${ctx.metadata.eventId}.`,
  });

  let usageStore = createMemoryUsageStore();
  async function setup(rules: any[], extra: Record<string, unknown> = {}) {
    fake = await createFakeOpenAI({ script: { rules, fallback: 'error' } });
    const store = createMemoryStore();
    usageStore = createMemoryUsageStore();
    const server = createChatKitServer({
      store,
      agents: {
        registry: createAgentRegistry([helper, eventAgent, locator], { defaultAgent: 'helper' }),
        modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
        usage: createUsageRecorder({ store: usageStore, prices: createPriceTable() }),
        clientToolNames: ['get_location'],
        ...extra,
      },
    });
    return { store, server, fake };
  }

  it('streams a plain reply: item added, text deltas, done (persisted), and records the run in thread metadata', async () => {
    const { store, server, fake } = await setup([{ reply: { text: 'Hello there, friend!' } }]);
    const ctx = { userId: crypto.randomUUID() };
    const response = await server.handle(
      post({ type: 'threads.create', params: { input: input('Hi') } }),
      ctx,
    );
    expect(response.status).toBe(200);
    const events = await readEvents(response);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 4)).toEqual([
      'thread.created',
      'thread.item.done',
      'stream_options',
      'thread.item.added',
    ]);
    const deltas = events
      .filter((e) => e.type === 'thread.item.updated' && e.update.type.endsWith('text_delta'))
      .map((e) => e.update.delta)
      .join('');
    expect(deltas).toBe('Hello there, friend!');
    const done = events.filter((e) => e.type === 'thread.item.done').at(-1);
    expect(done?.item).toMatchObject({
      type: 'assistant_message',
      content: [{ text: 'Hello there, friend!' }],
    });
    expect(types.at(-1)).toBe('thread.updated');
    const threadId = events[0]?.thread.id;
    const thread = await store.loadThread(threadId, ctx);
    expect(thread.metadata.last_run).toMatchObject({ agent: 'helper', model: 'gpt-4.1-mini' });
    expect((thread.metadata.last_run as any).response_id).toMatch(/^resp_/);
    const body = fake.calls[0]?.body as any;
    expect(body.instructions).toBe('Be brief.');
    expect(JSON.stringify(body.input)).toContain('Hi');

    // Second turn: history (previous answer and a hidden context item) goes to the model.
    await store.addThreadItem(
      threadId,
      {
        type: 'hidden_context_item',
        id: 'hc_1',
        thread_id: threadId,
        created_at: new Date().toISOString(),
        content: 'User prefers Celsius',
      } as never,
      ctx,
    );
    const second = await server.handle(
      post({ type: 'threads.add_user_message', params: { thread_id: threadId, input: input('And now?') } }),
      ctx,
    );
    await readEvents(second);
    const next = JSON.stringify((fake.calls[1]?.body as any)?.input);
    expect(next).toContain('Hello there, friend!');
    expect(next).toContain('<HiddenContext>\\nUser prefers Celsius\\n</HiddenContext>');
    expect(next).toContain('And now?');
  });

  it('runs a server tool call and streams the final answer; the tool output reaches the model', async () => {
    weatherCalls.length = 0;
    const telemetry: any[] = [];
    const { store, server, fake } = await setup(
      [
        { match: { hasToolOutput: true }, reply: { text: 'It is 18 °C in Paris.' } },
        { reply: { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] } },
      ],
      { onToolCall: (event: unknown) => telemetry.push(event) },
    );
    const ctx = { userId: crypto.randomUUID() };
    const response = await server.handle(
      post({ type: 'threads.create', params: { input: input('Weather in Paris?') } }),
      ctx,
    );
    const events = await readEvents(response);
    expect(weatherCalls).toEqual(['Paris']);
    expect(fake.calls).toHaveLength(2);
    expect(telemetry.map((e) => [e.phase, e.tool, e.agent, e.threadId])).toEqual([
      ['start', 'get_weather', 'helper', events[0]?.thread.id],
      ['end', 'get_weather', 'helper', events[0]?.thread.id],
    ]);
    expect(telemetry[1].callId).toBe(telemetry[0].callId);
    expect(telemetry[1].durationMs).toBeGreaterThanOrEqual(0);
    const second = JSON.stringify((fake.calls[1]?.body as any)?.input);
    expect(second).toContain('function_call_output');
    expect(second).toContain('18');
    const done = events.filter((e) => e.type === 'thread.item.done').at(-1);
    expect(done?.item.content[0].text).toBe('It is 18 °C in Paris.');
    const items = await store.loadThreadItems(events[0]?.thread.id, null, 10, 'asc', ctx);
    expect(items.data.map((i) => i.type)).toEqual(['user_message', 'assistant_message']);
    // Both model responses of the run are recorded for the user, with tokens and a cost.
    const recorder = createUsageRecorder({ store: usageStore, prices: createPriceTable() });
    const summary = await recorder.getUsageSummary(ctx.userId, {
      from: new Date(0),
      to: new Date(Date.now() + 60_000),
    });
    expect(summary).toMatchObject({
      chatRequests: 2,
      totalRequests: 2,
      failedRequests: 0,
      unpricedRequests: 0,
    });
    expect(summary.promptTokens).toBeGreaterThan(0);
    expect(summary.completionTokens).toBeGreaterThan(0);
    expect(summary.costMicros).toBeGreaterThan(0);
  });

  it('missing required metadata answers 400 invalid_request naming the field, before any model call or write', async () => {
    const { store, server, fake } = await setup([{ reply: { text: 'never' } }]);
    const ctx = { userId: crypto.randomUUID() };
    const response = await server.handle(
      post({
        type: 'threads.create',
        params: { input: input('Plan it') },
        metadata: { agentType: 'venue_event' },
      }),
      ctx,
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as any;
    expect(body.error.code).toBe('invalid_request');
    expect(JSON.stringify(body.error)).toContain('eventId');
    expect(fake.calls).toHaveLength(0);
    expect((await store.loadThreads(20, null, 'desc', ctx)).data).toHaveLength(0);

    const ok = await server.handle(
      post({
        type: 'threads.create',
        params: { input: input('Plan it') },
        metadata: { agentType: 'venue_event', eventId: 'ev_1' },
      }),
      ctx,
    );
    await readEvents(ok);
    expect((fake.calls[0]?.body as any)?.instructions).toBe('Plan event ev_1.');
  });

  it('titles a new thread after the first answer (thread.updated carries the title); later turns keep it', async () => {
    const { store, server, fake } = await setup(
      [
        { match: { model: 'gpt-4.1-nano' }, reply: { text: '"Weekend trip to Lisbon."' } },
        { reply: { text: 'Lisbon is lovely in spring.' } },
      ],
      { titles: true },
    );
    const ctx = { userId: crypto.randomUUID() };
    const response = await server.handle(
      post({ type: 'threads.create', params: { input: input('Plan a weekend in Lisbon') } }),
      ctx,
    );
    const events = await readEvents(response);
    const updated = events.filter((e) => e.type === 'thread.updated');
    expect(updated.at(-1)?.thread.title).toBe('Weekend trip to Lisbon');
    const threadId = events[0]?.thread.id;
    expect((await store.loadThread(threadId, ctx)).title).toBe('Weekend trip to Lisbon');
    const titleCall = fake.calls.find((call) => (call.body as any)?.model === 'gpt-4.1-nano');
    expect((titleCall?.body as any)?.input).toBe('Plan a weekend in Lisbon');
    const before = fake.calls.length;
    await readEvents(
      await server.handle(
        post({
          type: 'threads.add_user_message',
          params: { thread_id: threadId, input: input('And food?') },
        }),
        ctx,
      ),
    );
    expect(fake.calls.length - before).toBe(1);
  });

  it('client tools: the run stops at the call (pending client_tool_call), the client output continues the run', async () => {
    const { store, server, fake } = await setup([
      { match: { hasToolOutput: true }, reply: { text: 'You are in Paris.' } },
      { reply: { toolCalls: [{ name: 'get_location', arguments: { precise: true } }] } },
    ]);
    const ctx = { userId: crypto.randomUUID() };
    const events = await readEvents(
      await server.handle(
        post({
          type: 'threads.create',
          params: { input: input('Where am I?') },
          metadata: { agentType: 'locator' },
        }),
        ctx,
      ),
    );
    const call = events.filter((e) => e.type === 'thread.item.done').at(-1)?.item;
    expect(call).toMatchObject({
      type: 'client_tool_call',
      name: 'get_location',
      status: 'pending',
      arguments: { precise: true },
    });
    expect(fake.calls).toHaveLength(1);
    const threadId = events[0]?.thread.id;
    const next = await readEvents(
      await server.handle(
        post({
          type: 'threads.add_client_tool_output',
          params: { thread_id: threadId, result: { city: 'Paris' } },
        }),
        ctx,
      ),
    );
    expect(next.filter((e) => e.type === 'thread.item.done').at(-1)?.item.content[0].text).toBe(
      'You are in Paris.',
    );
    const sent = JSON.stringify((fake.calls[1]?.body as any)?.input);
    expect(sent).toContain('function_call_output');
    expect(sent).toContain(JSON.stringify(JSON.stringify({ city: 'Paris' })).slice(1, -1));
    const stored = await store.loadItem(threadId, call.id, ctx);
    expect(stored).toMatchObject({ status: 'completed', output: { city: 'Paris' } });
  });

  it('client tools declared with tool-registry (defineClientTool + toAgentsTool) need no clientToolNames', async () => {
    const tools = createToolRegistry().register(
      defineClientTool({
        name: 'pick_date',
        description: 'Shows a date picker on the ChatKit client',
        input: z.object({ label: z.string() }),
      }),
    );
    const picker = defineAgent({
      type: 'picker',
      description: 'Asks the client for a date',
      metadata: z.object({}),
      instructions: 'Ask for a date.',
      tools: [toAgentsTool(tools, 'pick_date')],
    });
    fake = await createFakeOpenAI({
      script: {
        rules: [
          { match: { hasToolOutput: true }, reply: { text: 'Booked for the 3rd.' } },
          { reply: { toolCalls: [{ name: 'pick_date', arguments: { label: 'Start' } }] } },
        ],
        fallback: 'error',
      },
    });
    const store = createMemoryStore();
    const server = createChatKitServer({
      store,
      agents: {
        registry: createAgentRegistry([picker], { defaultAgent: 'picker' }),
        modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
      },
    });
    const ctx = { userId: crypto.randomUUID() };
    const events = await readEvents(
      await server.handle(post({ type: 'threads.create', params: { input: input('When?') } }), ctx),
    );
    const call = events.filter((e) => e.type === 'thread.item.done').at(-1)?.item;
    expect(call).toMatchObject({
      type: 'client_tool_call',
      name: 'pick_date',
      status: 'pending',
      arguments: { label: 'Start' },
    });
    expect(fake.calls).toHaveLength(1); // the run stopped at the call
    const next = await readEvents(
      await server.handle(
        post({
          type: 'threads.add_client_tool_output',
          params: { thread_id: events[0]?.thread.id, result: { date: '2026-03-03' } },
        }),
        ctx,
      ),
    );
    expect(next.filter((e) => e.type === 'thread.item.done').at(-1)?.item.content[0].text).toBe(
      'Booked for the 3rd.',
    );
  });

  it('reusePreviousResponse: the next turn sends only the new items with previous_response_id; a retry sends everything', async () => {
    const { store, server, fake } = await setup([{ reply: { text: 'First answer.' } }], {
      reusePreviousResponse: true,
    });
    const ctx = { userId: crypto.randomUUID() };
    const first = await readEvents(
      await server.handle(
        post({ type: 'threads.create', params: { input: input('Opening question') } }),
        ctx,
      ),
    );
    const threadId = first[0]?.thread.id;
    const run = (await store.loadThread(threadId, ctx)).metadata.last_run as any;
    expect(run.response_id).toMatch(/^resp_/);
    const second = await readEvents(
      await server.handle(
        post({
          type: 'threads.add_user_message',
          params: { thread_id: threadId, input: input('Follow-up') },
        }),
        ctx,
      ),
    );
    const body = fake.calls[1]?.body as any;
    expect(body.previous_response_id).toBe(run.response_id);
    expect(JSON.stringify(body.input)).toContain('Follow-up');
    expect(JSON.stringify(body.input)).not.toContain('Opening question');
    const userId = second.find((e) => e.type === 'thread.item.done')?.item.id;
    await readEvents(
      await server.handle(
        post({ type: 'threads.retry_after_item', params: { thread_id: threadId, item_id: userId } }),
        ctx,
      ),
    );
    const retryBody = fake.calls[2]?.body as any;
    expect(retryBody.previous_response_id).toBeUndefined();
    expect(JSON.stringify(retryBody.input)).toContain('Opening question');
  });
});
