import { describe, expect, it } from 'vitest';
import { RequestError } from '../errors';
import { SIMPLE_CHAT_EVENT_NAMES, SimpleChatEvent, simpleErrorData } from './events';
import {
  createSimpleChatDecoder,
  createSimpleChatEncoder,
  encodeSimpleChatEvent,
  parseSimpleChatEvent,
} from './stream';

const sessionId = 'ses_1';
const conversation: SimpleChatEvent[] = [
  { event: 'session', data: { sessionId, threadId: 'thr_1', userId: 'usr_1', agent: 'orchestrator' } },
  { event: 'tool', data: { name: 'search_docs', status: 'started', sessionId } },
  { event: 'tool', data: { name: 'search_docs', status: 'completed', sessionId } },
  { event: 'chunk', data: { text: 'Hel', sessionId } },
  { event: 'chunk', data: { text: 'lo\nthere', sessionId } },
  { event: 'text_done', data: { text: 'Hello\nthere', sessionId } },
  {
    event: 'response_done',
    data: {
      sessionId,
      response: {
        id: 'resp_1',
        model: 'gpt-5-mini',
        usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13 },
      },
    },
  },
  { event: 'done', data: { sessionId } },
];

async function pipe<I, O>(values: I[], transform: TransformStream<I, O>) {
  const out: O[] = [];
  let error: unknown;
  const source = new ReadableStream<I>({
    start(controller) {
      for (const value of values) controller.enqueue(value);
      controller.close();
    },
  });
  try {
    for await (const value of source.pipeThrough(transform)) out.push(value);
  } catch (caught) {
    error = caught;
  }
  return { out, error };
}

describe('simple chat stream', () => {
  it('writes named frames with an id on every frame and compact JSON in the documented key order', async () => {
    const { out } = await pipe(conversation, createSimpleChatEncoder({ retryMs: 3000 }));
    const wire = out.map((chunk) => new TextDecoder().decode(chunk)).join('');
    expect(wire.split('\n\n').slice(0, 2)).toEqual([
      'event: session\nid: 1\nretry: 3000\ndata: {"sessionId":"ses_1","threadId":"thr_1","userId":"usr_1","agent":"orchestrator"}',
      'event: tool\nid: 2\ndata: {"name":"search_docs","status":"started","sessionId":"ses_1"}',
    ]);
    expect(wire).toContain('event: chunk\nid: 5\ndata: {"text":"lo\\nthere","sessionId":"ses_1"}\n\n');
    expect(wire).toContain(
      'event: response_done\nid: 7\ndata: {"sessionId":"ses_1","response":{"id":"resp_1","usage":{"inputTokens":10,"outputTokens":3,"totalTokens":13},"model":"gpt-5-mini"}}\n\n',
    );
    expect(wire.endsWith('event: done\nid: 8\ndata: {"sessionId":"ses_1"}\n\n')).toBe(true);
    const frames = wire.split('\n\n').filter(Boolean);
    expect(frames).toHaveLength(conversation.length);
    expect(frames.every((frame) => /^event: \w+\nid: \d+\n/.test(frame))).toBe(true);
  });

  it('uses an event’s own id (a resumable-stream sequence number) when it has one', () => {
    expect(encodeSimpleChatEvent({ event: 'done', data: { sessionId }, id: 'ignored' }, { id: '42' })).toBe(
      'event: done\nid: 42\ndata: {"sessionId":"ses_1"}\n\n',
    );
  });

  it('writes a chunk byte for byte as the schema path does (keys in schema order, extra keys dropped)', () => {
    const chunks = [
      { text: 'plain', sessionId },
      { sessionId, text: 'keys in another order' },
      { text: 'line\nbreak "quoted" \u2028 é 😀', sessionId, extra: 'dropped' },
      { text: '', sessionId },
    ];
    for (const data of chunks) {
      const event = { event: 'chunk', data } as SimpleChatEvent;
      const bySchema = `event: chunk\nid: 3\nretry: 500\ndata: ${JSON.stringify(SimpleChatEvent.parse(event).data)}\n\n`;
      expect(encodeSimpleChatEvent(event, { id: '3', retry: 500 })).toBe(bySchema);
    }
    // Not exactly a chunk: the schema decides (and rejects).
    expect(() =>
      encodeSimpleChatEvent({ event: 'chunk', data: { text: 1, sessionId } } as never, { id: '1' }),
    ).toThrow();
  });

  it('decodes what it encodes, and passes unknown event names through', async () => {
    const { out } = await pipe(conversation, createSimpleChatEncoder({ firstId: 100 }));
    const decoded = await pipe(
      [...out, new TextEncoder().encode('event: typing\nid: 999\ndata: {"on":true}\n\n')],
      createSimpleChatDecoder(),
    );
    expect(decoded.error).toBeUndefined();
    expect(decoded.out.slice(0, -1)).toEqual(
      conversation.map((event, index) => ({ ...event, id: String(100 + index) })),
    );
    expect(decoded.out.at(-1)).toEqual({ event: 'typing', unknown: true, data: { on: true }, id: '999' });
  });

  it('rejects invalid events with invalid_request and stops the decoder at a bad frame', async () => {
    const bad = {
      event: 'tool',
      data: { name: 'x', status: 'exploded', sessionId },
    } as unknown as SimpleChatEvent;
    expect(() => encodeSimpleChatEvent(bad, { id: '1' })).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    const encoded = await pipe([conversation[0]!, bad], createSimpleChatEncoder());
    expect(encoded.out).toHaveLength(1);
    expect(encoded.error).toMatchObject({ code: 'invalid_request' });

    const decoded = await pipe(
      [
        'event: done\nid: 1\ndata: {"sessionId":"s"}\n\n',
        'event: chunk\nid: 2\ndata: {"text":\n\n',
        'event: done\nid: 3\ndata: {"sessionId":"s"}\n\n',
      ],
      createSimpleChatDecoder(),
    );
    expect(decoded.out).toEqual([{ event: 'done', data: { sessionId: 's' }, id: '1' }]);
    expect(decoded.error).toMatchObject({ code: 'invalid_request', details: { type: 'invalid-json' } });
    expect(() => parseSimpleChatEvent({ data: '{}' })).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    expect(() => parseSimpleChatEvent({ event: 'chunk', data: '{"text":1}' })).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });

  it('turns errors into error-event data without leaking internals', () => {
    expect(simpleErrorData(new RequestError('rate_limited', 'Slow down.', { retryable: true }))).toEqual({
      message: 'Slow down.',
      code: 'rate_limited',
      retryable: true,
    });
    expect(simpleErrorData(new Error('db password is hunter2'))).toEqual({
      message: 'Internal error.',
      code: 'internal',
      retryable: false,
    });
    expect(SIMPLE_CHAT_EVENT_NAMES).toEqual([
      'session',
      'chunk',
      'tool',
      'text_done',
      'response_done',
      'approval_required',
      'done',
      'error',
    ]);
  });
});
