/**
 * ChatKit wire serialization: exactly `data: <compact JSON>\n\n` per event, as the reference server sends it.
 *
 * Rules (docs/specs/chatkit-protocol.md §1):
 * - each event is validated and normalized through its schema first, so keys come out in the reference (pydantic
 *   field) order whatever order the object was built in, and non-null defaults are present (`attachments: []`,
 *   `status: {type: 'active'}`, `inference_options: {}`, ...);
 * - null and undefined fields are omitted recursively through the data model; opaque JSON the application owns
 *   (tool `arguments`/`output`, action `payload`, `data` records) is copied verbatim, nulls included; widget
 *   trees drop nulls recursively;
 * - a thread's `metadata` is always `{}` and an attachment's `metadata` is never sent;
 * - hidden items (`hidden_context_item`, `sdk_hidden_context`) are never emitted: an event carrying one serializes
 *   to nothing, and pages of items leave them out.
 * Events of a type this version does not know are passed through with their null fields omitted.
 */
import { RequestError } from '../errors';
import {
  ThreadItemUpdatedEvent,
  ThreadStreamEvent,
  type ThreadStreamEventInput,
  type UnknownChatKitEvent,
} from './events';
import { invalidRequest } from './issues';
import {
  isHiddenThreadItem,
  type Page,
  Thread,
  type ThreadInput,
  type ThreadItem,
  type ThreadItemInput,
  ThreadItemPage,
} from './model';

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(
  ThreadStreamEvent.options.map((o) => o.shape.type.value),
);
const VERBATIM_KEYS: ReadonlySet<string> = new Set(['arguments', 'output', 'payload', 'result']);
const encoder = new TextEncoder();

/** Drops null/undefined fields recursively, copying opaque JSON verbatim (see the module notes). */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    if (field === null || field === undefined) continue;
    const copied =
      VERBATIM_KEYS.has(key) || (key === 'data' && !Array.isArray(field)) ? field : compact(field);
    // An own `__proto__` key (JSON.parse keeps one) must stay a data property: plain assignment would set the prototype.
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: copied,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else {
      out[key] = copied;
    }
  }
  return out;
}

function wireAttachment(attachment: Record<string, unknown>): Record<string, unknown> {
  const { metadata: _serverOnly, ...visible } = attachment;
  return visible;
}

/** The client view of a parsed item: attachments lose their server-only `metadata`. */
function wireItem(item: ThreadItem): Record<string, unknown> {
  if (item.type === 'user_message' && item.attachments.length > 0) {
    return { ...item, attachments: item.attachments.map(wireAttachment) };
  }
  return item;
}

function wireItemPage(page: Page<ThreadItem>): Record<string, unknown> {
  return { ...page, data: page.data.filter((item) => !isHiddenThreadItem(item)).map(wireItem) };
}

/** The client view of a parsed thread: `metadata` is `{}`, hidden items are left out. */
function wireThread(thread: Thread): Record<string, unknown> {
  return { ...thread, metadata: {}, items: wireItemPage(thread.items) };
}

/**
 * Hand-written fast path for the most frequent event, a text delta; byte-identical to the general path.
 * Returns undefined when the event does not have exactly the expected shape, so the general path validates it.
 */
function serializeTextDelta(event: Record<string, unknown>): string | undefined {
  const update = event.update as Record<string, unknown> | null | undefined;
  if (typeof update !== 'object' || update === null) return undefined;
  if (update.type !== 'assistant_message.content_part.text_delta') return undefined;
  const { item_id: itemId } = event;
  const { content_index: contentIndex, delta } = update;
  if (typeof itemId !== 'string' || typeof delta !== 'string') return undefined;
  if (typeof contentIndex !== 'number' || !Number.isInteger(contentIndex) || contentIndex < 0)
    return undefined;
  if (itemId !== textDeltaHead.itemId || contentIndex !== textDeltaHead.contentIndex) {
    textDeltaHead.itemId = itemId;
    textDeltaHead.contentIndex = contentIndex;
    textDeltaHead.json = `{"type":"thread.item.updated","item_id":${JSON.stringify(itemId)},"update":{"type":"assistant_message.content_part.text_delta","content_index":${contentIndex},"delta":`;
  }
  return `${textDeltaHead.json}${JSON.stringify(delta)}}}`;
}

/**
 * The JSON before the delta of the last text delta serialized: the deltas of one burst (one network chunk of a
 * stream) share their item and content index, so only the delta is escaped per event.
 */
const textDeltaHead = { itemId: '', contentIndex: -1, json: '' };

