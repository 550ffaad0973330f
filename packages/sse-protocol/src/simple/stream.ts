/**
 * Encoding and decoding of the simple chat stream: `event:` + `id:` + one `data:` line of compact JSON per frame.
 */

import { invalidRequest } from '../chatkit/issues';
import { RequestError } from '../errors';
import { createMappedDecoder, type EventStreamDecoderOptions, parseEventData } from '../sse/decode';
import { encodeEvent, type SSEMessage } from '../sse/encode';
import { SimpleChatEvent } from './events';

/** A simple chat event whose name this version does not know, passed through by loose parsing. */
export interface UnknownSimpleChatEvent {
  event: string;
  /** Always `true`; lets a consumer narrow `SimpleChatEvent | UnknownSimpleChatEvent`. */
  readonly unknown: true;
  data: unknown;
  id?: string | undefined;
}

const KNOWN_NAMES: ReadonlySet<string> = new Set(SimpleChatEvent.options.map((o) => o.shape.event.value));
const textEncoder = new TextEncoder();

/**
 * Hand-written fast path for the most frequent event, a `chunk`: its compact JSON, byte-identical to the schema path
 * (keys `text`, `sessionId`; other keys dropped as the schema drops them). Undefined when the event is not exactly a
 * chunk with string fields, so the schema path validates it.
 */
function chunkData(event: SimpleChatEvent): string | undefined {
  if ((event as { event?: unknown }).event !== 'chunk') return undefined;
  const data = (event as { data?: unknown }).data as
    | { text?: unknown; sessionId?: unknown }
    | null
    | undefined;
  if (typeof data !== 'object' || data === null) return undefined;
  const { text, sessionId } = data;
  if (typeof text !== 'string' || typeof sessionId !== 'string') return undefined;
  return `{"text":${JSON.stringify(text)},"sessionId":${JSON.stringify(sessionId)}}`;
}

/**
 * Encodes one simple chat event as `event: <name>\nid: <id>\n[retry: <ms>\n]data: <compact JSON>\n\n`. The data is
 * validated first and written with keys in the documented order.
 *
 * @throws RequestError `invalid_request` (details list the issues) when the event fails its schema.
 */
export function encodeSimpleChatEvent(
  event: SimpleChatEvent,
  options: { id: string; retry?: number },
): string {
  const chunk = chunkData(event);
  if (chunk !== undefined)
    return encodeEvent({ event: 'chunk', id: options.id, retry: options.retry, data: chunk });
  const parsed = SimpleChatEvent.safeParse(event);
  if (!parsed.success) throw invalidRequest('simple chat event', parsed.error);
  return encodeEvent({
    event: parsed.data.event,
    id: options.id,
    retry: options.retry,
    data: JSON.stringify(parsed.data.data),
  });
}

/** Options of {@link createSimpleChatEncoder}. */
export interface SimpleChatEncoderOptions {
  /** The id of the first frame when events carry no `id` of their own; later frames count up. Default 1. */
  firstId?: number;
  /** Send `retry: <ms>` in the first frame, telling clients how long to wait before reconnecting. */
  retryMs?: number;
}

/**
 * A `TransformStream` from simple chat events to UTF-8 SSE frames. Every frame carries `id:`: the event's own `id`
 * (for example a resumable-stream sequence number) or a counter starting at `firstId`. An invalid event errors the
 * stream with `invalid_request` before any byte of it is written.
 */
export function createSimpleChatEncoder(
  options: SimpleChatEncoderOptions = {},
): TransformStream<SimpleChatEvent, Uint8Array> {
  let next = options.firstId ?? 1;
  let retry = options.retryMs;
  return new TransformStream({
    transform(event, controller) {
      const id = event.id ?? String(next);
      const frame = encodeSimpleChatEvent(event, { id, retry });
      next += 1;
      retry = undefined;
      controller.enqueue(textEncoder.encode(frame));
    },
  });
}

/**
 * Parses one decoded SSE message of the simple chat stream loosely: a known event name is validated and typed; an
 * unknown name passes through as an {@link UnknownSimpleChatEvent}.
 *
 * @throws RequestError `invalid_request` when the frame has no event name, its data is not JSON, or a known event
 *   fails its schema.
 */
export function parseSimpleChatEvent(message: SSEMessage): SimpleChatEvent | UnknownSimpleChatEvent {
  if (message.event === undefined) {
    throw new RequestError('invalid_request', 'A simple chat frame must have an "event:" name.', {
      details: { id: message.id },
    });
  }
  const data = parseEventData(message);
  if (!KNOWN_NAMES.has(message.event)) {
    return { event: message.event, unknown: true, data, id: message.id };
  }
  const parsed = SimpleChatEvent.safeParse({ event: message.event, data, id: message.id });
  if (!parsed.success) throw invalidRequest(`simple chat "${message.event}" event`, parsed.error);
  return parsed.data;
}

/**
 * A `TransformStream` from the bytes of a simple chat stream to typed events (loose: unknown event names pass
 * through). Errors the stream with the decoder's `payload_too_large`/`invalid_request`, or `invalid_request` for a
 * frame that is not valid, after delivering every event before it.
 */
export function createSimpleChatDecoder(
  options: EventStreamDecoderOptions = {},
): TransformStream<Uint8Array | string, SimpleChatEvent | UnknownSimpleChatEvent> {
  return createMappedDecoder(parseSimpleChatEvent, options);
}
