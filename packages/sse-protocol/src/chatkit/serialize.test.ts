import { describe, expect, it } from 'vitest';
import { isRelayKitError } from '../errors';
import { ThreadStreamEvent, type ThreadStreamEventInput } from './events';
import { createChatKitEventDecoder, parseChatKitEvent } from './parse';
import {
  createChatKitEventEncoder,
  encodeChatKitEvent,
  serializeChatKitEvent,
  toWireItemPage,
  toWireThread,
  toWireThreadPage,
} from './serialize';

/** The exact bytes of docs/specs/chatkit-protocol.md §3.2 (reference v1.6.5, `threads.create`). */
const REFERENCE_WIRE =
  'data: {"type":"thread.created","thread":{"id":"thr_4f2257d7","created_at":"2026-11-23T11:37:30.190465","status":{"type":"active"},"metadata":{},"items":{"data":[],"has_more":false}}}\n\n' +
  'data: {"type":"thread.item.done","item":{"id":"msg_00b67d0e","thread_id":"thr_4f2257d7","created_at":"2026-11-23T11:37:30.197773","type":"user_message","content":[{"type":"input_text","text":"Hello"}],"attachments":[],"inference_options":{}}}\n\n' +
  'data: {"type":"stream_options","stream_options":{"allow_cancel":true}}\n\n' +
  'data: {"type":"thread.item.done","item":{"id":"msg_a","thread_id":"thr_4f2257d7","created_at":"2026-01-01T00:00:05","type":"assistant_message","content":[{"annotations":[],"text":"Hi","type":"output_text"}]}}\n\n';

async function collect(stream: ReadableStream<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return new TextDecoder().decode(Buffer.concat(chunks));
}

