/**
 * `streamWidget` and `accumulateText`, after chatkit-python's `stream_widget` and `accumulate_text`
 * (docs/specs/chatkit-protocol.md §6 and §8.1).
 */
import type { ThreadItemAddedEvent, ThreadItemDoneEvent, ThreadItemUpdatedEvent } from '../chatkit/events';
import type { WidgetItem, WidgetRoot } from '../chatkit/model';
import { ConfigurationError } from '../errors';
import { diffWidget } from './diff';
import { widgetToJSON } from './json';

/** Options of {@link streamWidget}. */
export interface StreamWidgetOptions {
  /**
   * The id of the widget item, asked once with `'message'` (as the reference does). In a ChatKit handler pass
   * `(kind) => store.generateItemId(kind, thread, context)`.
   */
  generateId: (kind: 'message') => string;
  /** Text the client copies for the widget (`copy_text`); a function gets the final state. */
  copyText?: string | ((widget: WidgetRoot) => string | null | undefined) | null;
  /** Clock for `created_at`. Default `() => new Date()`. */
  now?: () => Date;
}

/** The events {@link streamWidget} yields. */
export type StreamWidgetEvent = ThreadItemAddedEvent | ThreadItemUpdatedEvent | ThreadItemDoneEvent;

const isAsyncIterable = (value: unknown): value is AsyncIterable<WidgetRoot> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/**
 * Shows a widget in a thread, as ChatKit events a `respond` or `action` handler yields (or a tool forwards through its
 * event channel): the server pipeline persists the item on `thread.item.done`.
 *
 * - A widget (a `WidgetRoot`, e.g. `Card({...})`): one `thread.item.done` with a new `widget` item.
 * - An async iterable of widget states: `thread.item.added` with the first state, then for each next state the
 *   updates {@link diffWidget} finds against the state before it (`widget.streaming_text.value_delta` per grown
 *   `Text`/`Markdown` with an `id`, else one `widget.root.updated`), each as `thread.item.updated`, then
 *   `thread.item.done` with the last state. States are copied as they arrive (nulls dropped), so a producer may
 *   mutate and re-yield one object. A stream that ends before its first state is a `configuration` error.
 *
 * Stopping the consumer early (a client disconnect) stops the source iterable too.
 */
export async function* streamWidget(
  thread: { id: string },
  widget: WidgetRoot | AsyncIterable<WidgetRoot>,
  options: StreamWidgetOptions,
): AsyncGenerator<StreamWidgetEvent, void, undefined> {
  const id = options.generateId('message');
  const base = { id, thread_id: thread.id, created_at: (options.now?.() ?? new Date()).toISOString() };
  const itemOf = (state: WidgetRoot, final: boolean): WidgetItem => {
    const copyText =
      typeof options.copyText === 'function' ? (final ? options.copyText(state) : null) : options.copyText;
    return { ...base, type: 'widget', widget: state, ...(copyText == null ? {} : { copy_text: copyText }) };
  };
  if (!isAsyncIterable(widget)) {
    yield { type: 'thread.item.done', item: itemOf(widgetToJSON(widget), true) };
    return;
  }
  let last: WidgetRoot | undefined;
  for await (const next of widget) {
    const state = widgetToJSON(next);
    if (last === undefined) {
      yield { type: 'thread.item.added', item: itemOf(state, false) };
    } else {
      for (const update of diffWidget(last, state))
        yield { type: 'thread.item.updated', item_id: id, update };
    }
    last = state;
  }
  if (last === undefined)
    throw new ConfigurationError('streamWidget: the widget stream ended before its first state');
  yield { type: 'thread.item.done', item: itemOf(last, true) };
}

/**
 * A source of text deltas {@link accumulateText} understands: plain strings, the Agents SDK's provider-neutral
 * `output_text_delta` stream events (alone or inside a `raw_model_stream_event`), or Responses API
 * `response.output_text.delta` events. Other events are skipped (so a whole `run(..., { stream: true })` result fits).
 */
export type TextDeltaEvent = string | { type: string; delta?: unknown; data?: unknown };

function deltaOf(event: TextDeltaEvent): string | undefined {
  if (typeof event === 'string') return event;
  if (event.type === 'output_text_delta' || event.type === 'response.output_text.delta')
    return typeof event.delta === 'string' ? event.delta : undefined;
  if (event.type === 'raw_model_stream_event' && typeof event.data === 'object' && event.data !== null) {
    const data = event.data as { type?: unknown; delta?: unknown };
    if (data.type === 'output_text_delta' && typeof data.delta === 'string') return data.delta;
  }
  return undefined;
}

type Node = Record<string, unknown>;

/** The path (child indexes) to the text component that receives the text: the root itself or the first streaming text. */
function textPath(root: Node): (number | null)[] | null {
  if ((root.type === 'Text' || root.type === 'Markdown') && typeof root.value === 'string') return [];
  const children = root.children;
  const list = Array.isArray(children)
    ? children
    : children === undefined || children === null
      ? []
      : [children];
  for (const [index, child] of list.entries()) {
    if (typeof child !== 'object' || child === null) continue;
    const node = child as Node;
    if ((node.type === 'Text' || node.type === 'Markdown') && typeof node.id === 'string')
      return [Array.isArray(children) ? index : null];
    const rest = textPath(node);
    if (rest !== null && rest.length > 0) return [Array.isArray(children) ? index : null, ...rest];
  }
  return null;
}

function withText<T extends WidgetRoot>(root: T, path: (number | null)[], fields: Node): T {
  const copy = structuredClone(root);
  let node: Node = copy;
  for (const step of path) node = (step === null ? node.children : (node.children as Node[])[step]) as Node;
  Object.assign(node, fields);
  return copy;
}

/**
 * Widget states for {@link streamWidget} from a stream of text deltas (chatkit-python's `accumulate_text`): first
 * `baseWidget` itself, then one state per delta whose text component's `value` is the text so far, then a final state
 * with `streaming: false`. The text component is `baseWidget` when it is a `Text`/`Markdown`, else the first
 * `Text`/`Markdown` with an `id` in its tree (its `value` is replaced by the accumulated text).
 */
export async function* accumulateText<T extends WidgetRoot>(
  events: AsyncIterable<TextDeltaEvent>,
  baseWidget: T,
): AsyncGenerator<T, void, undefined> {
  const path = textPath(baseWidget);
  if (path === null)
    throw new ConfigurationError(
      'accumulateText: the base widget has no Text or Markdown component with an id',
    );
  let text = '';
  yield baseWidget;
  for await (const event of events) {
    const delta = deltaOf(event);
    if (delta === undefined || delta === '') continue;
    text += delta;
    yield withText(baseWidget, path, { value: text });
  }
  yield withText(baseWidget, path, { value: text, streaming: false });
}
