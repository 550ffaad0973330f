// biome-ignore-all lint/suspicious/noExplicitAny: the tests read decoded wire JSON loosely, as a client would.
/** `createChatKitServer` with both `agents` and a `respond` that wraps the agents responder; the tools' run context. */
import { setTracingDisabled } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { Card, streamWidget, Title } from '@relaykit/sse-protocol/widgets';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import { createToolRegistry, defineTool } from '@relaykit/tool-registry';
import { toAgentsTools } from '@relaykit/tool-registry/agents';
import { afterEach, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess } from '../models/model-access';
import { createAgentsRespond } from './agents-respond';
import { post, readEvents } from './conformance.suite';

setTracingDisabled(true);

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const input = (text: string) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

it('respond answers (a widget after the agents run) while agents still checks routing before the stream', async () => {
  fake = await createFakeOpenAI({
    script: { rules: [{ reply: { text: 'Here it is.' } }], fallback: 'error' },
  });
  const store = createMemoryStore();
  const agents = {
    registry: createAgentRegistry([
      defineAgent({
        type: 'planner',
        description: 'Plans one event',
        metadata: z.object({ eventId: z.string() }),
        instructions: 'Plan.',
      }),
    ]),
    modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
  };
  const agentsRespond = createAgentsRespond(store, agents);
  const server = createChatKitServer<{ userId: string }>({
    store,
    agents,
    respond: async function* (thread, message, context, info) {
      yield* agentsRespond(thread, message, context, info);
      yield* streamWidget(thread, Card({ children: [Title({ value: 'Contract' })] }), {
        generateId: (kind) => store.generateItemId(kind, thread, context),
      });
    },
  });
  const context = { userId: crypto.randomUUID() };

  const missing = await server.handle(
    post({ type: 'threads.create', params: { input: input('Contract?') }, metadata: {} }),
    context,
  );
  expect(missing.status).toBe(400);
  expect(JSON.stringify(await missing.json())).toContain('eventId');
  expect(fake.calls).toHaveLength(0);
  expect((await store.loadThreads(20, null, 'desc', context)).data).toHaveLength(0);

  const events = await readEvents(
    await server.handle(
      post({
        type: 'threads.create',
        params: { input: input('Contract?') },
        metadata: { eventId: 'ev_1' },
      }),
      context,
    ),
  );
  const done = events
    .filter((event: any) => event.type === 'thread.item.done')
    .map((event: any) => event.item);
  expect(done.map((item: any) => item.type)).toEqual(['user_message', 'assistant_message', 'widget']);
  expect(done[1].content[0].text).toBe('Here it is.');
  expect(done[2].widget).toMatchObject({ type: 'Card', children: [{ type: 'Title', value: 'Contract' }] });
  const threadId = (events[0] as any).thread.id;
  const stored = await store.loadThreadItems(threadId, null, 10, 'asc', context);
  expect(stored.data.map((item) => item.type)).toEqual(['user_message', 'assistant_message', 'widget']);
});

it('the agents responder gives tools the caller as run context (tool-registry context.userId)', async () => {
  fake = await createFakeOpenAI({
    script: {
      rules: [
        { match: { hasToolOutput: false }, reply: { toolCalls: [{ name: 'who_am_i' }] } },
        {
          match: { hasToolOutput: true },
          reply: (request) => ({ text: `tool saw ${request.lastToolOutput}` }),
        },
      ],
      fallback: 'error',
    },
  });
  const store = createMemoryStore();
  const tools = createToolRegistry().register(
    defineTool({
      name: 'who_am_i',
      description: 'The caller',
      risk: 'read',
      input: z.object({}),
      execute: (_input, context) => ({ userId: context.userId ?? null }),
    }),
  );
  const server = createChatKitServer({
    store,
    agents: {
      registry: createAgentRegistry([
        defineAgent({
          type: 'helper',
          description: 'Helps',
          metadata: z.object({}),
          instructions: 'Help.',
          tools: toAgentsTools(tools),
        }),
      ]),
      modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
    },
  });
  const context = { userId: crypto.randomUUID() };
  const events = await readEvents(
    await server.handle(post({ type: 'threads.create', params: { input: input('Who am I?') } }), context),
  );
  const answer = events
    .filter((event: any) => event.type === 'thread.item.done')
    .map((event: any) => event.item)
    .find((item: any) => item.type === 'assistant_message');
  expect(answer.content[0].text).toBe(`tool saw {"userId":"${context.userId}"}`);
});