describe('ChatKit wire serialization', () => {
  it('reproduces the reference wire example byte for byte, from objects built in any key order', async () => {
    const events = [
      // Keys deliberately out of order, nulls and server-only metadata included: the serializer normalizes them.
      {
        thread: {
          items: { has_more: false, data: [], after: null },
          metadata: { last_response_id: 'resp_secret' },
          title: null,
          created_at: '2026-11-23T11:37:30.190465',
          id: 'thr_4f2257d7',
        },
        type: 'thread.created',
      },
      {
        type: 'thread.item.done',
        item: {
          inference_options: { tool_choice: null, model: null },
          quoted_text: null,
          content: [{ text: 'Hello', type: 'input_text' }],
          type: 'user_message',
          created_at: '2026-11-23T11:37:30.197773',
          thread_id: 'thr_4f2257d7',
          id: 'msg_00b67d0e',
        },
      },
      { type: 'stream_options', stream_options: { allow_cancel: true } },
      {
        type: 'thread.item.done',
        item: {
          id: 'msg_a',
          thread_id: 'thr_4f2257d7',
          created_at: '2026-01-01T00:00:05',
          type: 'assistant_message',
          content: [{ type: 'output_text', text: 'Hi' }],
        },
      },
    ] as unknown as ThreadStreamEvent[];
    expect(events.map(encodeChatKitEvent).join('')).toBe(REFERENCE_WIRE);

    const stream = new ReadableStream<ThreadStreamEvent>({
      start(controller) {
        for (const event of events) controller.enqueue(event);
        controller.close();
      },
    });
    expect(await collect(stream.pipeThrough(createChatKitEventEncoder()))).toBe(REFERENCE_WIRE);
  });

  it('reproduces the other captured frames of docs/specs/chatkit-protocol.md §3.2', () => {
    const cases: [unknown, string][] = [
      [
        { type: 'error', code: 'stream.error', allow_retry: true },
        '{"type":"error","code":"stream.error","allow_retry":true}',
      ],
      [
        { type: 'error', message: 'Nope', allow_retry: true },
        '{"type":"error","code":"custom","message":"Nope","allow_retry":true}',
      ],
      [
        { type: 'progress_update', text: 'working', icon: 'search' },
        '{"type":"progress_update","icon":"search","text":"working"}',
      ],
      [
        { type: 'notice', level: 'info', message: 'hi **there**', title: null },
        '{"type":"notice","level":"info","message":"hi **there**"}',
      ],
      [
        { type: 'client_effect', name: 'open', data: { x: 1 } },
        '{"type":"client_effect","name":"open","data":{"x":1}}',
      ],
      [
        {
          type: 'thread.item.updated',
          item_id: 'm1',
          update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'Hel' },
        },
        '{"type":"thread.item.updated","item_id":"m1","update":{"type":"assistant_message.content_part.text_delta","content_index":0,"delta":"Hel"}}',
      ],
      [
        {
          type: 'thread.item.updated',
          item_id: 'm1',
          update: {
            type: 'assistant_message.content_part.annotation_added',
            content_index: 0,
            annotation_index: 0,
            annotation: {
              type: 'annotation',
              source: { type: 'url', url: 'https://x.test', title: 'X' },
              index: 3,
            },
          },
        },
        '{"type":"thread.item.updated","item_id":"m1","update":{"type":"assistant_message.content_part.annotation_added","content_index":0,"annotation_index":0,"annotation":{"type":"annotation","source":{"title":"X","type":"url","url":"https://x.test"},"index":3}}}',
      ],
    ];
    for (const [event, json] of cases) {
      expect(serializeChatKitEvent(event as ThreadStreamEvent)).toBe(json);
    }
  });

  it('gives the text-delta fast path the same bytes as the schema path', () => {
    const tricky = 'line\nbreak "quoted" \\ \u2028 emoji 😀 \u0000';
    const fast = serializeChatKitEvent({
      type: 'thread.item.updated',
      item_id: 'm"1',
      update: { type: 'assistant_message.content_part.text_delta', content_index: 2, delta: tricky },
    });
    expect(fast).toBe(
      JSON.stringify({
        type: 'thread.item.updated',
        item_id: 'm"1',
        update: { type: 'assistant_message.content_part.text_delta', content_index: 2, delta: tricky },
      }),
    );
    expect(parseChatKitEvent(fast!)).toMatchObject({ update: { delta: tricky } });
  });

  it('serializes interleaved text deltas of several items and content parts each with its own id and index', () => {
    const deltas = [
      ['a', 0, 'x'],
      ['a', 0, 'y'],
      ['b', 0, 'z'],
      ['a', 1, 'w'],
      ['a', 0, 'v'],
      ['b', 0, 'u'],
    ] as const;
    for (const [item_id, content_index, delta] of deltas) {
      const event = {
        type: 'thread.item.updated' as const,
        item_id,
        update: { type: 'assistant_message.content_part.text_delta' as const, content_index, delta },
      };
      expect(serializeChatKitEvent(event)).toBe(JSON.stringify(event));
    }
  });

  it('never emits hidden items', async () => {
    const hidden = {
      id: 'h',
      thread_id: 't',
      created_at: '2026-01-01T00:00:00',
      type: 'sdk_hidden_context',
      content: 'The user cancelled the stream.',
    } as const;
    for (const type of ['thread.item.added', 'thread.item.done', 'thread.item.replaced'] as const) {
      expect(serializeChatKitEvent({ type, item: hidden } as ThreadStreamEventInput)).toBeUndefined();
      expect(encodeChatKitEvent({ type, item: hidden } as ThreadStreamEventInput)).toBe('');
    }
    const stream = new ReadableStream<ThreadStreamEvent>({
      start(controller) {
        controller.enqueue({ type: 'thread.item.done', item: hidden });
        controller.enqueue({ type: 'thread.item.removed', item_id: 'x' });
        controller.close();
      },
    });
    expect(await collect(stream.pipeThrough(createChatKitEventEncoder()))).toBe(
      'data: {"type":"thread.item.removed","item_id":"x"}\n\n',
    );
  });

  it('drops nulls through the model but keeps opaque JSON verbatim, and never sends attachment metadata', () => {
    const json = serializeChatKitEvent({
      type: 'thread.item.done',
      item: {
        id: 'tc',
        thread_id: 't',
        created_at: '2026-01-01T00:00:00Z',
        type: 'client_tool_call',
        status: 'completed',
        call_id: 'c',
        name: 'f',
        arguments: { city: null, nested: { keep: null } },
        output: { value: null },
      },
    });
    expect(json).toBe(
      '{"type":"thread.item.done","item":{"id":"tc","thread_id":"t","created_at":"2026-01-01T00:00:00Z","type":"client_tool_call","status":"completed","call_id":"c","name":"f","arguments":{"city":null,"nested":{"keep":null}},"output":{"value":null}}}',
    );
    const widget = serializeChatKitEvent({
      type: 'thread.item.added',
      item: {
        id: 'w',
        thread_id: 't',
        created_at: '2026-01-01T00:00:00Z',
        type: 'widget',
        widget: { type: 'Card', size: null, children: [{ type: 'Text', value: 'a', color: null }] },
      },
    });
    expect(widget).toContain('"widget":{"type":"Card","children":[{"type":"Text","value":"a"}]}');
    const user = serializeChatKitEvent({
      type: 'thread.item.done',
      item: {
        id: 'u',
        thread_id: 't',
        created_at: '2026-01-01T00:00:00Z',
        type: 'user_message',
        content: [{ type: 'input_tag', id: 'tag', text: 'Ada', data: { role: null } }],
        attachments: [
          {
            id: 'atc',
            name: 'a.png',
            mime_type: 'image/png',
            type: 'image',
            preview_url: 'https://p',
            metadata: { s: 3 },
          },
        ],
        inference_options: { model: 'gpt-5' },
      },
    });
    expect(user).toContain(
      '"attachments":[{"id":"atc","name":"a.png","mime_type":"image/png","type":"image","preview_url":"https://p"}]',
    );
    expect(user).toContain('"data":{"role":null},"interactive":false');
    expect(user).toContain('"inference_options":{"model":"gpt-5"}');
  });

  it('passes unknown event types through with their null fields omitted', () => {
    expect(
      serializeChatKitEvent({
        type: 'future.event',
        unknown: true,
        raw: { type: 'future.event', a: null, b: 1 },
      }),
    ).toBe('{"type":"future.event","b":1}');
  });

  it('rejects an invalid event with invalid_request and writes nothing', async () => {
    const bad = {
      type: 'thread.item.done',
      item: { id: 'x', type: 'assistant_message' },
    } as unknown as ThreadStreamEvent;
    let caught: unknown;
    try {
      encodeChatKitEvent(bad);
    } catch (error) {
      caught = error;
    }
    expect(isRelayKitError(caught) && caught.code).toBe('invalid_request');
    expect(
      (caught as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path),
    ).toContain('item.thread_id');

    const good: ThreadStreamEvent = { type: 'thread.item.removed', item_id: 'ok' };
    const stream = new ReadableStream<ThreadStreamEvent>({
      start(controller) {
        controller.enqueue(good);
        controller.enqueue(bad);
        controller.close();
      },
    });
    const reader = stream.pipeThrough(createChatKitEventEncoder()).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe(
      'data: {"type":"thread.item.removed","item_id":"ok"}\n\n',
    );
    await expect(reader.read()).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('builds the client view of threads and pages for JSON answers', () => {
    const item = (id: string, type: 'end_of_turn' | 'hidden_context_item') => ({
      id,
      thread_id: 't',
      created_at: '2026-01-01T00:00:00',
      type,
      ...(type === 'hidden_context_item' ? { content: 'secret' } : {}),
    });
    const thread = toWireThread({
      id: 't',
      title: 'Trip',
      created_at: '2026-01-01T00:00:00',
      status: { type: 'active' },
      metadata: { previous_response_id: 'resp_1' },
      items: {
        data: [item('a', 'end_of_turn'), item('h', 'hidden_context_item')],
        has_more: true,
        after: 'h',
      },
    } as never);
    expect(JSON.stringify(thread)).toBe(
      '{"title":"Trip","id":"t","created_at":"2026-01-01T00:00:00","status":{"type":"active"},"metadata":{},"items":{"data":[{"id":"a","thread_id":"t","created_at":"2026-01-01T00:00:00","type":"end_of_turn"}],"has_more":true,"after":"h"}}',
    );
    const page = toWireItemPage({
      data: [item('h', 'hidden_context_item')] as never,
      has_more: false,
      after: null,
    });
    expect(page).toEqual({ data: [], has_more: false });
    const threads = toWireThreadPage({
      data: [{ id: 't', created_at: '2026-01-01T00:00:00', status: { type: 'active' }, metadata: { k: 1 } }],
      has_more: false,
    });
    expect(threads).toEqual({
      data: [
        {
          id: 't',
          created_at: '2026-01-01T00:00:00',
          status: { type: 'active' },
          metadata: {},
          items: { data: [], has_more: false },
        },
      ],
      has_more: false,
    });
  });
});

describe('parseChatKitEvent (loose)', () => {
  it('types known events, fills defaults, and passes unknown types through', () => {
    expect(parseChatKitEvent('{"type":"error"}')).toEqual({
      type: 'error',
      code: 'custom',
      allow_retry: false,
    });
    const unknown = parseChatKitEvent({ type: 'thread.item.teleported', item_id: 'x' });
    expect(unknown).toEqual({
      type: 'thread.item.teleported',
      unknown: true,
      raw: { type: 'thread.item.teleported', item_id: 'x' },
    });
  });

  it('gives the text-delta fast path the same result as the schema (unknown keys dropped)', () => {
    const event = {
      type: 'thread.item.updated',
      item_id: 'm',
      extra: true,
      update: { type: 'assistant_message.content_part.text_delta', content_index: 1, delta: 'x', more: 1 },
    };
    expect(parseChatKitEvent(JSON.stringify(event))).toEqual(ThreadStreamEvent.parse(event));
    expect(() => parseChatKitEvent({ ...event, update: { ...event.update, content_index: -1 } })).toThrow(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });

  it('gives typed invalid_request errors for bad input', () => {
    for (const bad of [
      '{not json',
      '[1]',
      '{"no":"type"}',
      '{"type":"notice","level":"loud","message":"x"}',
      42,
    ]) {
      expect(() => parseChatKitEvent(bad)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    }
  });
});

describe('createChatKitEventDecoder', () => {
  it('decodes the reference wire back into typed events', async () => {
    const events: ThreadStreamEvent[] = [];
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(REFERENCE_WIRE));
        controller.close();
      },
    });
    for await (const event of source.pipeThrough(createChatKitEventDecoder()))
      events.push(event as ThreadStreamEvent);
    expect(events.map((event) => event.type)).toEqual([
      'thread.created',
      'thread.item.done',
      'stream_options',
      'thread.item.done',
    ]);
    expect(events.map(encodeChatKitEvent).join('')).toBe(REFERENCE_WIRE);
  });

  it('stops with invalid_request at a frame that is not JSON, after the events before it', async () => {
    const source = new ReadableStream<string>({
      start(controller) {
        controller.enqueue('data: {"type":"thread.item.removed","item_id":"a"}\n\ndata: {oops\n\n');
        controller.enqueue('data: {"type":"thread.item.removed","item_id":"b"}\n\n');
        controller.close();
      },
    });
    const seen: unknown[] = [];
    let failure: unknown;
    try {
      for await (const event of source.pipeThrough(createChatKitEventDecoder())) seen.push(event);
    } catch (error) {
      failure = error;
    }
    expect(seen).toEqual([{ type: 'thread.item.removed', item_id: 'a' }]);
    expect(failure).toMatchObject({
      code: 'invalid_request',
      details: { issues: [{ code: 'invalid_json' }] },
    });
  });
});
