// biome-ignore-all lint/suspicious/noExplicitAny: the expectations read the recorded chunks loosely, as JSON.
import { listOpenAIFixtures, replayFixture } from '@relaykit/testing';
import { describe, expect, it } from 'vitest';
import { ThreadStreamEvent } from '../chatkit/events';
import { createEventStreamDecoder } from '../sse/decode';
import { type CompletedChatCompletion, chatCompletionsToChatKit } from './chat-completions';
import { deterministicOptions } from './fixture-streams';

const PATH = { method: 'POST', path: '/v1/chat/completions' };

/** Every recorded Chat Completions stream (each streamed cassette interaction is one), as parsed chunks. */
async function recordedStreams(): Promise<{ name: string; chunks: Record<string, unknown>[] }[]> {
  const streams: { name: string; chunks: Record<string, unknown>[] }[] = [];
  for (const fixture of listOpenAIFixtures()) {
    if (!fixture.streamed || fixture.api !== 'chat.completions') continue;
    for (let interaction = 0; ; interaction += 1) {
      let body: Buffer;
      try {
        body = replayFixture(fixture.file, PATH, fixture.format === 'VCR-YAML' ? { interaction } : {}).body;
      } catch {
        break;
      }
      const chunks: Record<string, unknown>[] = [];
      for await (const message of new Blob([body.toString('utf8')])
        .stream()
        .pipeThrough(createEventStreamDecoder())) {
        if (!message.done) chunks.push(JSON.parse(message.data) as Record<string, unknown>);
      }
      streams.push({ name: `${fixture.file}#${interaction}`, chunks });
      if (fixture.format !== 'VCR-YAML') break;
    }
  }
  return streams;
}

const streams = await recordedStreams();

