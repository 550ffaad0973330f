import { describe, expect, it } from 'vitest';
import { RequestError } from '../errors';
import { CHATKIT_REQUEST_TYPES, isStreamingChatKitRequest, parseChatKitRequest } from './requests';

const input = { content: [{ type: 'input_text', text: 'x' }], attachments: [], inference_options: {} };
const action = { type: 'pick', payload: { id: 1 } };

/** One valid body per request type of docs/specs/chatkit-protocol.md §2. */
const bodies: Record<string, Record<string, unknown>> = {
  'threads.create': { params: { input } },
  'threads.add_user_message': { params: { input, thread_id: 't' } },
  'threads.add_client_tool_output': { params: { thread_id: 't', result: { ok: true } } },
  'threads.add_structured_input': {
    params: { thread_id: 't', item_id: 'i', input: { answers: { q1: { values: ['S'] } } } },
  },
  'threads.retry_after_item': { params: { thread_id: 't', item_id: 'i' } },
  'threads.custom_action': { params: { thread_id: 't', action } },
  'threads.get_by_id': { params: { thread_id: 't' } },
  'threads.list': { params: {} },
  'items.list': { params: { thread_id: 't', limit: 0 } },
  'items.feedback': { params: { thread_id: 't', item_ids: ['a'], kind: 'positive' } },
  'attachments.create': { params: { name: 'a.png', size: 10, mime_type: 'image/png' } },
  'attachments.delete': { params: { attachment_id: 'atc_1' } },
  'threads.update': { params: { thread_id: 't', title: 'New' } },
  'threads.delete': { params: { thread_id: 't' } },
  'input.transcribe': { params: { audio_base64: 'AAAA', mime_type: 'audio/webm;codecs=opus' } },
  'threads.sync_custom_action': { params: { thread_id: 't', item_id: null, action } },
};

function errorOf(run: () => unknown): RequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof RequestError) return error;
    throw error;
  }
  throw new Error('expected a RequestError');
}

describe('parseChatKitRequest', () => {
  it('knows every request type of the spec, including the 1.6.x additions', () => {
    expect([...CHATKIT_REQUEST_TYPES].sort()).toEqual(Object.keys(bodies).sort());
  });

  it.each(Object.keys(bodies))('parses a valid %s request', (type) => {
    const request = parseChatKitRequest({ type, ...bodies[type] });
    expect(request.type).toBe(type);
    expect(request.metadata).toEqual({});
  });

  it('classifies streaming and JSON requests as the spec does', () => {
    const streaming = Object.keys(bodies).filter((type) =>
      isStreamingChatKitRequest(parseChatKitRequest({ type, ...bodies[type] })),
    );
    expect(streaming.sort()).toEqual([
      'threads.add_client_tool_output',
      'threads.add_structured_input',
      'threads.add_user_message',
      'threads.create',
      'threads.custom_action',
      'threads.retry_after_item',
    ]);
  });

  it('parses the request the reference client library produces (a JSON string)', () => {
    const body =
      '{"metadata":{},"type":"threads.add_user_message","params":{"input":{"content":[{"type":"input_text","text":"x"}],"attachments":[],"quoted_text":null,"inference_options":{"tool_choice":null,"model":null}},"thread_id":"thr_4f2257d7"}}';
    const request = parseChatKitRequest(body);
    expect(request).toEqual({
      metadata: {},
      type: 'threads.add_user_message',
      params: {
        input: {
          content: [{ type: 'input_text', text: 'x' }],
          attachments: [],
          quoted_text: null,
          inference_options: { tool_choice: null, model: null },
        },
        thread_id: 'thr_4f2257d7',
      },
    });
    expect(parseChatKitRequest(new TextEncoder().encode(body)).type).toBe('threads.add_user_message');
  });

  it('fills defaults: list order desc, structured input answered', () => {
    const list = parseChatKitRequest({ type: 'threads.list', params: { limit: 5 } });
    expect(list.type === 'threads.list' && list.params).toEqual({ limit: 5, order: 'desc' });
    const structured = parseChatKitRequest({
      type: 'threads.add_structured_input',
      ...bodies['threads.add_structured_input'],
    });
    expect(structured.type === 'threads.add_structured_input' && structured.params.input.status).toBe(
      'answered',
    );
  });

  it('rejects an unknown request type with invalid_request', () => {
    const error = errorOf(() => parseChatKitRequest({ type: 'threads.explode', params: {} }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('threads.explode');
    expect(error.details).toMatchObject({ issues: [{ path: 'type', code: 'invalid_union' }] });
  });

  it('rejects a missing inference_options (the reference fails validation too) and lists the issue', () => {
    const { inference_options: _omit, ...noOptions } = input;
    const error = errorOf(() =>
      parseChatKitRequest({ type: 'threads.create', params: { input: noOptions } }),
    );
    expect(error.code).toBe('invalid_request');
    expect(error.details).toMatchObject({
      issues: [{ path: 'params.input.inference_options', code: 'invalid_type' }],
    });
  });

  it('rejects missing fields, wrong types, bad JSON and non-objects, each with invalid_request', () => {
    const bad: unknown[] = [
      { type: 'threads.get_by_id', params: {} },
      { type: 'threads.get_by_id' },
      { type: 'items.feedback', params: { thread_id: 't', item_ids: ['a'], kind: 'meh' } },
      { type: 'attachments.create', params: { name: 'a', size: -1, mime_type: 'x' } },
      { type: 'threads.create', params: { input: { ...input, content: [{ type: 'input_video' }] } } },
      '{"type":',
      null,
      [],
      42,
      { params: {} },
    ];
    for (const body of bad) {
      const error = errorOf(() => parseChatKitRequest(body));
      expect(error.code).toBe('invalid_request');
      expect(Array.isArray((error.details as { issues: unknown[] }).issues)).toBe(true);
    }
  });
});
