import { describe, expect, it } from 'vitest';
import { ThreadStreamEvent } from './events';
import {
  Annotation,
  Attachment,
  isHiddenThreadItem,
  Page,
  Task,
  THREAD_ITEM_TYPES,
  Thread,
  ThreadItem,
  ThreadMetadata,
  ThreadStatus,
  Workflow,
} from './model';

const base = { id: 'it_1', thread_id: 'thr_1', created_at: '2026-11-23T11:37:30.190465' };

/** One valid example of every item type of docs/specs/chatkit-protocol.md §4.2. */
const examples: Record<ThreadItem['type'], Record<string, unknown>> = {
  user_message: {
    ...base,
    type: 'user_message',
    content: [
      { type: 'input_text', text: 'Hi' },
      { type: 'input_tag', id: 't', text: 'Ada', data: { k: 1 } },
    ],
    inference_options: {},
  },
  assistant_message: {
    ...base,
    type: 'assistant_message',
    content: [{ type: 'output_text', text: 'Hello' }],
  },
  client_tool_call: { ...base, type: 'client_tool_call', call_id: 'c1', name: 'get_weather', arguments: {} },
  widget: { ...base, type: 'widget', widget: { type: 'Card', children: [] } },
  generated_image: { ...base, type: 'generated_image' },
  structured_input: {
    ...base,
    type: 'structured_input',
    inputs: [
      { type: 'multiple_choice', id: 'q1', question: 'Size?', options: [{ value: 'S' }] },
      { type: 'freeform', id: 'q2', question: 'Why?' },
    ],
  },
  workflow: { ...base, type: 'workflow', workflow: { type: 'reasoning', tasks: [] } },
  task: { ...base, type: 'task', task: { type: 'custom', title: 'Looked it up' } },
  hidden_context_item: { ...base, type: 'hidden_context_item', content: { any: 'thing' } },
  sdk_hidden_context: { ...base, type: 'sdk_hidden_context', content: 'cancelled' },
  end_of_turn: { ...base, type: 'end_of_turn' },
};

describe('ThreadItem', () => {
  it.each(THREAD_ITEM_TYPES)('parses a %s item', (type) => {
    const item = ThreadItem.parse(examples[type]);
    expect(item.type).toBe(type);
    expect(item.id).toBe('it_1');
  });

  it('fills the non-null defaults of the spec', () => {
    const user = ThreadItem.parse(examples.user_message);
    expect(user).toMatchObject({ attachments: [], inference_options: {} });
    if (user.type !== 'user_message') throw new Error('unreachable');
    expect(user.content[1]).toMatchObject({ interactive: false });
    const assistant = ThreadItem.parse(examples.assistant_message);
    expect(assistant).toMatchObject({ content: [{ annotations: [], text: 'Hello', type: 'output_text' }] });
    expect(ThreadItem.parse(examples.client_tool_call)).toMatchObject({ status: 'pending' });
    expect(ThreadItem.parse(examples.structured_input)).toMatchObject({
      status: 'pending',
      inputs: [{ multiple: false }, { type: 'freeform' }],
    });
    expect(ThreadItem.parse(examples.workflow)).toMatchObject({ workflow: { expanded: false } });
    expect(ThreadItem.parse(examples.task)).toMatchObject({ task: { status_indicator: 'none' } });
  });

  it('rejects an unknown item type and a missing required field', () => {
    expect(ThreadItem.safeParse({ ...base, type: 'mystery' }).success).toBe(false);
    expect(ThreadItem.safeParse({ ...base, type: 'assistant_message' }).success).toBe(false);
    const { thread_id: _omit, ...noThread } = examples.end_of_turn;
    expect(ThreadItem.safeParse(noThread).success).toBe(false);
  });

  it('accepts timestamps with and without an offset, and Date objects', () => {
    for (const created_at of ['2026-01-01T00:00:05', '2026-01-01T00:00:05Z', '2026-01-01T00:00:05.5+02:00']) {
      expect(ThreadItem.parse({ ...examples.end_of_turn, created_at }).created_at).toBe(created_at);
    }
    const fromDate = ThreadItem.parse({
      ...examples.end_of_turn,
      created_at: new Date(Date.UTC(2026, 0, 1)),
    });
    expect(fromDate.created_at).toBe('2026-01-01T00:00:00.000Z');
    expect(ThreadItem.safeParse({ ...examples.end_of_turn, created_at: 'yesterday' }).success).toBe(false);
  });

  it('keeps the reference key order whatever order the input was built in', () => {
    const item = ThreadItem.parse({
      content: [{ type: 'output_text', text: 'x' }],
      type: 'assistant_message',
      created_at: base.created_at,
      thread_id: 'thr_1',
      id: 'm',
    });
    expect(Object.keys(item)).toEqual(['id', 'thread_id', 'created_at', 'type', 'content']);
    expect(Object.keys((item as { content: object[] }).content[0]!)).toEqual(['annotations', 'text', 'type']);
  });

  it('recognises hidden items', () => {
    expect(THREAD_ITEM_TYPES.filter((type) => isHiddenThreadItem({ type }))).toEqual([
      'hidden_context_item',
      'sdk_hidden_context',
    ]);
  });
});

