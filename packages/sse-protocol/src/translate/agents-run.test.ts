// biome-ignore-all lint/suspicious/noExplicitAny: the tests read SDK events and ChatKit events loosely.
/**
 * `agentsRunToChatKit` over event sequences the Agents SDK really produces: each run below is made by the real SDK
 * (`@openai/agents`) against the fake OpenAI server, on the Responses API and on Chat Completions, and its events
 * are captured before they are translated.
 */
import {
  Agent,
  type Model,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  Runner,
  setTracingDisabled,
  tool,
} from '@openai/agents';
import { createFakeOpenAI, type FakeOpenAI, type FakeRule } from '@relaykit/testing';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ThreadStreamEvent } from '../chatkit/events';
import { type AgentsModelResponse, type AgentsRunStreamEvent, agentsRunToChatKit } from './agents';
import { deterministicOptions } from './fixture-streams';
import { responsesToChatKit } from './responses';
import { chatKitToSimpleStream } from './simple';

setTracingDisabled(true);

type Api = 'responses' | 'chat_completions';
const APIS: Api[] = ['responses', 'chat_completions'];

const deterministic = deterministicOptions;

async function collect(iterable: AsyncIterable<ThreadStreamEvent>): Promise<ThreadStreamEvent[]> {
  const out: ThreadStreamEvent[] = [];
  for await (const event of iterable) out.push(event);
  return out;
}

const deltas = (events: ThreadStreamEvent[], itemId?: string) =>
  events
    .flatMap((event) =>
      event.type === 'thread.item.updated' &&
      event.update.type === 'assistant_message.content_part.text_delta' &&
      (itemId === undefined || event.item_id === itemId)
        ? [event.update.delta]
        : [],
    )
    .join('');
const done = (events: ThreadStreamEvent[]) =>
  events.flatMap((event) => (event.type === 'thread.item.done' ? [event.item as any] : []));
const added = (events: ThreadStreamEvent[]) =>
  events.flatMap((event) => (event.type === 'thread.item.added' ? [event.item as any] : []));

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function modelFor(api: Api, rules: FakeRule[]): Promise<Model> {
  fake = await createFakeOpenAI({ script: { rules, fallback: 'error' } });
  const client = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
  return api === 'responses'
    ? new OpenAIResponsesModel(client, 'gpt-4.1')
    : new OpenAIChatCompletionsModel(client, 'gpt-4.1');
}

/** Runs the agent streamed with the real SDK and captures its events (and the run's failure, if any). */
async function capture(agent: Agent<any, any>, input = 'Hello') {
  const result = await new Runner({ tracingDisabled: true }).run(agent, input, { stream: true });
  const events: AgentsRunStreamEvent[] = [];
  let failure: unknown;
  try {
    for await (const event of result) events.push(event as AgentsRunStreamEvent);
    await result.completed;
  } catch (error) {
    failure = error;
  }
  return { events, failure, result };
}

const weather = tool({
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => `18 °C in ${city}`,
});
const time = tool({
  name: 'get_time',
  description: 'Local time of a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => `12:00 in ${city}`,
});
const location = tool({
  name: 'get_location',
  description: 'Runs on the ChatKit client',
  parameters: z.object({ precise: z.boolean() }),
  execute: async () => 'sent to the client',
});

