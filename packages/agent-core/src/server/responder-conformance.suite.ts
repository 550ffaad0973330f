// biome-ignore-all lint/suspicious/noExplicitAny: the suite reads decoded wire JSON loosely, as a client would.
/**
 * The responder conformance suite: the model-driven cases of a ChatKit server (text streamed and persisted, server
 * tools, parallel tools, handoffs, usage per model response, client tools, provider errors, cancellation), run
 * through the whole server (`server.handle` with real `Request`s). Written as a function of a responder setup, so
 * every responder and every kind of model (Responses, Chat Completions, AI-SDK models, a plain-OpenAI fast path)
 * runs the same cases.
 */
import { tool } from '@openai/agents';
import { type ChatKitStore, createMemoryStore } from '@relaykit/chatkit-store';
import type { FakeRule } from '@relaykit/testing';
import {
  createMemoryUsageStore,
  createPriceTable,
  createUsageRecorder,
  type RecordUsageInput,
  type UsageRecorder,
} from '@relaykit/usage-tracker';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { type AgentRegistry, createAgentRegistry } from '../agents/registry';
import { createChatKitServer } from '../http/chatkit-server';
import type { ModelAccess } from '../models/model-access';
import { type Ctx, post, readEvents } from './conformance.suite';
import type { ChatKitServerOptions } from './types';

/** One scripted model reply of a case: text and/or tool calls, or an HTTP-style provider error. */
export interface ResponderReply {
  text?: string;
  toolCalls?: { name: string; arguments?: Record<string, unknown>; callId?: string }[];
  /** The provider fails the call with this status. */
  error?: { status: number; message?: string };
  /** Milliseconds between two streamed text pieces (the cancellation case). */
  tokenIntervalMs?: number;
}

/** A rule of the model script: the first rule that matches (and is not used up) answers. */
export interface ResponderRule {
  match?: { hasToolOutput?: boolean };
  reply: ResponderReply;
}

/** The cases of the suite (for `skip`). */
export type ResponderCase =
  | 'plain text'
  | 'server tool'
  | 'parallel tools'
  | 'handoff'
  | 'usage'
  | 'client tool'
  | 'provider error'
  | 'cancel';

/** What the suite gives a setup for one test. */
export interface ResponderStartInput {
  /** The model script. */
  rules: ResponderRule[];
  store: ChatKitStore<Ctx>;
  /** Agents `helper` (default; tools `get_weather`, `get_time`), `locator` (client tool `get_location`), `triage` → `specialist`. */
  registry: AgentRegistry;
  clientToolNames: string[];
  /** Records every usage row the server writes. */
  usage: Pick<UsageRecorder, 'recordUsage'>;
}

/** A setup started for one test: the server options to test and the model's call count. */
export interface ResponderInstance {
  options: ChatKitServerOptions<Ctx>;
  /** How many model calls (responses) were made so far. */
  modelCalls(): number;
  close?(): Promise<void>;
}

/** A responder and model to run the suite against. */
export interface ResponderSetup {
  name: string;
  /** Cases this setup cannot express, each with the reason (printed in the skipped test's name). */
  skip?: Partial<Record<ResponderCase, string>>;
  start(input: ResponderStartInput): Promise<ResponderInstance>;
}

/** The `createChatKitServer` options of the agents responder for a model access (the usual setup). */
export function agentsResponderOptions(
  input: ResponderStartInput,
  modelAccess: ModelAccess<Ctx>,
): ChatKitServerOptions<Ctx> {
  return {
    store: input.store,
    agents: {
      registry: input.registry,
      modelAccess,
      usage: input.usage,
      clientToolNames: input.clientToolNames,
    },
  };
}

