// biome-ignore-all lint/suspicious/noExplicitAny: the tests read decoded wire JSON loosely, as a client would.
/**
 * The packaged fast path (`createOpenAIRespond`) beyond the shared responder suite: usage and `last_run` per API,
 * typed pass-through of the `openai` parameters, history, the simple stream, provider errors, and every recorded
 * Chat Completions and Responses stream of `@relaykit/testing` replayed through the whole ChatKit server.
 */
import { createMemoryStore } from '@relaykit/chatkit-store';
import { createEventStreamDecoder } from '@relaykit/sse-protocol';
import {
  createFakeOpenAI,
  type FakeOpenAI,
  type FakeRule,
  listOpenAIFixtures,
  replayFixture,
} from '@relaykit/testing';
import {
  createMemoryUsageStore,
  createPriceTable,
  createUsageRecorder,
  type RecordUsageInput,
} from '@relaykit/usage-tracker';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatStream } from '../http/chat-stream';
import { createChatKitServer } from '../http/chatkit-server';
import { type Ctx, post, readEvents } from './conformance.suite';
import { createOpenAIRespond, type OpenAIRespondOptions } from './openai-respond';

type Api = 'responses' | 'chat_completions';
const APIS: Api[] = ['responses', 'chat_completions'];
const MODEL_PATH = (api: Api) => (api === 'responses' ? '/v1/responses' : '/v1/chat/completions');

const userInput = (text: string) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

function parseSimple(text: string): { event: string; data: any }[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '' && !frame.startsWith(':'))
    .map((frame) => {
      const lines = frame.split('\n');
      const get = (key: string) =>
        lines.find((line) => line.startsWith(`${key}: `))?.slice(key.length + 2) ?? '';
      return { event: get('event'), data: JSON.parse(get('data')) };
    });
}

const textDeltas = (events: Record<string, any>[]) =>
  events
    .filter((event) => event.type === 'thread.item.updated' && event.update.type.endsWith('text_delta'))
    .map((event) => event.update.delta)
    .join('');

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(
  api: Api,
  rules: FakeRule[],
  extra: Partial<OpenAIRespondOptions<Ctx>> & { params?: any } = {},
) {
  fake = await createFakeOpenAI({ script: { rules, fallback: 'error' } });
  const store = createMemoryStore();
  const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
  const recorded: RecordUsageInput[] = [];
  const client = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
  const respond = createOpenAIRespond<Ctx>(
    store as never,
    {
      api,
      client,
      name: 'fast',
      params: { model: 'gpt-4.1-mini' },
      usage: {
        recordUsage: (input) => {
          recorded.push(input);
          return recorder.recordUsage(input);
        },
      },
      ...extra,
    } as OpenAIRespondOptions<Ctx>,
  );
  const server = createChatKitServer<Ctx>({ store: store as never, respond });
  const ctx: Ctx = { userId: crypto.randomUUID() };
  const modelCalls = () => fake!.calls.filter((call) => call.path === MODEL_PATH(api));
  return { store, server, ctx, recorded, modelCalls, fake: fake! };
}

