/**
 * SSE framing: one message → one frame of UTF-8 text, as the WHATWG `text/event-stream` format defines it.
 */
import { RequestError } from '../errors';

/**
 * One server-sent event.
 *
 * On the way out, `data` may hold any string: each line of it becomes one `data:` line (CRLF, CR and LF all count
 * as line breaks, so a decoder gives them back as `\n`). On the way in (decoder output), `done` is `true` for the
 * OpenAI-style end sentinel `data: [DONE]`.
 */
export interface SSEMessage {
  /** The payload; may span several lines. */
  data: string;
  /** The event name (`event:` field). Omitted means the default `message` event. */
  event?: string | undefined;
  /** The event id (`id:` field) a client sends back as `Last-Event-ID` when it reconnects. */
  id?: string | undefined;
  /** Reconnection delay hint for the client, in milliseconds (`retry:` field). Encoder only. */
  retry?: number | undefined;
  /** Decoder only: `true` when `data` is exactly `[DONE]` (the OpenAI end-of-stream sentinel). */
  done?: true | undefined;
}

/** An SSE comment line (`: text`), ignored by clients; used for heartbeats (`: ping`). */
export interface SSEComment {
  comment: string;
}

/** The heartbeat frame `sseResponse()` sends while idle: `: ping\n\n`. */
export const SSE_HEARTBEAT = ': ping\n\n';

const LINE_BREAK = /\r\n|\r|\n/;
const textEncoder = new TextEncoder();

function checkField(name: 'event' | 'id', value: unknown): string {
  if (typeof value !== 'string') {
    throw new RequestError('invalid_request', `The SSE "${name}" field must be a string.`);
  }
  if (value.includes('\n') || value.includes('\r')) {
    throw new RequestError('invalid_request', `The SSE "${name}" field must not contain a line break.`);
  }
  if (name === 'id' && value.includes('\0')) {
    throw new RequestError(
      'invalid_request',
      'The SSE "id" field must not contain U+0000 (clients ignore it).',
    );
  }
  return value;
}

/**
 * Encodes one SSE message as a frame: `event:`, `id:`, `retry:` (each only when set), one `data:` line per line of
 * `data`, then a blank line. The whole frame is built before anything is returned, so a bad field never leaves a
 * half-written frame.
 *
 * Strings are sent as UTF-8 by the stream encoders; a lone UTF-16 surrogate (not valid Unicode) becomes U+FFFD.
 *
 * @throws RequestError `invalid_request` when `data` is not a string, `event`/`id` contain a line break (or `id`
 *   contains U+0000), or `retry` is not a non-negative integer.
 */
export function encodeEvent(message: SSEMessage): string {
  const { data, event, id, retry } = message;
  if (typeof data !== 'string') {
    throw new RequestError('invalid_request', 'The SSE "data" field must be a string.');
  }
  let frame = '';
  if (event !== undefined) frame += `event: ${checkField('event', event)}\n`;
  if (id !== undefined) frame += `id: ${checkField('id', id)}\n`;
  if (retry !== undefined) {
    if (!Number.isSafeInteger(retry) || retry < 0) {
      throw new RequestError('invalid_request', 'The SSE "retry" field must be a non-negative integer.');
    }
    frame += `retry: ${retry}\n`;
  }
  if (!LINE_BREAK.test(data)) return `${frame}data: ${data}\n\n`;
  for (const line of data.split(LINE_BREAK)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

/** Encodes an SSE comment frame (`: text\n\n`, one `:` line per line of text); clients ignore it. */
export function encodeComment(text = 'ping'): string {
  let frame = '';
  for (const line of text.split(LINE_BREAK)) frame += `: ${line}\n`;
  return `${frame}\n`;
}

/**
 * A `TransformStream` from messages (or comments) to UTF-8 SSE frames, one chunk per frame. A bad message errors
 * the stream with `invalid_request` before any byte of it is written.
 */
export function createEventStreamEncoder(): TransformStream<SSEMessage | SSEComment, Uint8Array> {
  return new TransformStream({
    transform(message, controller) {
      const frame = 'comment' in message ? encodeComment(message.comment) : encodeEvent(message);
      controller.enqueue(textEncoder.encode(frame));
    },
  });
}