describe.each(APIS)('agentsRunToChatKit on the %s API', (api) => {
  it('streams a plain reply once: added, content part, one delta per SDK delta, done with the same id; usage per response', async () => {
    const model = await modelFor(api, [{ reply: { text: 'Hello there, friend!' } }]);
    const { events } = await capture(new Agent({ name: 'Echo', instructions: 'Answer.', model }));
    const responses: AgentsModelResponse[] = [];
    const translated = await collect(
      agentsRunToChatKit(events, { ...deterministic(), onResponseDone: (r) => responses.push(r) }),
    );
    const sdkDeltas = events.filter((event: any) => event.data?.type === 'output_text_delta').length;
    expect(sdkDeltas).toBeGreaterThan(1);
    expect(
      translated.filter(
        (event) =>
          event.type === 'thread.item.updated' &&
          event.update.type === 'assistant_message.content_part.text_delta',
      ),
    ).toHaveLength(sdkDeltas);
    expect(translated.map((event) => event.type)).toEqual([
      'thread.item.added',
      'thread.item.updated',
      ...Array.from({ length: sdkDeltas }, () => 'thread.item.updated'),
      'thread.item.updated',
      'thread.item.done',
    ]);
    const [item] = added(translated);
    const [final] = done(translated);
    expect(final.id).toBe(item.id);
    // Responses message ids are kept (the raw stream names them); Chat Completions gets a generated id.
    expect(item.id).toMatch(api === 'responses' ? /^msg_/ : /^message_\d+$/);
    expect(deltas(translated, item.id)).toBe('Hello there, friend!');
    expect(final.content).toEqual([{ type: 'output_text', text: 'Hello there, friend!', annotations: [] }]);
    expect(responses).toHaveLength(1);
    expect(responses[0]?.usage?.inputTokens).toBeGreaterThan(0);
    expect(responses[0]?.usage?.outputTokens).toBeGreaterThan(0);
    expect(responses[0]?.id).toMatch(api === 'responses' ? /^resp_/ : /^chatcmpl-/);
  });

  it('translates the same without the raw model events (only the provider-neutral ones), ids aside', async () => {
    const model = await modelFor(api, [{ reply: { text: 'Plain words here.' } }]);
    const { events } = await capture(new Agent({ name: 'Echo', instructions: 'Answer.', model }));
    const neutral = events.filter((event: any) => event.data?.type !== 'model');
    const withRaw = await collect(agentsRunToChatKit(events, deterministic()));
    const withoutRaw = await collect(agentsRunToChatKit(neutral, deterministic()));
    const ids = (list: ThreadStreamEvent[]) =>
      JSON.parse(
        JSON.stringify(list)
          .replace(/"msg_[0-9a-f]+"/g, '"ID"')
          .replace(/"message_\d+"/g, '"ID"'),
      );
    expect(ids(withoutRaw)).toEqual(ids(withRaw));
    expect(deltas(withoutRaw)).toBe('Plain words here.');
    expect(added(withoutRaw)[0].id).toBe('message_1');
  });

  it('runs two parallel server tool calls without showing them, then streams the answer', async () => {
    const model = await modelFor(api, [
      { match: { hasToolOutput: true }, reply: { text: 'Sunny and noon.' } },
      {
        reply: {
          toolCalls: [
            { name: 'get_weather', arguments: { city: 'Paris' } },
            { name: 'get_time', arguments: { city: 'Paris' } },
          ],
        },
      },
    ]);
    const { events } = await capture(
      new Agent({ name: 'Helper', instructions: 'Help.', model, tools: [weather, time] }),
    );
    expect(
      events.filter((event) => event.type === 'run_item_stream_event' && event.name === 'tool_called'),
    ).toHaveLength(2);
    const responses: AgentsModelResponse[] = [];
    const translated = await collect(
      agentsRunToChatKit(events, { ...deterministic(), onResponseDone: (r) => responses.push(r) }),
    );
    expect(done(translated).map((item) => item.type)).toEqual(['assistant_message']);
    expect(deltas(translated)).toBe('Sunny and noon.');
    expect(responses).toHaveLength(2);
  });

  it('a client tool call becomes one pending client_tool_call item with its call id and arguments', async () => {
    const model = await modelFor(api, [
      {
        reply: {
          toolCalls: [{ name: 'get_location', arguments: { precise: true }, callId: 'call_client_1' }],
        },
      },
    ]);
    const agent = new Agent({
      name: 'Locator',
      instructions: 'Find the user.',
      model,
      tools: [location, weather],
      toolUseBehavior: { stopAtToolNames: ['get_location'] },
    });
    const { events } = await capture(agent);
    const translated = await collect(
      agentsRunToChatKit(events, { ...deterministic(), clientToolNames: ['get_location'] }),
    );
    expect(done(translated)).toEqual([
      expect.objectContaining({
        type: 'client_tool_call',
        status: 'pending',
        name: 'get_location',
        call_id: 'call_client_1',
        arguments: { precise: true },
        id: api === 'responses' ? expect.stringMatching(/^fc_/) : 'tool_call_1',
      }),
    ]);
  });

  it('a handoff shows nothing itself; the second agent answers and onAgentUpdated names it', async () => {
    const model = await modelFor(api, [
      { match: { hasToolOutput: true }, reply: { text: 'Specialist here.' } },
      { reply: { toolCalls: [{ name: 'transfer_to_specialist', arguments: {} }] } },
    ]);
    const specialist = new Agent({ name: 'specialist', instructions: 'Know things.', model });
    const triage = new Agent({ name: 'triage', instructions: 'Route.', model, handoffs: [specialist] });
    const { events, result } = await capture(triage);
    expect(
      events.some((event) => event.type === 'run_item_stream_event' && event.name === 'handoff_occurred'),
    ).toBe(true);
    const agents: string[] = [];
    const translated = await collect(
      agentsRunToChatKit(events, { ...deterministic(), onAgentUpdated: (name) => agents.push(name) }),
    );
    expect(agents.at(-1)).toBe('specialist');
    expect(result.lastAgent?.name).toBe('specialist');
    expect(done(translated).map((item) => [item.type, item.content?.[0]?.text])).toEqual([
      ['assistant_message', 'Specialist here.'],
    ]);
  });

  it('a refusal becomes the assistant message text', async () => {
    const model = await modelFor(api, [{ reply: { refusal: 'I cannot help with that.' } }]);
    const { events } = await capture(new Agent({ name: 'Echo', instructions: 'Answer.', model }));
    const translated = await collect(agentsRunToChatKit(events, deterministic()));
    const [message] = done(translated);
    expect(message.content).toEqual([
      { type: 'output_text', text: 'I cannot help with that.', annotations: [] },
    ]);
    // Streamed refusal deltas (Responses raw events) appear once; Chat Completions does not stream them.
    expect(deltas(translated)).toBe(api === 'responses' ? 'I cannot help with that.' : '');
  });

  it('an error mid-stream: the deltas so far, no done, then the run failure is rethrown', async () => {
    const model = await modelFor(api, [
      { reply: { text: 'One two three four five six', faults: { errorEventAfter: 3 } } },
    ]);
    const { events, failure } = await capture(new Agent({ name: 'Echo', instructions: 'Answer.', model }));
    expect(failure).toBeDefined();
    const failing = Object.assign(
      (async function* () {
        yield* events;
      })(),
      { completed: Promise.reject(failure) },
    );
    failing.completed.catch(() => {});
    const seen: ThreadStreamEvent[] = [];
    await expect(
      (async () => {
        for await (const event of agentsRunToChatKit(failing, deterministic())) seen.push(event);
      })(),
    ).rejects.toBe(failure);
    expect(deltas(seen)).toBe('One two three');
    expect(done(seen)).toEqual([]);
  });
});

