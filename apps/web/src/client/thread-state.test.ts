import { describe, expect, it } from 'vitest';
import type { StreamEvent } from './chatkit-types';
import { readSseData } from './sse';
import { applyStreamEvent, EMPTY_VIEW, itemText, titleFromMessage } from './thread-state';

const base = { thread_id: 'thr_1', created_at: '2026-11-23T10:00:00.000Z' };

describe('applyStreamEvent', () => {
  it('builds an assistant message from added, text deltas and done', () => {
    const events: StreamEvent[] = [
      {
        type: 'thread.item.done',
        item: { ...base, id: 'u1', type: 'user_message', content: [{ type: 'input_text', text: 'Hi' }] },
      },
      { type: 'thread.item.added', item: { ...base, id: 'a1', type: 'assistant_message', content: [] } },
      {
        type: 'thread.item.updated',
        item_id: 'a1',
        update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'Hel' },
      },
      {
        type: 'thread.item.updated',
        item_id: 'a1',
        update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'lo **you**' },
      },
    ];
    const view = events.reduce(applyStreamEvent, EMPTY_VIEW);
    expect(view.items.map((item) => item.id)).toEqual(['u1', 'a1']);
    expect(itemText(view.items[1]!)).toBe('Hello **you**');
    const done = applyStreamEvent(view, {
      type: 'thread.item.done',
      item: {
        ...base,
        id: 'a1',
        type: 'assistant_message',
        content: [{ type: 'output_text', text: 'Hello **you**!' }],
      },
    });
    expect(done.items).toHaveLength(2);
    expect(itemText(done.items[1]!)).toBe('Hello **you**!');
  });

  it('adds and updates workflow tasks, and removes items', () => {
    let view = applyStreamEvent(EMPTY_VIEW, {
      type: 'thread.item.added',
      item: { ...base, id: 'wf1', type: 'workflow', workflow: { type: 'custom', tasks: [] } },
    });
    view = applyStreamEvent(view, {
      type: 'thread.item.updated',
      item_id: 'wf1',
      update: {
        type: 'workflow.task.added',
        task_index: 0,
        task: { type: 'custom', title: 'Calling addGuest', status_indicator: 'loading' },
      },
    });
    view = applyStreamEvent(view, {
      type: 'thread.item.updated',
      item_id: 'wf1',
      update: {
        type: 'workflow.task.updated',
        task_index: 0,
        task: { type: 'custom', title: 'Called addGuest', status_indicator: 'complete' },
      },
    });
    expect(view.items[0]).toMatchObject({
      workflow: { tasks: [{ title: 'Called addGuest', status_indicator: 'complete' }] },
    });
    expect(applyStreamEvent(view, { type: 'thread.item.removed', item_id: 'wf1' }).items).toEqual([]);
  });

  it('keeps progress and error messages, and never shows hidden items', () => {
    let view = applyStreamEvent(EMPTY_VIEW, { type: 'progress_update', text: 'Searching…' });
    expect(view.progress).toBe('Searching…');
    view = applyStreamEvent(view, {
      type: 'error',
      code: 'custom',
      message: 'Rate limited',
      allow_retry: true,
    });
    expect(view).toMatchObject({ progress: null, error: 'Rate limited' });
    view = applyStreamEvent(view, {
      type: 'thread.item.done',
      item: { ...base, id: 'h1', type: 'sdk_hidden_context', content: 'x' },
    });
    expect(view.items).toEqual([]);
    expect(applyStreamEvent(view, { type: 'stream_options', stream_options: { allow_cancel: true } })).toBe(
      view,
    );
  });
});

describe('titleFromMessage', () => {
  it('keeps short messages and cuts long ones at a word', () => {
    expect(titleFromMessage('  Add a guest:   Ana ')).toBe('Add a guest: Ana');
    const title = titleFromMessage(
      'Please design an onboarding workflow for new engineers joining the platform team',
    );
    expect(title.length).toBeLessThanOrEqual(49);
    expect(title).toMatch(/^Please design an onboarding workflow for new…$/);
    expect(titleFromMessage('   ')).toBe('New thread');
  });
});

describe('readSseData', () => {
  it('reads data frames split across chunks, with CRLF, comments and event names; drops an unterminated tail', async () => {
    const text = ': comment\r\ndata: {"a":1}\r\n\r\nevent: progress\ndata: {"b":\ndata: 2}\n\ndata: tail';
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < bytes.length; index += 7)
          controller.enqueue(bytes.slice(index, index + 7));
        controller.close();
      },
    });
    const frames = [];
    for await (const frame of readSseData(body)) frames.push(frame);
    expect(frames).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'progress', data: '{"b":\n2}' },
    ]);
  });
});