/** The suite's rules as fake-server rules (errors answer with the status; text streams at `tokenIntervalMs`). */
export function fakeRules(rules: ResponderRule[]): FakeRule[] {
  return rules.map(({ match, reply }) => ({
    ...(match ? { match } : {}),
    reply: reply.error
      ? {
          error: {
            status: reply.error.status,
            ...(reply.error.message ? { message: reply.error.message } : {}),
          },
        }
      : {
          ...(reply.text !== undefined ? { text: reply.text } : {}),
          ...(reply.toolCalls
            ? { toolCalls: reply.toolCalls.map((call) => ({ ...call, arguments: call.arguments ?? {} })) }
            : {}),
          ...(reply.tokenIntervalMs ? { faults: { tokenIntervalMs: reply.tokenIntervalMs } } : {}),
        },
  }));
}

const userInput = (text: string) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

const LONG_TEXT = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');

export function responderConformance(setup: ResponderSetup): void {
  describe(`responder conformance (${setup.name})`, () => {
    const toolCalls: string[] = [];
    const record = (name: string) => async (args: Record<string, unknown>) => {
      toolCalls.push(`${name}:${JSON.stringify(args)}`);
      return name === 'get_weather' ? { celsius: 18 } : { time: '12:00' };
    };
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
          execute: record('get_weather'),
        }),
        tool({
          name: 'get_time',
          description: 'Local time of a city',
          parameters: z.object({ city: z.string() }),
          execute: record('get_time'),
        }),
      ],
    });
    const locator = defineAgent({
      type: 'locator',
      description: 'Asks the client where the user is',
      metadata: z.object({}),
      instructions: 'Find the user.',
      tools: [
        tool({
          name: 'get_location',
          description: 'Runs on the ChatKit client',
          parameters: z.object({ precise: z.boolean() }),
          execute: async () => 'sent to the client',
        }),
      ],
    });
    const specialist = defineAgent({
      type: 'specialist',
      description: 'Knows the details',
      metadata: z.object({}),
      instructions: 'Answer in detail.',
    });
    const triage = defineAgent({
      type: 'triage',
      description: 'Routes to the right agent',
      metadata: z.object({}),
      instructions: 'Route the user.',
      handoffs: ['specialist'],
    });
    const registry = createAgentRegistry([helper, locator, triage, specialist], { defaultAgent: 'helper' });

    let instance: ResponderInstance | undefined;
    let recorded: RecordUsageInput[] = [];
    afterEach(async () => {
      await instance?.close?.();
      instance = undefined;
    });

    async function start(rules: ResponderRule[]) {
      toolCalls.length = 0;
      recorded = [];
      const store = createMemoryStore() as unknown as ChatKitStore<Ctx>;
      const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
      instance = await setup.start({
        rules,
        store,
        registry,
        clientToolNames: ['get_location'],
        usage: {
          recordUsage: (input) => {
            recorded.push(input);
            return recorder.recordUsage(input);
          },
        },
      });
      const server = createChatKitServer<Ctx>(instance.options);
      const ctx: Ctx = { userId: crypto.randomUUID() };
      const create = async (text: string, metadata: Record<string, unknown> = {}) =>
        readEvents(
          await server.handle(
            post({ type: 'threads.create', params: { input: userInput(text) }, metadata }),
            ctx,
          ),
        );
      return { store, server, ctx, create, instance };
    }

    const test = (name: ResponderCase, title: string, body: () => Promise<void>) => {
      const reason = setup.skip?.[name];
      if (reason !== undefined) it.skip(`${title} (skipped: ${reason})`, body);
      else it(title, body, 60_000);
    };
    const textOf = (events: Record<string, any>[]) =>
      events
        .filter((event) => event.type === 'thread.item.updated' && event.update.type.endsWith('text_delta'))
        .map((event) => event.update.delta)
        .join('');
    const doneItems = (events: Record<string, any>[]) =>
      events.filter((event) => event.type === 'thread.item.done').map((event) => event.item);

    test('plain text', 'streams a plain reply with deltas, persists it, and records the run', async () => {
      const { store, ctx, create } = await start([{ reply: { text: 'Hello there, friend!' } }]);
      const events = await create('Hi');
      expect(events.slice(0, 4).map((event) => event.type)).toEqual([
        'thread.created',
        'thread.item.done',
        'stream_options',
        'thread.item.added',
      ]);
      const added = events[3]!.item;
      expect(added.type).toBe('assistant_message');
      expect(
        events.filter((event) => event.type === 'thread.item.updated' && event.item_id === added.id).length,
      ).toBeGreaterThan(1);
      expect(textOf(events)).toBe('Hello there, friend!');
      const answer = doneItems(events).at(-1);
      expect(answer).toMatchObject({
        id: added.id,
        type: 'assistant_message',
        content: [{ text: 'Hello there, friend!' }],
      });
      expect(events.at(-1)!.type).toBe('thread.updated');
      const threadId = events[0]!.thread.id;
      const items = await store.loadThreadItems(threadId, null, 10, 'asc', ctx);
      expect(items.data.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
      expect((items.data[1] as any).content[0].text).toBe('Hello there, friend!');
      const lastRun = (await store.loadThread(threadId, ctx)).metadata.last_run as any;
      expect(lastRun.agent).toBe('helper');
      expect(typeof lastRun.response_id).toBe('string');
    });

    test(
      'server tool',
      'runs a server tool call, then streams the answer; the tool call shows no item',
      async () => {
        const { store, ctx, create, instance } = await start([
          { match: { hasToolOutput: true }, reply: { text: 'It is 18 °C in Paris.' } },
          { reply: { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] } },
        ]);
        const events = await create('Weather in Paris?');
        expect(toolCalls).toEqual(['get_weather:{"city":"Paris"}']);
        expect(instance.modelCalls()).toBe(2);
        expect(doneItems(events).map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
        expect(textOf(events)).toBe('It is 18 °C in Paris.');
        const items = await store.loadThreadItems(events[0]!.thread.id, null, 10, 'asc', ctx);
        expect(items.data.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
      },
    );

    test('parallel tools', 'runs two parallel tool calls of one response, then answers', async () => {
      const { create, instance } = await start([
        { match: { hasToolOutput: true }, reply: { text: 'Sunny, and it is noon.' } },
        {
          reply: {
            toolCalls: [
              { name: 'get_weather', arguments: { city: 'Oslo' } },
              { name: 'get_time', arguments: { city: 'Oslo' } },
            ],
          },
        },
      ]);
      const events = await create('Weather and time in Oslo?');
      expect([...toolCalls].sort()).toEqual(['get_time:{"city":"Oslo"}', 'get_weather:{"city":"Oslo"}']);
      expect(instance.modelCalls()).toBe(2);
      expect(doneItems(events).at(-1)).toMatchObject({
        type: 'assistant_message',
        content: [{ text: 'Sunny, and it is noon.' }],
      });
    });

    test('handoff', 'hands off to a second agent, which answers; last_run.agent names it', async () => {
      const { store, ctx, create } = await start([
        { match: { hasToolOutput: true }, reply: { text: 'Specialist here, in detail.' } },
        { reply: { toolCalls: [{ name: 'transfer_to_specialist', arguments: {} }] } },
      ]);
      const events = await create('I need details', { agentType: 'triage' });
      expect(textOf(events)).toBe('Specialist here, in detail.');
      const lastRun = (await store.loadThread(events[0]!.thread.id, ctx)).metadata.last_run as any;
      expect(lastRun.agent).toBe('specialist');
    });

    test(
      'usage',
      'records usage once per model response (tokens, kind chat, distinct request ids)',
      async () => {
        const { store, ctx, create } = await start([
          { match: { hasToolOutput: true }, reply: { text: 'Done.' } },
          { reply: { toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }] } },
        ]);
        const events = await create('Weather in Rome?');
        const threadId = events[0]!.thread.id;
        expect(recorded).toHaveLength(2);
        for (const row of recorded) {
          expect(row).toMatchObject({
            userId: ctx.userId,
            kind: 'chat',
            metadata: { thread_id: threadId, agent: 'helper' },
          });
          expect(row.usage.requests).toBe(1);
          expect(row.usage.inputTokens).toBeGreaterThan(0);
          expect(row.usage.outputTokens).toBeGreaterThan(0);
        }
        expect(new Set(recorded.map((row) => row.requestId)).size).toBe(2);
        const lastRun = (await store.loadThread(threadId, ctx)).metadata.last_run as any;
        expect(lastRun.usage.input_tokens).toBe(recorded[1]!.usage.inputTokens);
        expect(lastRun.usage.output_tokens).toBe(recorded[1]!.usage.outputTokens);
      },
    );

    test(
      'client tool',
      'a client tool call becomes a pending item; the client output continues the run',
      async () => {
        const { store, server, ctx, create, instance } = await start([
          { match: { hasToolOutput: true }, reply: { text: 'You are in Paris.' } },
          { reply: { toolCalls: [{ name: 'get_location', arguments: { precise: true } }] } },
        ]);
        const events = await create('Where am I?', { agentType: 'locator' });
        const call = doneItems(events).at(-1);
        expect(call).toMatchObject({
          type: 'client_tool_call',
          name: 'get_location',
          status: 'pending',
          arguments: { precise: true },
        });
        expect(typeof call.call_id).toBe('string');
        expect(instance.modelCalls()).toBe(1);
        const threadId = events[0]!.thread.id;
        const next = await readEvents(
          await server.handle(
            post({
              type: 'threads.add_client_tool_output',
              params: { thread_id: threadId, result: { city: 'Paris' } },
            }),
            ctx,
          ),
        );
        expect(doneItems(next).at(-1)).toMatchObject({
          type: 'assistant_message',
          content: [{ text: 'You are in Paris.' }],
        });
        expect(await store.loadItem(threadId, call.id, ctx)).toMatchObject({
          status: 'completed',
          output: { city: 'Paris' },
        });
      },
    );

    test(
      'provider error',
      'a provider error becomes a ChatKit error event; no answer is stored',
      async () => {
        const { store, ctx, create } = await start([
          { reply: { error: { status: 500, message: 'The model broke.' } } },
        ]);
        const events = await create('Hi');
        expect(events.find((event) => event.type === 'error')).toEqual({
          type: 'error',
          code: 'stream.error',
          allow_retry: true,
        });
        const items = await store.loadThreadItems(events[0]!.thread.id, null, 10, 'asc', ctx);
        expect(items.data.map((item) => item.type)).toEqual(['user_message']);
      },
    );

    test(
      'cancel',
      'cancelling mid-stream keeps the partial text (and the hidden "cancelled" context)',
      async () => {
        const { store, server, ctx } = await start([{ reply: { text: LONG_TEXT, tokenIntervalMs: 150 } }]);
        const response = await server.handle(
          post({ type: 'threads.create', params: { input: userInput('Count') } }),
          ctx,
        );
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        let threadId = '';
        let deltas = 0;
        while (deltas < 2) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          const frames = buffer.split('\n\n');
          buffer = frames.pop() ?? '';
          for (const frame of frames) {
            if (!frame.startsWith('data: ')) continue;
            const event = JSON.parse(frame.slice(6));
            if (event.type === 'thread.created') threadId = event.thread.id;
            if (event.type === 'thread.item.updated' && event.update.type.endsWith('text_delta')) deltas += 1;
          }
        }
        expect(deltas).toBe(2);
        await reader.cancel();
        await expect
          .poll(
            async () =>
              (await store.loadThreadItems(threadId, null, 10, 'asc', ctx)).data.map((item) => item.type),
            {
              timeout: 30_000,
            },
          )
          .toEqual(['user_message', 'assistant_message', 'sdk_hidden_context']);
        const items = await store.loadThreadItems(threadId, null, 10, 'asc', ctx);
        const saved = (items.data[1] as any).content[0].text as string;
        expect(saved.length).toBeGreaterThan(0);
        expect(saved.length).toBeLessThan(LONG_TEXT.length);
        expect(LONG_TEXT.startsWith(saved)).toBe(true);
      },
    );
  });
}