describe('agentsRunToChatKit into the simple stream (README example)', () => {
  it.each(APIS)('%s: chunks, text_done and response_done with the usage of onResponseDone', async (api) => {
    const model = await modelFor(api, [{ reply: { text: 'Simple answer.' } }]);
    const agent = new Agent({ name: 'Echo', instructions: 'Answer.', model });
    const { events: runEvents } = await capture(agent);
    const [threadId, sessionId, userId] = ['thr_1', 'ses_1', 'user_1'];
    // README: translators
    let response: AgentsModelResponse | undefined;
    const chatKit = agentsRunToChatKit(runEvents, {
      threadId,
      onResponseDone: (done) => {
        response = done;
      },
    });
    const simple = chatKitToSimpleStream(chatKit, {
      sessionId,
      session: { threadId, userId, agent: agent.name },
      response: () => response,
    });
    const events: any[] = [];
    for await (const event of simple) events.push(event);
    expect(events.map((event) => event.event).filter((name) => name !== 'chunk')).toEqual([
      'session',
      'text_done',
      'response_done',
      'done',
    ]);
    expect(
      events
        .filter((event) => event.event === 'chunk')
        .map((event) => event.data.text)
        .join(''),
    ).toBe('Simple answer.');
    const usage = events.find((event) => event.event === 'response_done').data.response.usage;
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBeGreaterThan(0);
  });
});

