import { describe, expect, it } from 'vitest';
import {
  Badge,
  Button,
  Card,
  Col,
  ListView,
  ListViewItem,
  Markdown,
  Text,
  Title,
  Transition,
  widgetAction,
} from './components';
import { diffWidget } from './diff';

const root = (widget: unknown) => [{ type: 'widget.root.updated', widget }];
const delta = (component_id: string, text: string, done: boolean) => ({
  type: 'widget.streaming_text.value_delta',
  component_id,
  delta: text,
  done,
});

describe('diffWidget (the stream_widget diff rules)', () => {
  const card = (value: string, extra: Record<string, unknown> = {}) =>
    Card({
      children: [Title({ value: 'Contract' }), Text({ id: 'body', value, streaming: true, ...extra })],
    });

  it('no change gives no update', () => {
    expect(diffWidget(card('Hello'), card('Hello'))).toEqual([]);
  });

  it('a Text with an id whose value grows by a suffix streams a value delta (done: false while streaming)', () => {
    expect(diffWidget(card('Hel'), card('Hello'))).toEqual([delta('body', 'lo', false)]);
  });

  it('done is true when the new state does not say streaming: true', () => {
    const before = Card({ children: [Markdown({ id: 'md', value: '# A' })] });
    const after = Card({ children: [Markdown({ id: 'md', value: '# A\nb' })] });
    expect(diffWidget(before, after)).toEqual([delta('md', '\nb', true)]);
  });

  it('Markdown streams like Text; several grown components give one delta each, in tree order', () => {
    const state = (a: string, b: string) =>
      Card({
        children: [
          Col({ children: [Markdown({ id: 'first', value: a, streaming: true })] }),
          Text({ id: 'second', value: b, streaming: true }),
        ],
      });
    expect(diffWidget(state('a', 'x'), state('ab', 'xy'))).toEqual([
      delta('first', 'b', false),
      delta('second', 'y', false),
    ]);
  });

  it('a value that does not grow by a suffix replaces the root', () => {
    expect(diffWidget(card('Hello'), card('Help'))).toEqual(root(card('Help')));
    expect(diffWidget(card('Hello'), card('Hell'))).toEqual(root(card('Hell')));
  });

  it('a growing Text without an id replaces the root (it cannot be addressed by a delta)', () => {
    const before = Card({ children: [Text({ value: 'a' })] });
    const after = Card({ children: [Text({ value: 'ab' })] });
    expect(diffWidget(before, after)).toEqual(root(after));
  });

  it('a prop change anywhere replaces the root, even next to a grown text', () => {
    expect(diffWidget(card('Hel'), card('Hello', { color: 'secondary' }))).toEqual(
      root(card('Hello', { color: 'secondary' })),
    );
    const withBadge = (label: string) => Card({ children: [Badge({ label })] });
    expect(diffWidget(withBadge('draft'), withBadge('signed'))).toEqual(root(withBadge('signed')));
  });

  it('turning streaming off replaces the root (streaming is a prop, as in the reference)', () => {
    expect(diffWidget(card('Hello'), card('Hello', { streaming: false }))).toEqual(
      root(card('Hello', { streaming: false })),
    );
  });

  it('structure changes replace the root: a child added, removed or reordered', () => {
    const a = Title({ value: 'A' });
    const b = Title({ value: 'B' });
    expect(diffWidget(Card({ children: [a] }), Card({ children: [a, b] }))).toEqual(
      root(Card({ children: [a, b] })),
    );
    expect(diffWidget(Card({ children: [a, b] }), Card({ children: [a] }))).toEqual(
      root(Card({ children: [a] })),
    );
    expect(diffWidget(Card({ children: [a, b] }), Card({ children: [b, a] }))).toEqual(
      root(Card({ children: [b, a] })),
    );
  });

  it('a type, id or key change replaces the root', () => {
    const text = Card({ children: [Text({ id: 't', value: 'a' })] });
    const markdown = Card({ children: [Markdown({ id: 't', value: 'ab' })] });
    expect(diffWidget(text, markdown)).toEqual(root(markdown));
    const renamed = Card({ children: [Text({ id: 'u', value: 'ab' })] });
    expect(diffWidget(text, renamed)).toEqual(root(renamed));
    const keyed = Card({ children: [Text({ id: 't', key: 'k', value: 'ab' })] });
    expect(diffWidget(text, keyed)).toEqual(root(keyed));
    const list = ListView({ children: [ListViewItem({ children: [] })] });
    expect(diffWidget(Card({ children: [] }), list)).toEqual(root(list));
  });

  it('action payloads and other nested JSON are compared deeply', () => {
    const button = (payload: unknown) =>
      Card({ children: [Button({ label: 'Sign', onClickAction: widgetAction('sign', payload) })] });
    expect(diffWidget(button({ id: 1, tags: ['a'] }), button({ id: 1, tags: ['a'] }))).toEqual([]);
    expect(diffWidget(button({ id: 1, tags: ['a'] }), button({ id: 1, tags: ['b'] }))).toEqual(
      root(button({ id: 1, tags: ['b'] })),
    );
  });

  it('a null or missing field is no change (the wire drops nulls)', () => {
    const before = {
      type: 'Card',
      size: null,
      children: [{ type: 'Text', id: 't', value: 'a', color: null }],
    };
    const after = { type: 'Card', children: [{ type: 'Text', id: 't', value: 'ab' }] };
    expect(diffWidget(before, after)).toEqual([delta('t', 'b', true)]);
  });

  it('streams text inside a Transition (a single child) and deep in the tree', () => {
    const state = (value: string) =>
      Card({ children: [Transition({ children: Col({ children: [Text({ id: 'deep', value })] }) })] });
    expect(diffWidget(state('x'), state('xyz'))).toEqual([delta('deep', 'yz', true)]);
  });

  it('two streaming texts sharing an id replace the root when anything changed', () => {
    const state = (a: string) =>
      Card({ children: [Text({ id: 'same', value: a }), Text({ id: 'same', value: 'b' })] });
    expect(diffWidget(state('a'), state('ab'))).toEqual(root(state('ab')));
    expect(diffWidget(state('a'), state('a'))).toEqual([]);
  });

  it('works on unknown component types (opaque JSON)', () => {
    const table = (rows: number) => ({ type: 'Card', children: [{ type: 'Table', rows }] });
    expect(diffWidget(table(1), table(1))).toEqual([]);
    expect(diffWidget(table(1), table(2))).toEqual(root(table(2)));
  });
});