/** What choice 0 of a recorded stream says, read straight from the chunks. */
function expected(chunks: Record<string, any>[]) {
  let text = '';
  let refusal = '';
  let finishReason: string | null = null;
  let usage: unknown = null;
  const calls = new Map<number, { callId: string; name: string; arguments: string }>();
  for (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices ?? []) {
      if (choice.index !== 0) continue;
      if (typeof choice.delta?.content === 'string') text += choice.delta.content;
      if (typeof choice.delta?.refusal === 'string') {
        text += choice.delta.refusal;
        refusal += choice.delta.refusal;
      }
      for (const call of choice.delta?.tool_calls ?? []) {
        const entry = calls.get(call.index) ?? { callId: '', name: '', arguments: '' };
        if (call.id) entry.callId = call.id;
        entry.name += call.function?.name ?? '';
        entry.arguments += call.function?.arguments ?? '';
        calls.set(call.index, entry);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
  }
  return { text, refusal, finishReason, usage, toolCalls: [...calls.values()] };
}

async function translate(chunks: unknown[], clientToolNames: string[] = []) {
  const events: ThreadStreamEvent[] = [];
  let completion: CompletedChatCompletion | undefined;
  for await (const event of chatCompletionsToChatKit(chunks, {
    ...deterministicOptions(),
    clientToolNames,
    onCompletionDone: (done) => {
      completion = done;
    },
  }))
    events.push(event);
  return { events, completion: completion! };
}

const deltasOf = (events: ThreadStreamEvent[]) =>
  events
    .flatMap((event) =>
      event.type === 'thread.item.updated' &&
      event.update.type === 'assistant_message.content_part.text_delta'
        ? [event.update.delta]
        : [],
    )
    .join('');

describe('chatCompletionsToChatKit on every recorded Chat Completions stream', () => {
  it('finds the recorded streams (text, tool calls, parallel calls, refusal, length, logprobs, n>1, cassette)', () => {
    expect(streams.length).toBeGreaterThanOrEqual(10);
  });

  it.each(streams.map((stream) => [stream.name, stream.chunks] as const))(
    '%s: text, tool calls, usage and finish reason of choice 0',
    async (_name, chunks) => {
      const want = expected(chunks);
      const names = want.toolCalls.map((call) => call.name);
      const { events, completion } = await translate(chunks, names);
      for (const event of events) expect(ThreadStreamEvent.safeParse(event).success).toBe(true);
      expect(deltasOf(events)).toBe(want.text);
      const done = events.flatMap((event) => (event.type === 'thread.item.done' ? [event.item] : []));
      const messages = done.filter((item) => item.type === 'assistant_message');
      expect(messages.map((item) => item.content.map((part) => part.text).join(''))).toEqual(
        want.text === '' ? [] : [want.text],
      );
      const calls = done.filter((item) => item.type === 'client_tool_call');
      expect(calls.map((item) => [item.name, item.call_id, item.arguments])).toEqual(
        want.toolCalls.map((call) => [call.name, call.callId, JSON.parse(call.arguments)]),
      );
      expect(completion).toMatchObject({
        usage: want.usage,
        finishReason: want.finishReason,
        text: want.text,
        refusal: want.refusal,
        toolCalls: want.toolCalls,
      });
      expect(completion.id).toMatch(/^chatcmpl-/);
      expect(want.usage).not.toBeNull();
    },
  );

  it('gives each of parallel tool calls its own pending client_tool_call item, in index order', async () => {
    const parallel = streams.find((stream) => stream.name.startsWith('f82268f2'))!;
    const { events, completion } = await translate(parallel.chunks, ['GetWeatherArgs', 'get_stock_price']);
    const calls = events.flatMap((event) =>
      event.type === 'thread.item.done' && event.item.type === 'client_tool_call' ? [event.item] : [],
    );
    expect(calls.map((call) => call.name)).toEqual(['GetWeatherArgs', 'get_stock_price']);
    expect(new Set(calls.map((call) => call.id)).size).toBe(2);
    expect(calls.every((call) => call.status === 'pending')).toBe(true);
    expect(completion.finishReason).toBe('tool_calls');
  });

  it('shows no item for tool calls that are not client tools (the caller runs them)', async () => {
    const parallel = streams.find((stream) => stream.name.startsWith('f82268f2'))!;
    const { events, completion } = await translate(parallel.chunks);
    expect(events).toEqual([]);
    expect(completion.toolCalls.map((call) => call.name)).toEqual(['GetWeatherArgs', 'get_stock_price']);
  });

  it('streams a refusal as the answer text and reports it apart', async () => {
    const refused = streams.find((stream) => stream.name.startsWith('173417d5'))!;
    const { events, completion } = await translate(refused.chunks);
    expect(completion.refusal).not.toBe('');
    expect(deltasOf(events)).toBe(completion.refusal);
  });

  it('reports a length cut as finish reason `length`', async () => {
    const cut = streams.find((stream) => stream.name.startsWith('4cc50a61'))!;
    expect((await translate(cut.chunks)).completion.finishReason).toBe('length');
  });

  it('emits the message events in order and skips a [DONE] marker', async () => {
    const { events } = await translate([
      { id: 'chatcmpl-1', model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] },
      { id: 'chatcmpl-1', choices: [{ index: 0, delta: { content: 'Hel' } }] },
      { id: 'chatcmpl-1', choices: [{ index: 1, delta: { content: 'other choice' } }] },
      { id: 'chatcmpl-1', choices: [{ index: 0, delta: { content: 'lo' }, finish_reason: 'stop' }] },
      { id: 'chatcmpl-1', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
      '[DONE]',
    ]);
    expect(
      events.map((event) =>
        event.type === 'thread.item.updated' ? `${event.type}:${event.update.type}` : event.type,
      ),
    ).toEqual([
      'thread.item.added',
      'thread.item.updated:assistant_message.content_part.added',
      'thread.item.updated:assistant_message.content_part.text_delta',
      'thread.item.updated:assistant_message.content_part.text_delta',
      'thread.item.updated:assistant_message.content_part.done',
      'thread.item.done',
    ]);
    expect(events.at(-1)).toMatchObject({
      item: { id: 'message_1', thread_id: 'thr_agents', content: [{ text: 'Hello' }] },
    });
  });

  it('throws provider_error for a chunk that is not an object', async () => {
    await expect(translate([42])).rejects.toMatchObject({ code: 'provider_error' });
  });
});
