// biome-ignore-all lint/suspicious/noExplicitAny: the test reads decoded wire JSON loosely, as a client would.
/**
 * Every recorded Chat Completions stream of `@relaykit/testing` (real OpenAI traffic, see its fixtures MANIFEST)
 * replayed by the fake OpenAI server through the whole ChatKit server, with the agents responder on
 * `createModelAccess({ api: 'chat_completions' })`: the recorded text (or refusal), tool calls and usage must reach
 * the ChatKit events, the tools and the usage recorder.
 */
import { setTracingDisabled, tool } from '@openai/agents';
import { createMemoryStore } from '@relaykit/chatkit-store';
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
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define-agent';
import { createAgentRegistry } from '../agents/registry';
import { createChatKitServer } from '../http/chatkit-server';
import { createModelAccess } from '../models/model-access';
import { type Ctx, post, readEvents } from './conformance.suite';

setTracingDisabled(true);

interface RecordedTurn {
  text: string;
  refusal: string;
  toolCalls: { name: string; arguments: unknown }[];
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    prompt_tokens_details?: any;
    completion_tokens_details?: any;
  };
}

/** What one recorded stream says, for choice 0 (the one the Agents SDK reads). */
function recordedTurn(body: Buffer): RecordedTurn {
  const turn: RecordedTurn = {
    text: '',
    refusal: '',
    toolCalls: [],
    usage: { prompt_tokens: 0, completion_tokens: 0 },
  };
  const calls = new Map<number, { name: string; arguments: string }>();
  for (const line of body.toString('utf8').split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const chunk = JSON.parse(line.slice(6));
    if (chunk.usage) turn.usage = chunk.usage;
    const delta = chunk.choices?.find((choice: any) => choice.index === 0)?.delta;
    if (!delta) continue;
    if (typeof delta.content === 'string') turn.text += delta.content;
    if (typeof delta.refusal === 'string') turn.refusal += delta.refusal;
    for (const call of delta.tool_calls ?? []) {
      const entry = calls.get(call.index) ?? { name: '', arguments: '' };
      entry.name += call.function?.name ?? '';
      entry.arguments += call.function?.arguments ?? '';
      calls.set(call.index, entry);
    }
  }
  turn.toolCalls = [...calls.values()].map((call) => ({
    name: call.name,
    arguments: JSON.parse(call.arguments),
  }));
  return turn;
}

const PATH = { method: 'POST', path: '/v1/chat/completions' };
const fixtures = listOpenAIFixtures().filter(
  (fixture) => fixture.streamed && fixture.api === 'chat.completions',
);

/** The recorded turns of a fixture: one per streamed interaction of a cassette, else the one stream. */
function recordedTurns(file: string, format: string): RecordedTurn[] {
  if (format !== 'VCR-YAML') return [recordedTurn(replayFixture(file, PATH).body)];
  const turns: RecordedTurn[] = [];
  for (let interaction = 0; ; interaction += 1) {
    try {
      turns.push(recordedTurn(replayFixture(file, PATH, { interaction }).body));
    } catch {
      return turns;
    }
  }
}