describe.each(APIS)('createOpenAIRespond (%s)', (api) => {
  it('records usage once per turn and the run in last_run (model, response id, usage, finish reason)', async () => {
    const { server, store, ctx, recorded, modelCalls } = await setup(api, [
      { reply: { text: 'Fast and plain.' } },
    ]);
    const events = await readEvents(
      await server.handle(post({ type: 'threads.create', params: { input: userInput('Hi') } }), ctx),
    );
    expect(textDeltas(events)).toBe('Fast and plain.');
    expect(modelCalls()).toHaveLength(1);
    expect(recorded).toHaveLength(1);
    const row = recorded[0]!;
    expect(row).toMatchObject({ userId: ctx.userId, kind: 'chat', metadata: { agent: 'fast' } });
    expect(row.usage.requests).toBe(1);
    expect(row.usage.inputTokens).toBeGreaterThan(0);
    expect(row.usage.outputTokens).toBeGreaterThan(0);
    const threadId = events[0]!.thread.id;
    expect(row.metadata).toMatchObject({ thread_id: threadId });
    const lastRun = (await store.loadThread(threadId, ctx)).metadata.last_run as any;
    expect(lastRun).toMatchObject({
      agent: 'fast',
      api,
      model: expect.stringContaining('gpt-4.1-mini'),
      response_id: row.metadata!.response_id,
      finish_reason: api === 'responses' ? 'completed' : 'stop',
      usage: { input_tokens: row.usage.inputTokens, output_tokens: row.usage.outputTokens },
    });
    if (api === 'responses') expect(row.requestId).toBe(lastRun.response_id);
  });

  it('passes every parameter through, sets stream (and include_usage), and sends the history', async () => {
    const turns: string[] = [];
    const { server, ctx, modelCalls } = await setup(
      api,
      [{ match: { lastUserText: 'again' }, reply: { text: 'Second.' } }, { reply: { text: 'First.' } }],
      {
        instructions: 'Be terse.',
        requestOptions: { headers: { 'x-relaykit-test': 'yes' } },
        params: (turn: any) => {
          turns.push(String(turn.requestMetadata.tier ?? 'none'));
          return api === 'responses'
            ? { model: 'gpt-4.1-mini', temperature: 0.25, store: false, metadata: { tier: 'gold' } }
            : {
                model: 'gpt-4.1-mini',
                temperature: 0.25,
                user: 'u-1',
                stream_options: { include_obfuscation: false },
              };
        },
      },
    );
    const first = await readEvents(
      await server.handle(
        post({ type: 'threads.create', params: { input: userInput('Hello') }, metadata: { tier: 'gold' } }),
        ctx,
      ),
    );
    const threadId = first[0]!.thread.id;
    const second = await readEvents(
      await server.handle(
        post({
          type: 'threads.add_user_message',
          params: { thread_id: threadId, input: userInput('again') },
        }),
        ctx,
      ),
    );
    expect(textDeltas(second)).toBe('Second.');
    expect(turns).toEqual(['gold', 'none']);
    const [call1, call2] = modelCalls();
    expect(call1!.headers['x-relaykit-test']).toBe('yes');
    const body = call2!.body as any;
    expect(body.stream).toBe(true);
    expect(body.temperature).toBe(0.25);
    if (api === 'responses') {
      expect(body).toMatchObject({ instructions: 'Be terse.', store: false, metadata: { tier: 'gold' } });
      expect(body.input).toEqual([
        { role: 'user', content: [{ type: 'input_text', text: 'Hello' }] },
        { role: 'assistant', content: 'First.' },
        { role: 'user', content: [{ type: 'input_text', text: 'again' }] },
      ]);
    } else {
      expect(body).toMatchObject({
        user: 'u-1',
        stream_options: { include_usage: true, include_obfuscation: false },
      });
      expect(body.messages).toEqual([
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'First.' },
        { role: 'user', content: 'again' },
      ]);
    }
  });

  it('serves the simple stream: session, chunks, text_done, response_done with usage, done', async () => {
    const { server, ctx, recorded } = await setup(api, [{ reply: { text: 'Simple and fast.' } }]);
    const response = await createChatStream(server, { message: 'Hi', sessionId: 's-1' }, ctx);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSimple(await response.text());
    expect(events[0]).toMatchObject({ event: 'session', data: { sessionId: 's-1' } });
    expect(
      events
        .filter((event) => event.event === 'chunk')
        .map((event) => event.data.text)
        .join(''),
    ).toBe('Simple and fast.');
    expect(events.find((event) => event.event === 'text_done')?.data.text).toBe('Simple and fast.');
    const done = events.find((event) => event.event === 'response_done');
    expect(done?.data.response.usage).toMatchObject({
      inputTokens: recorded[0]!.usage.inputTokens,
      outputTokens: recorded[0]!.usage.outputTokens,
    });
    expect(events.at(-1)?.event).toBe('done');

    const json = await createChatStream(server, { message: 'Again', stream: false }, ctx);
    expect(await json.json()).toMatchObject({ agent: 'fast', message: 'Simple and fast.' });
  });

  it('maps a provider error with providerError: quota_exceeded in the simple stream, an error event in ChatKit', async () => {
    const { server, ctx } = await setup(api, [
      { reply: { error: { status: 429, code: 'insufficient_quota', message: 'You exceeded your quota.' } } },
    ]);
    const answer = await createChatStream(server, { message: 'Hi', stream: false }, ctx);
    expect(answer.status).toBe(429);
    expect((await answer.json()).error.code).toBe('quota_exceeded');
    const events = await readEvents(
      await server.handle(post({ type: 'threads.create', params: { input: userInput('Hi') } }), ctx),
    );
    expect(events.find((event) => event.type === 'error')).toMatchObject({
      type: 'error',
      allow_retry: true,
    });
  });

  it('a refused key is a configuration error, not retryable', async () => {
    const { server, ctx } = await setup(api, [{ reply: { error: { status: 401 } } }]);
    const answer = await createChatStream(server, { message: 'Hi', stream: false }, ctx);
    expect((await answer.json()).error).toMatchObject({ code: 'configuration', retryable: false });
  });
});

