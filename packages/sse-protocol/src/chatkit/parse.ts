/**
 * Loose parsing of ChatKit stream events, for clients and tests reading a ChatKit stream.
 */
import { RequestError } from '../errors';
import { createMappedDecoder, type EventStreamDecoderOptions } from '../sse/decode';
import { parseJsonText } from '../sse/json';
import { ThreadStreamEvent, type UnknownChatKitEvent } from './events';
import { invalidRequest } from './issues';

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(
  ThreadStreamEvent.options.map((o) => o.shape.type.value),
);

/**
 * Hand-written fast path for the most frequent event, a text delta: the same result as the schema (unknown keys
 * dropped), or undefined to let the schema decide.
 */
function readTextDelta(event: Record<string, unknown>): ThreadStreamEvent | undefined {
  const { item_id: itemId, update } = event;
  if (typeof itemId !== 'string' || typeof update !== 'object' || update === null) return undefined;
  const { type, content_index: contentIndex, delta } = update as Record<string, unknown>;
  if (type !== 'assistant_message.content_part.text_delta' || typeof delta !== 'string') return undefined;
  if (typeof contentIndex !== 'number' || !Number.isInteger(contentIndex) || contentIndex < 0)
    return undefined;
  return {
    type: 'thread.item.updated',
    item_id: itemId,
    update: { type, content_index: contentIndex, delta },
  };
}

/** True for an event of a type this version does not know (see {@link parseChatKitEvent}). */
export function isUnknownChatKitEvent(event: unknown): event is UnknownChatKitEvent {
  return typeof event === 'object' && event !== null && (event as { unknown?: unknown }).unknown === true;
}

/**
 * Parses one ChatKit stream event loosely: an event of a known `type` is validated and returned typed (defaults
 * filled in); an event of an unknown `type` passes through as an {@link UnknownChatKitEvent} so a newer server
 * never breaks an older client. Accepts the parsed JSON value or the JSON text of one frame's `data`.
 *
 * @throws RequestError `invalid_request` when the text is not JSON, the value has no string `type`, or an event of
 *   a known type fails its schema (details list the issues).
 */
export function parseChatKitEvent(value: unknown): ThreadStreamEvent | UnknownChatKitEvent {
  let event = value;
  if (typeof value === 'string') {
    try {
      event = parseJsonText(value);
    } catch (error) {
      throw new RequestError('invalid_request', 'A ChatKit event frame does not hold valid JSON.', {
        cause: error,
        details: { issues: [{ path: '', code: 'invalid_json', message: String(error) }] },
      });
    }
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new RequestError('invalid_request', 'A ChatKit event must be a JSON object.');
  }
  const type = (event as { type?: unknown }).type;
  if (typeof type !== 'string') {
    throw new RequestError('invalid_request', 'A ChatKit event must have a string "type".');
  }
  if (type === 'thread.item.updated') {
    const delta = readTextDelta(event as Record<string, unknown>);
    if (delta !== undefined) return delta;
  }
  if (!KNOWN_EVENT_TYPES.has(type)) {
    return { type, unknown: true, raw: event as Record<string, unknown> };
  }
  const result = ThreadStreamEvent.safeParse(event);
  if (!result.success) throw invalidRequest(`ChatKit "${type}" event`, result.error);
  return result.data;
}

/**
 * A `TransformStream` from the bytes of a ChatKit SSE stream to events, parsed loosely (see
 * {@link parseChatKitEvent}). Errors the stream with `payload_too_large` or `invalid_request` (bad framing in
 * strict mode, a frame that is not JSON, a known event that fails its schema), after delivering every event before
 * the bad one.
 */
export function createChatKitEventDecoder(
  options: EventStreamDecoderOptions = {},
): TransformStream<Uint8Array | string, ThreadStreamEvent | UnknownChatKitEvent> {
  return createMappedDecoder((message) => parseChatKitEvent(message.data), options);
}