describe('agentsRunToChatKit, raw Responses enrichment', () => {
  it('equals the raw Responses translation for a recorded hosted-tool stream replayed through the SDK (workflow, annotations)', async () => {
    const { recordedResponsesStreams } = await import('./fixture-streams');
    const streams = await recordedResponsesStreams();
    const web = streams.find((stream) => stream.name === 'openai-web-search-tool.1.chunks.txt');
    if (web === undefined) throw new Error('missing fixture');
    const body = web.events
      .map((event) => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`)
      .join('');
    const client = new OpenAI({
      apiKey: 'test',
      baseURL: 'http://replay.invalid/v1',
      fetch: async () =>
        new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    });
    const agent = new Agent({
      name: 'Searcher',
      instructions: 'Search.',
      model: new OpenAIResponsesModel(client, 'gpt-5'),
    });
    const { events } = await capture(agent);
    const translated = await collect(agentsRunToChatKit(events, deterministic()));
    const raw = await collect(responsesToChatKit(web.events, deterministic()));
    expect(translated).toEqual(raw);
    expect(
      translated.some(
        (event) => event.type === 'thread.item.updated' && event.update.type === 'workflow.task.added',
      ),
    ).toBe(true);
    expect(
      translated.filter(
        (event) =>
          event.type === 'thread.item.updated' &&
          event.update.type === 'assistant_message.content_part.annotation_added',
      ).length,
    ).toBeGreaterThan(0);
  });

  it('reads image progress from the raw response.created and hands every image to imageUrl', async () => {
    const raw = (event: Record<string, unknown>): AgentsRunStreamEvent => ({
      type: 'raw_model_stream_event',
      data: { type: 'model', event },
    });
    const handed: string[] = [];
    const translated = await collect(
      agentsRunToChatKit(
        [
          { type: 'raw_model_stream_event', data: { type: 'response_started' } },
          raw({
            type: 'response.created',
            response: { tools: [{ type: 'image_generation', partial_images: 1 }] },
          }),
          raw({ type: 'response.output_item.added', item: { type: 'image_generation_call', id: 'ig_1' } }),
          raw({
            type: 'response.image_generation_call.partial_image',
            item_id: 'ig_1',
            partial_image_index: 0,
            partial_image_b64: 'AAAA',
            output_format: 'webp',
          }),
          raw({
            type: 'response.output_item.done',
            item: { type: 'image_generation_call', id: 'ig_1', result: 'BBBB', output_format: 'webp' },
          }),
        ],
        deterministic({
          imageUrl: (image) => {
            handed.push(image.base64);
            return `/images/${image.id}-${image.partialImageIndex ?? 'final'}.${image.format}`;
          },
        }),
      ),
    );
    expect(handed).toEqual(['AAAA', 'BBBB']);
    const update = translated.find(
      (event) => event.type === 'thread.item.updated' && event.update.type === 'generated_image.updated',
    );
    expect(update).toMatchObject({
      update: { progress: 0.5, image: { id: 'ig_1', url: '/images/ig_1-0.webp' } },
    });
    expect(done(translated)).toMatchObject([
      { type: 'generated_image', image: { id: 'ig_1', url: '/images/ig_1-final.webp' } },
    ]);
  });

  it('shows a reasoning summary from the neutral reasoning item when no raw Responses events carry it', async () => {
    const events: AgentsRunStreamEvent[] = [
      { type: 'raw_model_stream_event', data: { type: 'response_started' } },
      {
        type: 'raw_model_stream_event',
        data: { type: 'output_text_delta', delta: 'Answer.', itemId: 'txt-0' },
      },
      {
        type: 'raw_model_stream_event',
        data: {
          type: 'response_done',
          response: { id: 'r1', usage: { inputTokens: 3, outputTokens: 2 }, output: [] },
        },
      },
      {
        type: 'run_item_stream_event',
        name: 'reasoning_item_created',
        item: {
          rawItem: { type: 'reasoning', content: [{ type: 'input_text', text: 'Thinking it over.' }] },
        },
      },
      {
        type: 'run_item_stream_event',
        name: 'message_output_created',
        item: {
          rawItem: { type: 'message', id: 'txt-0', content: [{ type: 'output_text', text: 'Answer.' }] },
        },
      },
    ];
    const translated = await collect(agentsRunToChatKit(events, deterministic()));
    const workflow = done(translated).find((item) => item.type === 'workflow');
    expect(workflow.workflow.type).toBe('reasoning');
    expect(workflow.workflow.tasks).toEqual([
      { type: 'thought', status_indicator: 'none', content: 'Thinking it over.' },
    ]);
    expect(done(translated).map((item) => item.type)).toEqual(['workflow', 'assistant_message']);
    expect(done(translated).at(-1)).toMatchObject({ id: 'message_1' });
  });

  it('reuses of one provider item id in later responses (as AI-SDK providers do) become distinct ChatKit messages', async () => {
    const turn = (text: string): AgentsRunStreamEvent[] => [
      { type: 'raw_model_stream_event', data: { type: 'response_started' } },
      { type: 'raw_model_stream_event', data: { type: 'output_text_delta', delta: text, itemId: 'txt-0' } },
      {
        type: 'run_item_stream_event',
        name: 'message_output_created',
        item: { rawItem: { type: 'message', id: 'txt-0', content: [{ type: 'output_text', text }] } },
      },
    ];
    const translated = await collect(
      agentsRunToChatKit([...turn('First.'), ...turn('Second.')], deterministic()),
    );
    expect(done(translated).map((item) => [item.id, item.content[0].text])).toEqual([
      ['message_1', 'First.'],
      ['message_2', 'Second.'],
    ]);
  });

  it('a message still open when the run ends is finished with its streamed text', async () => {
    const translated = await collect(
      agentsRunToChatKit(
        [
          { type: 'raw_model_stream_event', data: { type: 'response_started' } },
          { type: 'raw_model_stream_event', data: { type: 'output_text_delta', delta: 'Partial' } },
        ],
        deterministic(),
      ),
    );
    expect(done(translated)).toEqual([
      expect.objectContaining({
        id: 'message_1',
        content: [{ type: 'output_text', text: 'Partial', annotations: [] }],
      }),
    ]);
  });
});