describe('recorded Chat Completions streams through the ChatKit server (agents responder, chat_completions)', () => {
  let fake: FakeOpenAI | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('covers every streamed Chat Completions fixture', () => {
    expect(fixtures.map((fixture) => fixture.file).sort()).toEqual(
      [
        'test_run_stream_sync_streams_real_model.yaml',
        'openai-text.chunks.txt',
        'e2aad469b71d1d4894ff833ea147020a9d875eb7ce644a0ff355581690a4cbfd.bin',
        '2018feb66ae13fcf5333d61b95849decc68d3f63bd38172889367e1afb1e04f7.bin',
        'f82268f2fefd5cfbc7eeb59c297688be2f6ca0849a6e4f17851b517310841d9b.bin',
        '173417d553406f034f643e5db3f8d591fb691ebac56f5ae39a22cc7d455c5353.bin',
        '4cc50a6135d254573a502310e6af1246f55edb6ad95fa24059f160996b68866d.bin',
        '83b060bae42eb41c4f1edbb7c1542b954b37d9dfd1910b964ddebc9677e6ae85.bin',
        'a491adda08c3d4fde95f5b2ee3f60f7f745f1a56d82e62f58031cc2add502380.bin',
      ].sort(),
    );
  });

  it.each(fixtures.map((fixture) => [fixture.file, fixture.format]))(
    '%s: recorded text, tool calls and usage reach ChatKit and the recorder',
    async (file, format) => {
      const turns = recordedTurns(file, format);
      const toolNames = [...new Set(turns.flatMap((turn) => turn.toolCalls.map((call) => call.name)))];
      const executed: { name: string; arguments: unknown }[] = [];
      const tools = toolNames.map((name) =>
        tool({
          name,
          description: `Recorded tool ${name}`,
          parameters: { type: 'object', properties: {}, required: [], additionalProperties: true },
          strict: false,
          execute: async (args) => {
            executed.push({ name, arguments: args });
            return 'recorded tool output';
          },
        }),
      );
      // A cassette replays its next interaction on each call; a single recorded tool-call stream is followed by a
      // scripted answer.
      const afterTools = 'The tools answered.';
      const rules: FakeRule[] =
        turns.length > 1 || toolNames.length === 0
          ? [{ reply: { replay: file } }]
          : [{ match: { hasToolOutput: true }, reply: { text: afterTools } }, { reply: { replay: file } }];
      fake = await createFakeOpenAI({ script: { rules, fallback: 'error' } });
      const store = createMemoryStore();
      const recorder = createUsageRecorder({ store: createMemoryUsageStore(), prices: createPriceTable() });
      const recorded: RecordUsageInput[] = [];
      const helper = defineAgent({
        type: 'helper',
        description: 'Replays a recording',
        metadata: z.object({}),
        instructions: 'Answer.',
        tools,
      });
      const server = createChatKitServer<Ctx>({
        store: store as never,
        agents: {
          registry: createAgentRegistry([helper], { defaultAgent: 'helper' }),
          modelAccess: createModelAccess({
            apiKey: 'test',
            baseURL: fake.url,
            api: 'chat_completions',
            maxRetries: 0,
          }),
          usage: {
            recordUsage: (input) => {
              recorded.push(input);
              return recorder.recordUsage(input);
            },
          },
        },
      });
      const ctx: Ctx = { userId: crypto.randomUUID() };
      const events = await readEvents(
        await server.handle(
          post({
            type: 'threads.create',
            params: {
              input: {
                content: [{ type: 'input_text', text: 'Hello' }],
                attachments: [],
                inference_options: {},
              },
            },
          }),
          ctx,
        ),
      );
      expect(events.find((event) => event.type === 'error')).toBeUndefined();

      // Text: every recorded delta once, in the streamed deltas and the stored messages.
      const recordedText = turns.map((turn) => turn.text).join('');
      const expectedText =
        toolNames.length > 0 && turns.length === 1 ? recordedText + afterTools : recordedText;
      const deltas = events
        .filter((event) => event.type === 'thread.item.updated' && event.update.type.endsWith('text_delta'))
        .map((event) => event.update.delta)
        .join('');
      expect(deltas).toBe(expectedText);
      const answers = events.filter(
        (event) => event.type === 'thread.item.done' && event.item.type === 'assistant_message',
      );
      const shown = turns.map((turn) => turn.text || turn.refusal).filter((text) => text !== '');
      if (toolNames.length > 0 && turns.length === 1) shown.push(afterTools);
      expect(answers.map((event) => event.item.content.map((part: any) => part.text).join(''))).toEqual(
        shown,
      );
      expect(shown.length).toBeGreaterThan(0);

      // Tool calls: run with the recorded arguments.
      expect(executed).toEqual(turns.flatMap((turn) => turn.toolCalls));

      // Usage: one row per model response, with the recorded counts.
      expect(recorded.length).toBe(fake.calls.length);
      turns.forEach((turn, index) => {
        expect(recorded[index]?.usage).toMatchObject({
          requests: 1,
          inputTokens: turn.usage.prompt_tokens,
          outputTokens: turn.usage.completion_tokens,
          cachedInputTokens: turn.usage.prompt_tokens_details?.cached_tokens ?? 0,
          reasoningTokens: turn.usage.completion_tokens_details?.reasoning_tokens ?? 0,
        });
        expect(turn.usage.prompt_tokens).toBeGreaterThan(0);
      });
    },
    60_000,
  );
});