describe('supporting types', () => {
  it('parses every annotation source and rejects an unknown one', () => {
    for (const source of [
      { type: 'url', title: 'X', url: 'https://x.test' },
      { type: 'file', title: 'a.pdf', filename: 'a.pdf' },
      { type: 'entity', title: 'Ada', id: 'ent_1' },
    ]) {
      expect(Annotation.parse({ type: 'annotation', source, index: 3 }).source.type).toBe(source.type);
    }
    expect(Annotation.safeParse({ type: 'annotation', source: { type: 'book', title: 'x' } }).success).toBe(
      false,
    );
  });

  it('parses attachments and requires preview_url on images', () => {
    const file = { id: 'atc_1', name: 'a.txt', mime_type: 'text/plain', type: 'file' };
    expect(Attachment.parse(file).type).toBe('file');
    expect(Attachment.safeParse({ ...file, type: 'image' }).success).toBe(false);
    expect(Attachment.parse({ ...file, type: 'image', preview_url: 'https://x.test/p.png' }).type).toBe(
      'image',
    );
  });

  it('parses every task kind with its defaults', () => {
    expect(Task.parse({ type: 'web_search' })).toEqual({
      status_indicator: 'none',
      type: 'web_search',
      queries: [],
      sources: [],
    });
    expect(Task.parse({ type: 'thought', content: 'hmm' }).type).toBe('thought');
    expect(Task.parse({ type: 'file' })).toMatchObject({ sources: [] });
    expect(Task.parse({ type: 'image', status_indicator: 'loading' }).status_indicator).toBe('loading');
    expect(Task.safeParse({ type: 'thought' }).success).toBe(false);
  });

  it('parses workflow summaries of both kinds', () => {
    expect(Workflow.parse({ type: 'custom', tasks: [], summary: { title: 'Done' } }).summary).toEqual({
      title: 'Done',
    });
    expect(Workflow.parse({ type: 'reasoning', tasks: [], summary: { duration: 4 } }).summary).toEqual({
      duration: 4,
    });
  });

  it('defaults a thread to active status, empty metadata and an empty items page', () => {
    const thread = Thread.parse({ id: 'thr_1', created_at: base.created_at });
    expect(thread).toEqual({
      id: 'thr_1',
      created_at: base.created_at,
      status: { type: 'active' },
      metadata: {},
      items: { data: [], has_more: false },
    });
    expect(
      ThreadMetadata.parse({ id: 'thr_1', created_at: base.created_at, metadata: { k: 1 } }).metadata,
    ).toEqual({
      k: 1,
    });
    expect(ThreadStatus.parse({ type: 'locked', reason: 'busy' })).toEqual({
      type: 'locked',
      reason: 'busy',
    });
  });

  it('builds page schemas for any item type', () => {
    const page = Page(ThreadMetadata).parse({ data: [{ id: 't', created_at: base.created_at }], after: 't' });
    expect(page).toMatchObject({ has_more: false, after: 't', data: [{ id: 't' }] });
    expect(Page(ThreadItem).safeParse({ data: [{ type: 'nope' }] }).success).toBe(false);
  });
});

describe('ThreadStreamEvent', () => {
  it('parses every event kind of docs/specs/chatkit-protocol.md §3', () => {
    const item = examples.assistant_message;
    const thread = { id: 'thr_1', created_at: base.created_at };
    const events = [
      { type: 'thread.created', thread },
      { type: 'thread.updated', thread },
      { type: 'thread.item.added', item },
      { type: 'thread.item.done', item },
      { type: 'thread.item.replaced', item },
      { type: 'thread.item.removed', item_id: 'm' },
      {
        type: 'thread.item.updated',
        item_id: 'm',
        update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'x' },
      },
      { type: 'stream_options', stream_options: { allow_cancel: true } },
      { type: 'progress_update', text: 'working', icon: 'search' },
      { type: 'client_effect', name: 'open' },
      { type: 'error' },
      { type: 'notice', level: 'info', message: 'hi' },
    ];
    expect(events.map((event) => ThreadStreamEvent.parse(event).type)).toEqual(
      events.map((event) => event.type),
    );
    expect(ThreadStreamEvent.parse({ type: 'error' })).toEqual({
      type: 'error',
      code: 'custom',
      allow_retry: false,
    });
  });

  it('parses every item update kind of docs/specs/chatkit-protocol.md §3.1', () => {
    const task = { type: 'thought', content: 'x' };
    const updates = [
      {
        type: 'assistant_message.content_part.added',
        content_index: 0,
        content: { type: 'output_text', text: '' },
      },
      { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'a' },
      {
        type: 'assistant_message.content_part.annotation_added',
        content_index: 0,
        annotation_index: 0,
        annotation: { type: 'annotation', source: { type: 'url', title: 'X', url: 'https://x.test' } },
      },
      {
        type: 'assistant_message.content_part.done',
        content_index: 0,
        content: { type: 'output_text', text: 'a' },
      },
      { type: 'widget.streaming_text.value_delta', component_id: 'c', delta: 'a', done: false },
      { type: 'widget.root.updated', widget: { type: 'Card' } },
      { type: 'widget.component.updated', component_id: 'c', component: { type: 'Text', value: 'a' } },
      { type: 'workflow.task.added', task_index: 0, task },
      { type: 'workflow.task.updated', task_index: 0, task },
      {
        type: 'generated_image.updated',
        image: { id: 'img', url: 'data:image/png;base64,AA' },
        progress: 0.5,
      },
    ];
    for (const update of updates) {
      const event = ThreadStreamEvent.parse({ type: 'thread.item.updated', item_id: 'm', update });
      expect(event.type === 'thread.item.updated' && event.update.type).toBe(update.type);
    }
    expect(
      ThreadStreamEvent.safeParse({
        type: 'thread.item.updated',
        item_id: 'm',
        update: { type: 'assistant_message.content_part.text_delta', content_index: -1, delta: 'a' },
      }).success,
    ).toBe(false);
  });
});
