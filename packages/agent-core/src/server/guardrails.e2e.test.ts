// biome-ignore-all lint/suspicious/noExplicitAny: the tests read decoded wire JSON loosely, as a client would.
/**
 * Guardrails end to end: an Agents SDK input or output guardrail (passed through `defineAgent`) trips during a
 * ChatKit run on the fake OpenAI server. Everything the run already showed is retracted from the client
 * (`thread.item.removed`) and from the store, and the stream ends with a clear, non-retryable error event
 * (docs/specs/chatkit-protocol.md §8.1, as chatkit-python's agents bridge does).
 */
import { type InputGuardrail, type OutputGuardrail, setTracingDisabled, tool } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
import { Card, Text } from '@relaykit/sse-protocol/widgets';
import { createFakeOpenAI, type FakeOpenAI } from '@relaykit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess } from '../models/model-access';
import { post, readEvents } from './conformance.suite';
import type { RelayKitToolRunContext } from './run-context';

setTracingDisabled(true);

const input = (text: string) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

/** Trips when the user's message mentions a password. */
const noPasswords: InputGuardrail = {
  name: 'no_passwords',
  execute: async ({ input: runInput }) => ({
    outputInfo: {},
    tripwireTriggered: JSON.stringify(runInput).toLowerCase().includes('password'),
  }),
};

/** Trips when the answer leaks the secret code. */
const noSecrets: OutputGuardrail = {
  name: 'no_secrets',
  execute: async ({ agentOutput }) => ({
    outputInfo: {},
    tripwireTriggered: String(agentOutput).includes('1234'),
  }),
};

/** A tool that streams its own widget into the turn through the run context. */
const openVault = tool({
  name: 'open_vault',
  description: 'Opens the vault',
  parameters: z.object({}),
  execute: async (_input, runContext?: RelayKitToolRunContext) => {
    await runContext?.context.streamWidget(Card({ children: [Text({ value: 'Vault opened' })] }));
    return 'opened';
  },
});

describe('guardrails through defineAgent and the agents responder', () => {
  let fake: FakeOpenAI;

  beforeAll(async () => {
    fake = await createFakeOpenAI({
      script: {
        rules: [
          {
            match: { lastUserText: /vault/, hasToolOutput: true },
            reply: { text: 'The vault code is 1234.' },
          },
          { match: { lastUserText: /vault/ }, reply: { toolCalls: [{ name: 'open_vault', arguments: {} }] } },
          { match: { lastUserText: /code/ }, reply: { text: 'The secret code is 1234.' } },
          { reply: { text: 'Here is a harmless answer that streams in several words.' } },
        ],
      },
    });
  });
  afterAll(async () => {
    await fake?.close();
  });

  function serverWith() {
    const store = createMemoryStore();
    const assistant = defineAgent({
      type: 'assistant',
      description: 'Answers',
      metadata: z.object({}),
      instructions: 'Answer.',
      inputGuardrails: [noPasswords],
      outputGuardrails: [noSecrets],
      tools: [openVault],
    });
    const server = createChatKitServer({
      store,
      agents: {
        registry: createAgentRegistry([assistant]),
        modelAccess: createModelAccess({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 }),
      },
    });
    return { store, server };
  }

  async function run(text: string) {
    const { store, server } = serverWith();
    const context = { userId: crypto.randomUUID() };
    const events = await readEvents(
      await server.handle(post({ type: 'threads.create', params: { input: input(text) } }), context),
    );
    const threadId = events.find((event) => event.type === 'thread.created')?.thread.id as string;
    const stored = (await store.loadThreadItems(threadId, null, 100, 'asc', context)).data;
    return { events, stored };
  }

  /** Ids of assistant-side items the client was shown (added or done). */
  const shown = (events: Record<string, any>[]) =>
    new Set(
      events
        .filter((event) => event.type === 'thread.item.added' || event.type === 'thread.item.done')
        .map((event) => event.item)
        .filter((item) => item.type !== 'user_message')
        .map((item) => item.id),
    );

  it('an output guardrail retracts the streamed answer from the client and the store, then ends with an error', async () => {
    const { events, stored } = await run('What is the code?');
    const answer = [...shown(events)];
    expect(answer.length).toBeGreaterThan(0); // the answer did stream before the check ran
    const removed = events
      .filter((event) => event.type === 'thread.item.removed')
      .map((event) => event.item_id);
    expect(new Set(removed)).toEqual(new Set(answer));
    expect(events.at(-1)).toMatchObject({ type: 'error', allow_retry: false });
    expect(events.at(-1)?.message).toMatch(/safety check/i);
    expect(JSON.stringify(events.at(-1))).not.toContain('1234');
    expect(stored.map((item) => item.type)).toEqual(['user_message']);
  });

  it('items a tool streamed into the turn are retracted too', async () => {
    const { events, stored } = await run('Open the vault please');
    const widget = events.find((event) => event.type === 'thread.item.done' && event.item.type === 'widget');
    expect(widget).toBeDefined(); // the tool did stream its widget before the answer tripped the check
    const removed = new Set(
      events.filter((event) => event.type === 'thread.item.removed').map((event) => event.item_id),
    );
    expect(removed.has(widget?.item.id)).toBe(true);
    for (const id of shown(events)) expect(removed.has(id)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'error', allow_retry: false });
    expect(stored.map((item) => item.type)).toEqual(['user_message']);
  });

  it('an input guardrail blocks the run: nothing of an answer is left and the error says why', async () => {
    const { events, stored } = await run('My password is hunter2, remember it');
    const removed = new Set(
      events.filter((event) => event.type === 'thread.item.removed').map((event) => event.item_id),
    );
    for (const id of shown(events)) expect(removed.has(id)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'error', allow_retry: false });
    expect(events.at(-1)?.message).toMatch(/safety check/i);
    expect(stored.map((item) => item.type)).toEqual(['user_message']);
  });

  it('a run the guardrails pass is answered and stored as usual', async () => {
    const { events, stored } = await run('Tell me something');
    expect(events.some((event) => event.type === 'error')).toBe(false);
    expect(stored.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
  });
});
