import { describe, expect, it } from 'vitest';
import type { ThreadStreamEvent } from '../chatkit/events';
import { RequestError } from '../errors';
import { SimpleChatEvent } from '../simple/events';
import { completedOutputText, recordedResponsesStreams } from './fixture-streams';
import type { CompletedResponse } from './options';
import { responsesToChatKit } from './responses';
import { chatKitToSimpleStream, toSimpleUsage } from './simple';

const streams = await recordedResponsesStreams();
const byName = (name: string) => {
  const found = streams.find((stream) => stream.name === name);
  if (found === undefined) throw new Error(`missing fixture ${name}`);
  return found.events;
};

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const event of iterable) out.push(event);
  return out;
}

async function simpleFrom(
  events: Record<string, unknown>[],
  clientToolNames: string[] = [],
): Promise<SimpleChatEvent[]> {
  let last: CompletedResponse | undefined;
  const chatKit = responsesToChatKit(events, {
    threadId: 'thr_1',
    clientToolNames,
    onResponseCompleted: (response) => (last = response),
  });
  const simple = await collect(
    chatKitToSimpleStream(chatKit, {
      sessionId: 'sess_1',
      session: { threadId: 'thr_1', userId: 'user_1', agent: 'triage' },
      response: () => last,
    }),
  );
  // Every event is valid on the simple chat wire (the schema of this package).
  for (const event of simple) expect(() => SimpleChatEvent.parse(event)).not.toThrow();
  return simple;
}

describe('chatKitToSimpleStream', () => {
  it('streams session, chunks adding up to text_done, response_done with usage, then done', async () => {
    const events = byName('openai-shell-local-multiturn.1.chunks.txt');
    const simple = await simpleFrom(events);
    expect(simple[0]).toEqual({
      event: 'session',
      data: { sessionId: 'sess_1', threadId: 'thr_1', userId: 'user_1', agent: 'triage' },
    });
    const chunks = simple.flatMap((event) => (event.event === 'chunk' ? [event.data.text] : []));
    expect(chunks).toHaveLength(8);
    const textDone = simple.find((event) => event.event === 'text_done');
    expect(textDone?.data).toEqual({ text: completedOutputText(events), sessionId: 'sess_1' });
    expect(chunks.join('')).toBe(completedOutputText(events));
    expect(simple.at(-2)).toMatchObject({
      event: 'response_done',
      data: {
        sessionId: 'sess_1',
        response: {
          id: expect.stringMatching(/^resp_/),
          model: expect.any(String),
          usage: {
            inputTokens: expect.any(Number),
            outputTokens: expect.any(Number),
            totalTokens: expect.any(Number),
          },
        },
      },
    });
    expect(simple.at(-1)).toEqual({ event: 'done', data: { sessionId: 'sess_1' } });
  });

  it('reports each hosted tool once as started and once as completed', async () => {
    const simple = await simpleFrom(byName('openai-web-search-tool.1.chunks.txt'));
    const tools = simple.flatMap((event) => (event.event === 'tool' ? [event.data] : []));
    expect(tools.filter((tool) => tool.status === 'started')).toHaveLength(6);
    expect(tools.filter((tool) => tool.status === 'completed')).toHaveLength(6);
    expect(tools[0]).toEqual({ name: 'Searching the web', status: 'started', sessionId: 'sess_1' });
  });

  it('reports a client tool call as a started tool', async () => {
    const simple = await simpleFrom(byName('openai-reasoning-encrypted-content.1.chunks.txt'), [
      'calculator',
    ]);
    expect(simple.filter((event) => event.event === 'tool' && event.data.name === 'calculator')).toEqual([
      { event: 'tool', data: { name: 'calculator', status: 'started', sessionId: 'sess_1' } },
      { event: 'tool', data: { name: 'calculator', status: 'started', sessionId: 'sess_1' } },
      { event: 'tool', data: { name: 'calculator', status: 'started', sessionId: 'sess_1' } },
    ]);
  });

  it('ends with one error event (and no done) when the provider fails', async () => {
    const simple = await simpleFrom(byName('openai-error.1.chunks.txt'));
    expect(simple.map((event) => event.event)).toEqual(['session', 'error']);
    expect(simple[1]).toEqual({
      event: 'error',
      data: { message: expect.stringContaining('quota'), code: 'provider_error', retryable: false },
    });
  });

  it('turns a RelayKitError thrown by the source into an error event; other errors propagate', async () => {
    async function* failing(error: unknown): AsyncGenerator<ThreadStreamEvent> {
      yield { type: 'progress_update', text: 'working' };
      throw error;
    }
    const simple = await collect(
      chatKitToSimpleStream(failing(new RequestError('cancelled', 'stopped by the user')), {
        sessionId: 's',
      }),
    );
    expect(simple).toEqual([
      { event: 'error', data: { message: 'stopped by the user', code: 'cancelled', retryable: false } },
    ]);
    await expect(
      collect(chatKitToSimpleStream(failing(new Error('bug')), { sessionId: 's' })),
    ).rejects.toThrow('bug');
  });
});

describe('toSimpleUsage', () => {
  it('reads Responses usage and the Agents SDK neutral usage alike', () => {
    const expected = {
      inputTokens: 30,
      outputTokens: 12,
      totalTokens: 42,
      cachedInputTokens: 10,
      reasoningTokens: 5,
    };
    expect(
      toSimpleUsage({
        input_tokens: 30,
        input_tokens_details: { cached_tokens: 10 },
        output_tokens: 12,
        output_tokens_details: { reasoning_tokens: 5 },
        total_tokens: 42,
      }),
    ).toEqual(expected);
    expect(
      toSimpleUsage({
        inputTokens: 30,
        outputTokens: 12,
        totalTokens: 42,
        inputTokensDetails: { cached_tokens: 10 },
        outputTokensDetails: [{ reasoning_tokens: 5 }],
      }),
    ).toEqual(expected);
    expect(toSimpleUsage(null)).toBeNull();
  });
});
