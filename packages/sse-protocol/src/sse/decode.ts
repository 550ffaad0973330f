/**
 * SSE decoding on `eventsource-parser`: UTF-8 bytes (split anywhere) → messages, with a cap on event size.
 */
import { createParser, type ParseError } from 'eventsource-parser';
import { type RelayKitError, RequestError } from '../errors';
import type { SSEMessage } from './encode';

/** The default cap on one event's buffered size: 1 MiB of characters. */
export const DEFAULT_MAX_EVENT_SIZE = 1024 * 1024;

/** Options of {@link createEventStreamDecoder}. */
export interface EventStreamDecoderOptions {
  /**
   * The largest event accepted, in characters (UTF-16 code units) of buffered data; default 1 MiB. A larger event
   * errors the stream with `payload_too_large`; the events before it have already been delivered.
   */
  maxEventSize?: number;
  /**
   * Fail on anything the SSE format says to ignore: unknown fields, an invalid `retry:` value, bytes that are not
   * UTF-8. The stream errors with `invalid_request`. Default `false`: those are reported to `onWarning` and skipped,
   * as browsers do (invalid bytes become U+FFFD).
   */
  strict?: boolean;
  /** Called with each `retry:` value (milliseconds). */
  onRetry?: (milliseconds: number) => void;
  /** Called with each comment (for example `ping` for a heartbeat). */
  onComment?: (comment: string) => void;
  /** Called, when not strict, for each malformed line that was skipped. */
  onWarning?: (warning: RequestError) => void;
}

/** True for the OpenAI end-of-stream sentinel `data: [DONE]`. */
export function isDoneMessage(message: SSEMessage): boolean {
  return message.data === '[DONE]';
}

function tooLarge(maxEventSize: number): RequestError {
  return new RequestError(
    'payload_too_large',
    `An SSE event is larger than the ${maxEventSize}-character cap.`,
    {
      details: { maxEventSize },
    },
  );
}

function malformed(error: ParseError): RequestError {
  return new RequestError('invalid_request', `Malformed SSE: ${error.message}`, {
    cause: error,
    details: { type: error.type, field: error.field, line: error.line },
  });
}

/**
 * A `TransformStream` from SSE bytes (or text) to messages, built on `eventsource-parser`. Handles CRLF, CR and LF
 * line breaks, UTF-8 sequences split across chunks, one leading BOM, comments and `retry:`. `data: [DONE]` comes
 * out as a message with `done: true`. An event not terminated by a blank line when the input ends is dropped, as
 * the SSE format requires.
 *
 * Errors (the output stream errors with a `RelayKitError`, after every event that came before the bad one):
 * - `payload_too_large`: an event exceeds `maxEventSize`;
 * - `invalid_request`: malformed input in `strict` mode.
 */
export function createEventStreamDecoder(
  options: EventStreamDecoderOptions = {},
): TransformStream<Uint8Array | string, SSEMessage> {
  const maxEventSize = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  const strict = options.strict ?? false;
  // ignoreBOM keeps a BOM in the text so that the parser strips exactly one, as the SSE format says.
  const textDecoder = new TextDecoder('utf-8', { fatal: strict, ignoreBOM: true });
  let output!: TransformStreamDefaultController<SSEMessage>;
  let failure: RelayKitError | undefined;

  const fail = (error: RelayKitError) => {
    if (failure !== undefined) return;
    failure = error;
    output.error(error);
  };

  const parser = createParser({
    maxBufferSize: maxEventSize,
    onEvent(event) {
      if (failure !== undefined) return;
      if (event.data.length > maxEventSize) return fail(tooLarge(maxEventSize));
      const message: SSEMessage = { data: event.data };
      if (event.event !== undefined) message.event = event.event;
      if (event.id !== undefined) message.id = event.id;
      if (event.data === '[DONE]') message.done = true;
      output.enqueue(message);
    },
    onRetry: options.onRetry,
    onComment: options.onComment,
    onError(error) {
      if (error.type === 'max-buffer-size-exceeded') return fail(tooLarge(maxEventSize));
      if (strict) return fail(malformed(error));
      options.onWarning?.(malformed(error));
    },
  });

  const feed = (text: string) => {
    if (text !== '' && failure === undefined) parser.feed(text);
  };
  const decode = (bytes?: Uint8Array) => {
    try {
      return bytes === undefined ? textDecoder.decode() : textDecoder.decode(bytes, { stream: true });
    } catch (error) {
      fail(
        new RequestError('invalid_request', 'Malformed SSE: the stream is not valid UTF-8.', {
          cause: error,
          details: { type: 'invalid-utf8' },
        }),
      );
      return '';
    }
  };

  return new TransformStream({
    start(controller) {
      output = controller;
    },
    transform(chunk) {
      if (failure !== undefined) return;
      feed(typeof chunk === 'string' ? chunk : decode(chunk));
    },
    flush() {
      if (failure !== undefined) return;
      feed(decode());
      parser.reset();
    },
  });
}

/**
 * Parses the JSON payload of one message.
 *
 * @throws RequestError `invalid_request` (details: `{type: 'invalid-json', data}` with the first 200 characters)
 *   when `data` is not valid JSON.
 */
export function parseEventData(message: SSEMessage): unknown {
  try {
    return JSON.parse(message.data);
  } catch (error) {
    throw new RequestError('invalid_request', 'An SSE event does not hold valid JSON.', {
      cause: error,
      details: {
        type: 'invalid-json',
        event: message.event,
        id: message.id,
        data: message.data.slice(0, 200),
      },
    });
  }
}