/**
 * Serializes one ChatKit stream event to its compact wire JSON (no framing), following the rules in the module
 * notes. Returns `undefined` when the event must not reach the client (it carries a hidden item).
 *
 * @throws RequestError `invalid_request` (details list the issues) when a known event type fails its schema, or
 *   the value is not an object with a string `type`.
 */
export function serializeChatKitEvent(
  event: ThreadStreamEventInput | UnknownChatKitEvent,
): string | undefined {
  const value = event as unknown as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || typeof value.type !== 'string') {
    throw new RequestError('invalid_request', 'A ChatKit event must be an object with a string "type".');
  }
  if (value.type === 'thread.item.updated') {
    const fast = serializeTextDelta(value);
    if (fast !== undefined) return fast;
  }
  if (!KNOWN_EVENT_TYPES.has(value.type)) {
    const raw = (event as UnknownChatKitEvent).unknown === true ? (event as UnknownChatKitEvent).raw : value;
    return JSON.stringify(compact(raw));
  }
  const parsed = (
    value.type === 'thread.item.updated' ? ThreadItemUpdatedEvent : ThreadStreamEvent
  ).safeParse(value);
  if (!parsed.success) throw invalidRequest(`ChatKit "${value.type}" event`, parsed.error);
  const normalized = parsed.data as ThreadStreamEvent;
  switch (normalized.type) {
    case 'thread.created':
    case 'thread.updated':
      return JSON.stringify(compact({ ...normalized, thread: wireThread(normalized.thread) }));
    case 'thread.item.added':
    case 'thread.item.done':
    case 'thread.item.replaced':
      if (isHiddenThreadItem(normalized.item)) return undefined;
      return JSON.stringify(compact({ ...normalized, item: wireItem(normalized.item) }));
    default:
      return JSON.stringify(compact(normalized));
  }
}

/**
 * Frames one ChatKit stream event exactly as the reference server does: `data: <compact JSON>\n\n`.
 * Returns `''` for an event that must not reach the client (a hidden item). JSON never contains a raw newline, so
 * the frame always has exactly one `data:` line.
 *
 * @throws RequestError `invalid_request` when the event fails its schema (nothing is written).
 */
export function encodeChatKitEvent(event: ThreadStreamEventInput | UnknownChatKitEvent): string {
  const json = serializeChatKitEvent(event);
  return json === undefined ? '' : `data: ${json}\n\n`;
}

/**
 * A `TransformStream` from ChatKit events to UTF-8 SSE bytes (see {@link encodeChatKitEvent}). Hidden items are
 * dropped. An invalid event errors the stream with `invalid_request` before any byte of it is written, so the
 * output never holds a half-written frame.
 */
export function createChatKitEventEncoder(): TransformStream<
  ThreadStreamEventInput | UnknownChatKitEvent,
  Uint8Array
> {
  return new TransformStream({
    transform(event, controller) {
      const frame = encodeChatKitEvent(event);
      if (frame !== '') controller.enqueue(encoder.encode(frame));
    },
  });
}

/**
 * The client view of a thread as a JSON-ready object, for non-streaming answers (`threads.get_by_id`,
 * `threads.update`): validated, reference key order, `metadata: {}`, hidden items and null fields left out.
 *
 * @throws RequestError `invalid_request` when the thread fails its schema.
 */
export function toWireThread(thread: ThreadInput): Record<string, unknown> {
  const parsed = Thread.safeParse(thread);
  if (!parsed.success) throw invalidRequest('ChatKit thread', parsed.error);
  return compact(wireThread(parsed.data)) as Record<string, unknown>;
}

/**
 * The client view of a page of items (`items.list`): hidden items are left out while `has_more`/`after` are
 * kept as given, as the reference server does.
 *
 * @throws RequestError `invalid_request` when the page fails its schema.
 */
export function toWireItemPage(page: Page<ThreadItemInput>): Record<string, unknown> {
  const parsed = ThreadItemPage.safeParse(page);
  if (!parsed.success) throw invalidRequest('ChatKit item page', parsed.error);
  return compact(wireItemPage(parsed.data)) as Record<string, unknown>;
}

/**
 * The client view of a page of threads (`threads.list`): each thread has `metadata: {}` and an empty items page.
 *
 * @throws RequestError `invalid_request` when a thread fails its schema.
 */
export function toWireThreadPage(page: Page<ThreadInput>): Record<string, unknown> {
  const data = page.data.map((thread) => {
    const { items: _items, ...metadata } = thread;
    return toWireThread(metadata);
  });
  return compact({ data, has_more: page.has_more, after: page.after }) as Record<string, unknown>;
}