/** Every recorded stream of one API: one entry per file, or per streamed interaction of a cassette. */
async function recordedStreams(api: Api) {
  const name = api === 'responses' ? 'responses' : 'chat.completions';
  const path = { method: 'POST', path: MODEL_PATH(api) };
  const out: { file: string; turns: Record<string, any>[][] }[] = [];
  for (const fixture of listOpenAIFixtures()) {
    if (!fixture.streamed || !fixture.api.split('+').includes(name)) continue;
    const turns: Record<string, any>[][] = [];
    for (let interaction = 0; ; interaction += 1) {
      let body: Buffer;
      try {
        body = replayFixture(fixture.file, path, fixture.format === 'VCR-YAML' ? { interaction } : {}).body;
      } catch {
        break;
      }
      const events: Record<string, any>[] = [];
      const messages = new Blob([body.toString('utf8')]).stream().pipeThrough(createEventStreamDecoder());
      for await (const message of messages) if (!message.done) events.push(JSON.parse(message.data));
      if (events.length > 0) turns.push(events);
      if (fixture.format !== 'VCR-YAML') break;
    }
    if (turns.length > 0) out.push({ file: fixture.file, turns });
  }
  return out;
}

/** What a recorded turn should show: the streamed text (refusals included), tool calls, usage per response. */
function expectedTurn(api: Api, events: Record<string, any>[]) {
  let text = '';
  const tools: { name: string; arguments: unknown }[] = [];
  const usage: { input: number; output: number }[] = [];
  let failed = false;
  if (api === 'responses') {
    for (const event of events) {
      if (event.type === 'response.output_text.delta' || event.type === 'response.refusal.delta')
        text += event.delta;
      if (event.type === 'response.output_item.done' && event.item.type === 'function_call')
        tools.push({ name: event.item.name, arguments: JSON.parse(event.item.arguments || '{}') });
      if (event.type === 'response.completed' && event.response.usage)
        usage.push({ input: event.response.usage.input_tokens, output: event.response.usage.output_tokens });
      if (event.type === 'error' || event.type === 'response.failed') failed = true;
    }
  } else {
    const calls = new Map<number, { name: string; arguments: string }>();
    for (const chunk of events) {
      if (chunk.usage)
        usage.push({ input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens });
      for (const choice of chunk.choices ?? []) {
        if (choice.index !== 0) continue;
        text += (choice.delta?.content ?? '') + (choice.delta?.refusal ?? '');
        for (const call of choice.delta?.tool_calls ?? []) {
          const entry = calls.get(call.index) ?? { name: '', arguments: '' };
          entry.name += call.function?.name ?? '';
          entry.arguments += call.function?.arguments ?? '';
          calls.set(call.index, entry);
        }
      }
    }
    for (const call of calls.values()) tools.push({ name: call.name, arguments: JSON.parse(call.arguments) });
  }
  return { text, tools, usage, failed };
}

const RECORDED: Record<Api, Awaited<ReturnType<typeof recordedStreams>>> = {
  responses: await recordedStreams('responses'),
  chat_completions: await recordedStreams('chat_completions'),
};

describe.each(APIS)(
  'recorded %s streams replayed through the fast path and the whole ChatKit server',
  (api) => {
    it('covers the recorded streams of the API', () => {
      expect(RECORDED[api].length).toBeGreaterThanOrEqual(api === 'responses' ? 14 : 9);
    });

    it.each(RECORDED[api].map((stream) => [stream.file, stream.turns] as const))(
      '%s: recorded text, client tool calls and usage',
      async (file, turns) => {
        const wanted = turns.map((events) => expectedTurn(api, events));
        const toolNames = [...new Set(wanted.flatMap((turn) => turn.tools.map((tool) => tool.name)))];
        const { server, ctx, recorded } = await setup(api, [{ reply: { replay: file } }], {
          clientToolNames: toolNames,
        });
        for (const [index, want] of wanted.entries()) {
          const before = recorded.length;
          const events = await readEvents(
            await server.handle(post({ type: 'threads.create', params: { input: userInput('Hello') } }), ctx),
          );
          if (want.failed) {
            expect(events.find((event) => event.type === 'error')).toBeDefined();
            continue;
          }
          expect(
            events.find((event) => event.type === 'error'),
            `turn ${index}`,
          ).toBeUndefined();
          expect(textDeltas(events)).toBe(want.text);
          const calls = events.filter(
            (event) => event.type === 'thread.item.done' && event.item.type === 'client_tool_call',
          );
          expect(calls.map((event) => ({ name: event.item.name, arguments: event.item.arguments }))).toEqual(
            want.tools,
          );
          expect(
            recorded
              .slice(before)
              .map((row) => ({ input: row.usage.inputTokens, output: row.usage.outputTokens })),
          ).toEqual(want.usage);
          expect(want.usage.length).toBeGreaterThan(0);
        }
      },
      60_000,
    );
  },
);
