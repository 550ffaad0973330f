import { describe, expect, it } from 'vitest';
import { ThreadStreamEvent } from '../chatkit/events';
import type { WidgetRoot } from '../chatkit/model';
import { Card, Markdown, Text, Title } from './components';
import { accumulateText, streamWidget } from './stream';

const thread = { id: 'thr_1' };
const options = { generateId: (kind: 'message') => `${kind}_1`, now: () => new Date('2026-12-07T10:00:00Z') };

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of source) out.push(value);
  return out;
}

async function* states(...values: WidgetRoot[]): AsyncGenerator<WidgetRoot> {
  for (const value of values) yield value;
}

describe('streamWidget', () => {
  it('a static widget is one thread.item.done with a new widget item (id from generateId("message"))', async () => {
    const widget = Card({ children: [Title({ value: 'Contract' })] });
    const events = await collect(streamWidget(thread, widget, { ...options, copyText: 'Contract' }));
    expect(events).toEqual([
      {
        type: 'thread.item.done',
        item: {
          id: 'message_1',
          thread_id: 'thr_1',
          created_at: '2026-12-07T10:00:00.000Z',
          type: 'widget',
          widget,
          copy_text: 'Contract',
        },
      },
    ]);
    for (const event of events) expect(ThreadStreamEvent.safeParse(event).success).toBe(true);
  });

  it('a stream: added with the first state, one update per diff, done with the last state', async () => {
    const card = (value: string, streaming = true) =>
      Card({ children: [Title({ value: 'Terms' }), Text({ id: 'terms', value, streaming })] });
    const events = await collect(
      streamWidget(
        thread,
        states(card(''), card('Deposit'), card('Deposit 30%'), card('Deposit 30%', false)),
        options,
      ),
    );
    expect(events.map((event) => event.type)).toEqual([
      'thread.item.added',
      'thread.item.updated',
      'thread.item.updated',
      'thread.item.updated',
      'thread.item.done',
    ]);
    expect(events[0]).toMatchObject({ item: { id: 'message_1', type: 'widget', widget: card('') } });
    expect(events.slice(1, 4).map((event) => (event as { update: unknown }).update)).toEqual([
      { type: 'widget.streaming_text.value_delta', component_id: 'terms', delta: 'Deposit', done: false },
      { type: 'widget.streaming_text.value_delta', component_id: 'terms', delta: ' 30%', done: false },
      { type: 'widget.root.updated', widget: card('Deposit 30%', false) },
    ]);
    expect(events.slice(1, 4).every((event) => (event as { item_id?: string }).item_id === 'message_1')).toBe(
      true,
    );
    expect(events[4]).toMatchObject({ item: { id: 'message_1', widget: card('Deposit 30%', false) } });
    for (const event of events) expect(ThreadStreamEvent.safeParse(event).success).toBe(true);
  });

  it('copies each state, so a producer may mutate and re-yield one object', async () => {
    async function* mutating() {
      const text = Text({ id: 't', value: 'a' });
      const widget = Card({ children: [text] });
      yield widget;
      text.value = 'ab';
      yield widget;
    }
    const events = await collect(streamWidget(thread, mutating(), options));
    expect(events[1]).toMatchObject({ update: { type: 'widget.streaming_text.value_delta', delta: 'b' } });
    expect(events[0]).toMatchObject({ item: { widget: { children: [{ value: 'a' }] } } });
  });

  it('a copyText function gets the final state (done only)', async () => {
    const events = await collect(
      streamWidget(
        thread,
        states(
          Card({ children: [Text({ id: 't', value: 'a' })] }),
          Card({ children: [Text({ id: 't', value: 'ab' })] }),
        ),
        {
          ...options,
          copyText: (widget) => JSON.stringify(widget).length.toString(),
        },
      ),
    );
    expect((events[0] as { item: { copy_text?: string } }).item.copy_text).toBeUndefined();
    expect((events.at(-1) as { item: { copy_text?: string } }).item.copy_text).toMatch(/^\d+$/);
  });

  it('a stream with no state is a configuration error', async () => {
    await expect(collect(streamWidget(thread, states(), options))).rejects.toMatchObject({
      code: 'configuration',
    });
  });

  it('stopping the consumer stops the source', async () => {
    let finished = false;
    async function* source() {
      try {
        yield Card({ children: [] });
        yield Card({ children: [Title({ value: 'x' })] });
        yield Card({ children: [] });
      } finally {
        finished = true;
      }
    }
    for await (const event of streamWidget(thread, source(), options))
      if (event.type === 'thread.item.added') break;
    expect(finished).toBe(true);
  });
});

describe('accumulateText', () => {
  it('yields the base, one state per delta with the text so far, then streaming: false (Agents SDK events)', async () => {
    async function* run() {
      yield { type: 'raw_model_stream_event', data: { type: 'response_started' } };
      yield { type: 'raw_model_stream_event', data: { type: 'output_text_delta', delta: 'Hel' } };
      // The raw Responses event inside a model event is skipped: only the provider-neutral one counts (no doubles).
      yield {
        type: 'raw_model_stream_event',
        data: { type: 'model', event: { type: 'response.output_text.delta', delta: 'Hel' } },
      };
      yield { type: 'run_item_stream_event', name: 'message_output_created' };
      yield { type: 'raw_model_stream_event', data: { type: 'output_text_delta', delta: 'lo' } };
    }
    const base = Markdown({ id: 'answer', value: '', streaming: true });
    const out = await collect(accumulateText(run(), base));
    expect(out).toEqual([
      base,
      { ...base, value: 'Hel' },
      { ...base, value: 'Hello' },
      { ...base, value: 'Hello', streaming: false },
    ]);
    expect(base.value).toBe('');
  });

  it('fills the first Text/Markdown with an id inside a root; strings and Responses deltas count', async () => {
    async function* deltas() {
      yield 'Dep';
      yield { type: 'response.output_text.delta', delta: 'osit' };
    }
    const base = Card({
      children: [
        Title({ value: 'Terms' }),
        Text({ value: 'no id' }),
        Text({ id: 'terms', value: '', streaming: true }),
      ],
    });
    const out = await collect(accumulateText(deltas(), base));
    expect(out.map((state) => (state.children[2] as { value: string }).value)).toEqual([
      '',
      'Dep',
      'Deposit',
      'Deposit',
    ]);
    expect(out.at(-1)?.children[2]).toMatchObject({ streaming: false });
    // Piped into streamWidget it streams value deltas, and turning streaming off replaces the root once.
    const events = await collect(streamWidget(thread, accumulateText(deltas(), base), options));
    expect(
      events.map((event) => (event.type === 'thread.item.updated' ? event.update.type : event.type)),
    ).toEqual([
      'thread.item.added',
      'widget.streaming_text.value_delta',
      'widget.streaming_text.value_delta',
      'widget.root.updated',
      'thread.item.done',
    ]);
  });

  it('a base without a text component is a configuration error', async () => {
    await expect(
      collect(accumulateText(states(), Card({ children: [Title({ value: 'x' })] }))),
    ).rejects.toMatchObject({
      code: 'configuration',
    });
  });
});
